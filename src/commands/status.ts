// `clawdia models status` — read-only: parses the files directly (no conf, no lock), never
// writes, never runs a child process (SPEC §5, §9).
import { ClawdiaError, UsageError } from '../core/errors.js';
import { defaultAgent, listAgents } from '../core/migration.js';
import { agentFlag, checkAgentId } from '../core/paths.js';
import { checkCode, computeStatus, renderStatusText, worstCheck, type AgentStatus } from '../core/status.js';
import { isMainStore, mainStoreFor, probe, probeTargets, statusInput, toProbeResult } from '../app/status-input.js';
import type { CommandContext } from './context.js';
import type { StatusOptions } from './options.js';

function knownAgentOrThrow(ctx: CommandContext, agent: string, config: Parameters<typeof listAgents>[0]): void {
  const known = [...new Set([...listAgents(config), defaultAgent(config)])];
  if (known.includes(agent) || ctx.ports.state.readStore(agent).exists) return;
  throw new ClawdiaError(`no agent named ${agent}.`, { hint: `Known agents: ${known.join(', ')}. Create one with: clawdia onboard --agent ${agent}` });
}

export async function runStatus(opts: StatusOptions, ctx: CommandContext): Promise<number> {
  if (opts.agent !== undefined) checkAgentId(opts.agent); // a usage error of argv stays exit 2
  if (!opts.check) return statusOf(opts, ctx);
  try {
    return await statusOf(opts, ctx);
  } catch (e) {
    // --check answers 0 ok, 1 broken, 2 expiring: a config or store that cannot be read (or names an
    // invalid agent id) is broken, never "expiring".
    if (e instanceof ClawdiaError && e.exitCode === 2) throw new ClawdiaError(e.message, { hint: e.hint, exitCode: 1 });
    throw e;
  }
}

async function statusOf(opts: StatusOptions, ctx: CommandContext): Promise<number> {
  const { state, clock } = ctx.ports;
  if (opts.spend && !opts.probe)
    throw new UsageError('--spend goes with --probe (it makes the live check a billed one).', 'clawdia models status --probe --spend');
  const cfg = state.readConfig();
  let agents: string[];
  if (opts.allAgents) {
    agents = listAgents(cfg.config);
    if (agents.length === 0) agents = [defaultAgent(cfg.config)];
  } else {
    agents = [opts.agent !== undefined ? checkAgentId(opts.agent) : defaultAgent(cfg.config)];
    // A typo must not read as "an agent with nothing stored" (exit 0 under --check's cron).
    if (opts.agent !== undefined) knownAgentOrThrow(ctx, opts.agent, cfg.config);
  }
  const results: AgentStatus[] = [];
  // main's store (merged into every other agent's view) is read once, and only when another agent needs it.
  let mainSnap: ReturnType<typeof state.readMainStore> | undefined;
  const claudeLogin = state.gatewayClaudeLogin();
  const loc = state.paths.location;
  for (const agent of agents) {
    const st = state.readStore(agent);
    const isMain = isMainStore(state, agent);
    if (isMain) mainSnap ??= st;
    const main = isMain ? st : (mainSnap ??= state.readMainStore());
    // main's profiles are in every agent's view (the gateway merges them): probe those too.
    const probed = isMain || !main.exists ? st.store : { ...st.store, profiles: { ...main.store.profiles, ...st.store.profiles } };
    const outcomes = opts.probe
      ? await probe(ctx.ports.validator, probeTargets(probed, clock.now()), { timeoutMs: opts.timeoutMs, signal: ctx.signal, billed: !!opts.spend })
      : undefined;
    if (ctx.signal.aborted) return ctx.signalExitCode();
    const probes = outcomes && Object.fromEntries(Object.entries(outcomes).map(([id, o]) => [id, toProbeResult(o)]));
    results.push(
      computeStatus(
        statusInput(
          ctx.ports,
          agent,
          { config: cfg.config, store: st.store, storeExists: st.exists },
          {
            probes,
            migrated: cfg.migrated,
            configLoose: cfg.loosePermissions,
            storeLoose: st.loosePermissions,
            ...mainStoreFor(state, agent, main),
            claudeLogin,
            source: { stateDir: loc.stateDir, stateDirFrom: loc.stateDirFrom, configFrom: loc.configFrom, gateway: loc.gateway },
            checksPath: state.paths.checksPath(agent),
          },
        ),
      ),
    );
  }
  if (opts.json) {
    ctx.out(JSON.stringify(opts.allAgents ? { schemaVersion: 1, agents: results } : results[0]!, null, 2));
  } else {
    ctx.out(results.map((r) => renderStatusText(r, clock.now(), defaultAgent(cfg.config))).join('\n'));
  }
  // A redirect is a fault of the base URL, not of a credential: said once, and the run fails (exit 1).
  const redirect = results.flatMap((r) => r.auth.profiles).find((p) => p.probe?.verdict === 'redirected');
  if (redirect) {
    ctx.err(`error: ${redirect.probe!.message ?? 'the API base answered a redirect; nothing was sent there.'}`);
    ctx.err('hint: set ANTHROPIC_BASE_URL to the address that answers itself (clawdia never follows a redirect with a credential), or unset it.');
    return 1;
  }
  // Listing models is free and cannot see an account's balance: say what --probe checked.
  if (!opts.json && opts.probe && !opts.spend && results.some((r) => r.auth.profiles.some((p) => p.type === 'api_key' && p.probe?.verdict === 'valid'))) {
    ctx.out('API keys: accepted; balance not checked. Add --spend for one billed 1-token request per key (costs a fraction of a cent).');
  }
  if (!opts.check) return 0;
  const code = worstCheck(results.map(checkCode));
  if (code !== 0) {
    for (const r of results) {
      if (r.auth.profiles.length === 0)
        ctx.err(`check: agent ${r.agent} has no Anthropic credential (fix: clawdia onboard${agentFlag(r.agent, defaultAgent(cfg.config))})`);
      for (const p of r.auth.profiles) {
        if (p.state === 'ok' || p.state === 'unverified') continue;
        ctx.err(`check: ${r.agent} ${p.profileId} ${p.state}${p.problem ? ` — ${p.problem}` : ''}${p.fix ? ` (fix: ${p.fix})` : ''}`);
      }
    }
  }
  return code;
}
