// `clawdia models auth paste-token | paste-api-key | sync-claude-cli | order | clear-cooldown | remove`.
import { activeWarningLine } from '../core/active-profile.js';
import { ClawdiaError, UsageError } from '../core/errors.js';
import { fingerprint, parseSecret } from '../core/credentials.js';
import { defaultAgent, listAgents, migrationNotice } from '../core/migration.js';
import { agentFlag, checkAgentId, checkProfileId } from '../core/paths.js';
import { clearCooldown, defaultProfileId, effectiveOrder, removeProfile, SETUP_TOKEN_LIFETIME_MS } from '../core/save.js';
import { resolveProvider } from '../core/gateway.js';
import { CONSOLE_API_KEYS, shownBaseUrl, SUBSCRIPTION_TERMS_ROUTE } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import { baseUrlWarning } from '../core/status.js';
import { credentialSecret } from '../core/types.js';
import { checkWords } from '../wizard/summary.js';
import type { CommandContext } from './context.js';
import { decide, save, tokenTarget, type NewCredential, type SaveSummary } from '../app/credential-flow.js';
import { confirm, readSecret } from './io.js';
import type { PasteOptions, SyncClaudeCliOptions, WriteFlags } from './options.js';
import { watchSshHangup } from '../adapters/ssh-hangup.js';

export function resolveAgent(ctx: CommandContext, agent: string | undefined): string {
  if (agent !== undefined) return checkAgentId(agent);
  return defaultAgent(ctx.ports.state.readConfig().config);
}

/** ` --agent <id>` for a printed command, unless `agent` is the default (an unreadable config: always). */
function flag(ctx: CommandContext, agent: string): string {
  let def: string | null = null;
  try {
    def = defaultAgent(ctx.ports.state.readConfig().config);
  } catch {
    // The command's own error says what is wrong with the config; the hint names the agent.
  }
  return agentFlag(agent, def);
}

/** Print what is now stored (read back, USERS.md openclaw#9141) or the JSON summary. */
export function reportSaved(ctx: CommandContext, s: SaveSummary, json: boolean, verbose = false, billingChecked = false): void {
  if (s.migrated.length) ctx.err(migrationNotice(s.migrated, s.configPath));
  for (const w of s.warnings) ctx.err(`warning: ${w}`);
  for (const e of s.shadowedBy) {
    ctx.err(`warning: ${e.name} is set in this environment (${e.fingerprint}); at run time it takes precedence over the stored profile.`);
  }
  const active = activeWarningLine(s);
  if (active) ctx.err(`warning: ${active}`);
  if (json) {
    ctx.out(JSON.stringify(summaryJson(s), null, 2));
    return;
  }
  const verb = s.dryRun ? 'Would save' : s.replaced ? 'Replaced' : 'Saved';
  ctx.out(`${verb} ${s.profileId} for agent ${s.agent}: ${s.fingerprint}`);
  ctx.out(`  kind     ${s.type === 'api_key' ? 'API key' : s.type === 'token' ? 'setup-token' : 'Claude Code login (OAuth)'} · billing: ${s.billing}`);
  ctx.out(`  check    ${checkWords({ ...s, billingChecked })}`);
  if (s.expiresAt) ctx.out(`  expires  in ${formatDuration(s.expiresAt - Date.now())} (${new Date(s.expiresAt).toISOString().slice(0, 10)})`);
  if (s.replaced && s.previousFingerprint) ctx.out(`  replaced ${s.previousFingerprint}`);
  ctx.out(`  active   ${s.activeProfile ?? 'none usable'} (order: ${s.order.join(', ')})`);
  if (verbose) ctx.out(`  store    ${s.storePath}`);
  ctx.out(`Next: clawdia models status${flag(ctx, s.agent)}`);
}

export function summaryJson(s: SaveSummary): Record<string, unknown> {
  return {
    agent: s.agent,
    profileId: s.profileId,
    type: s.type,
    mode: s.type === 'api_key' ? 'api_key' : s.type === 'token' && s.profileId !== 'anthropic:claude-cli' ? 'token' : 'oauth',
    fingerprint: s.fingerprint,
    verdict: s.verdict,
    requestId: s.requestId,
    expiresAt: s.expiresAt,
    cooldownUntil: s.cooldownUntil,
    billing: s.billing,
    replaced: s.replaced,
    activeProfile: s.activeProfile,
    order: s.order,
    config: s.configSnippet,
    copiedProfiles: s.copied,
    betasKept: s.betaKept,
    shadowedBy: s.shadowedBy,
    wrote: s.wrote,
    dryRun: s.dryRun,
    warnings: s.warnings,
  };
}

/** Validate (unless skipped), decide, ask before replacing on a TTY, write, report. */
export async function storeCredential(ctx: CommandContext, flags: WriteFlags, agent: string, profileId: string, cred: NewCredential): Promise<number> {
  const { ports } = ctx;
  const bw = baseUrlWarning({ ANTHROPIC_BASE_URL: ports.env.get('ANTHROPIC_BASE_URL') });
  if (bw && !flags.skipValidation) ctx.err(`note: ${bw}`);
  let outcome = null;
  if (!flags.skipValidation) {
    const base = shownBaseUrl(ports.env.get('ANTHROPIC_BASE_URL'));
    const billed = !!flags.checkBilling && cred.kind === 'api_key';
    ctx.err(`Checking ${fingerprint(cred.secret)} with ${base}${billed ? ' (one billed 1-token request; costs a fraction of a cent)' : ''}…`);
    outcome = await ports.validator.validate({ kind: cred.kind === 'api_key' ? 'api_key' : 'token', secret: cred.secret, timeoutMs: flags.timeoutMs, signal: ctx.signal, ...(billed ? { billed: true } : {}) });
    if (ctx.signal.aborted) return ctx.signalExitCode();
  }
  const decision = decide(outcome, { saveUnverified: flags.saveUnverified, now: ports.clock.now() });
  if (!decision.store) throw decision.error;
  // Where it will really go (save() moves a setup-token off anthropic:claude-cli, and says why).
  const target = tokenTarget(ports, profileId, cred.kind).profileId;
  const existing = ports.state.readStore(agent).store.profiles[target];
  if (existing && !flags.yes && ctx.interactive) {
    const fp = fingerprint(credentialSecret(existing));
    if (!(await confirm(ctx, `Replace ${target} (${fp}) for agent ${agent}?`, true))) {
      ctx.err('Kept the existing profile. Nothing was written. (Use --profile-id anthropic:<name> to store both.)');
      return 1;
    }
  }
  const summary = await ctx.critical(() => save(ports, { agentId: agent, profileId, credential: cred, decision, allowReplace: true }));
  reportSaved(ctx, summary, flags.json, !!flags.verbose, !!flags.checkBilling && cred.kind === 'api_key' && outcome?.verdict === 'valid');
  return 0;
}

export async function runPaste(opts: PasteOptions, ctx: CommandContext): Promise<number> {
  // Sent from another machine over ssh (`--remote`): a dropped connection cancels, see adapters/ssh-hangup.ts.
  watchSshHangup(ctx.ports.env, !!ctx.stdin.isTTY);
  const agent = resolveAgent(ctx, opts.agent);
  const profileId = opts.profileId ?? defaultProfileId(opts.kind);
  checkProfileId(profileId);
  if (opts.kind === 'api_key' && opts.expiresInMs !== undefined) throw new UsageError('--expires-in applies to tokens, not API keys.');
  const what = opts.kind === 'api_key' ? 'an Anthropic API key' : 'a setup-token';
  const cmd = opts.kind === 'api_key' ? 'paste-api-key' : 'paste-token';
  const { raw, source } = await readSecret(ctx, {
    what,
    message: opts.kind === 'api_key' ? `API key for agent ${agent}:` : `Setup-token for agent ${agent}:`,
    expected: opts.kind,
    note:
      opts.kind === 'api_key'
        ? `Paste an Anthropic API key (sk-ant-api…, from ${CONSOLE_API_KEYS}). Input is hidden.`
        : `Paste the sk-ant-oat… token printed by \`claude setup-token\` (wrapped lines are joined). Input is hidden.\n${SUBSCRIPTION_TERMS_ROUTE}`,
    stdinForm: `printf '%s' "$${opts.kind === 'api_key' ? 'ANTHROPIC_API_KEY' : 'TOKEN'}" | clawdia models auth ${cmd} --provider anthropic${flag(ctx, agent)}`,
    timeoutMs: opts.timeoutMs,
  });
  const parsed = parseSecret(raw, opts.kind);
  if (!parsed.ok) throw new ClawdiaError(parsed.message, { hint: parsed.hint });
  if (parsed.changes.length) ctx.err(`Read ${parsed.fingerprint} from ${source} (${parsed.changes.join(', ')}).`);
  const now = ctx.ports.clock.now();
  const cred: NewCredential =
    opts.kind === 'api_key'
      ? { kind: 'api_key', secret: parsed.value, source }
      : { kind: 'token', secret: parsed.value, expires: now + (opts.expiresInMs ?? SETUP_TOKEN_LIFETIME_MS), source };
  return storeCredential(ctx, opts, agent, profileId, cred);
}

export async function runSyncClaudeCli(opts: SyncClaudeCliOptions, ctx: CommandContext): Promise<number> {
  const agent = resolveAgent(ctx, opts.agent);
  const profileId = opts.profileId ?? 'anthropic:claude-cli';
  checkProfileId(profileId);
  const login = await ctx.ports.claude.readLogin({ keychain: true });
  const dir = ctx.ports.env.get('CLAUDE_CONFIG_DIR') || '~/.claude';
  if (!login) {
    throw new ClawdiaError(`No Claude Code login found on this host (${dir}/.credentials.json${process.platform === 'darwin' ? ' or the Keychain' : ''}).`, {
      hint: `Log in with \`claude\` on this host, or, if Claude Code lives on another machine, run \`claude setup-token\` there and \`clawdia models auth paste-token${flag(ctx, agent)}\` here.`,
    });
  }
  const parsed = parseSecret(login.accessToken, 'token');
  if (!parsed.ok) {
    throw new ClawdiaError(`Claude Code's login at ${login.location} does not hold a usable access token (${parsed.message})`, { hint: 'Run `claude` and log in again, then run this command again.' });
  }
  const now = ctx.ports.clock.now();
  if (login.expiresAt !== undefined && login.expiresAt - now <= 5 * 60_000) {
    throw new ClawdiaError(
      `Claude Code's login ${login.expiresAt <= now ? `expired ${formatDuration(now - login.expiresAt)} ago` : 'expires within 5 minutes'}; clawdia never refreshes it itself (that would sign Claude Code out).`,
      { hint: `Run \`claude\` (it refreshes its own login), then \`clawdia models auth sync-claude-cli${flag(ctx, agent)}\`.` },
    );
  }
  ctx.err(`Found Claude Code's login in ${login.location}: ${parsed.fingerprint}${login.expiresAt ? `, expires in ${formatDuration(login.expiresAt - now)}` : ''}.`);
  ctx.err(`note: ${SUBSCRIPTION_TERMS_ROUTE}`);
  const cred: NewCredential = {
    kind: 'oauth',
    secret: parsed.value,
    refresh: login.refreshToken,
    expires: login.expiresAt,
    source: login.location,
  };
  return storeCredential(ctx, opts, agent, profileId, cred);
}

export async function runOrder(action: 'get' | 'set', ids: string[], opts: { agent?: string; provider: string; json: boolean }, ctx: CommandContext): Promise<number> {
  const agent = resolveAgent(ctx, opts.agent);
  const { config } = ctx.ports.state.readConfig();
  if (action === 'get') {
    if (ids.length) throw new UsageError('order get takes no profile ids.', 'Did you mean: clawdia models auth order set --provider anthropic <ids…>');
    const { store } = ctx.ports.state.readStore(agent);
    const { explicit } = effectiveOrder(config, store, opts.provider);
    // `effective`: the gateway's try order (core/gateway.ts), what it actually does with the files.
    const all = resolveProvider(config, store, opts.provider, ctx.ports.clock.now()).order;
    const fromStore = !!store.order?.[opts.provider];
    if (opts.json) {
      ctx.out(JSON.stringify({ agent, provider: opts.provider, order: explicit, effective: all, source: fromStore ? 'store' : config.auth?.order?.[opts.provider] ? 'config' : 'none' }, null, 2));
    } else {
      ctx.out(all.length ? all.join('\n') : `(no ${opts.provider} profiles the gateway would try for agent ${agent})`);
      if (!fromStore && all.length) {
        ctx.err(`note: agent ${agent} has no order of its own; this is ${config.auth?.order?.[opts.provider] ? "the config's order" : 'how the gateway ranks them (oauth > token > api_key, then least recently used)'}.`);
      }
    }
    return 0;
  }
  if (ids.length === 0) throw new UsageError('order set needs at least one profile id.', 'Example: clawdia models auth order set --provider anthropic anthropic:claude-cli anthropic:default');
  for (const id of ids) {
    const { provider } = checkProfileId(id);
    if (provider !== opts.provider) throw new UsageError(`${id} is not a ${opts.provider} profile.`);
  }
  if (new Set(ids).size !== ids.length) throw new UsageError('A profile id is listed twice.');
  // The gateway merges main's profiles into every agent's view, so another agent's order may name them.
  const { state } = ctx.ports;
  const main = state.paths.storePath(agent) === state.paths.mainStorePath ? null : state.readMainStore();
  await ctx.critical(() =>
    ctx.ports.state.update([agent], (draft) => {
      const store = draft.stores[agent]!;
      const absent = ids.filter((id) => !(id in store.profiles) && !(main && id in main.store.profiles));
      if (absent.length) {
        throw new ClawdiaError(`Not in agent ${agent}'s store${main ? " nor in main's" : ''}: ${absent.join(', ')}.`, { hint: `See what is stored: clawdia models status${flag(ctx, agent)}` });
      }
      store.order = { ...(store.order ?? {}), [opts.provider]: ids };
    }),
  );
  ctx.out(`Order for agent ${agent} (${opts.provider}): ${ids.join(', ')}`);
  return 0;
}

export async function runClearCooldown(opts: { agent?: string; profileId?: string }, ctx: CommandContext): Promise<number> {
  const agent = resolveAgent(ctx, opts.agent);
  if (opts.profileId) checkProfileId(opts.profileId);
  let cleared: string[] = [];
  await ctx.critical(() =>
    ctx.ports.state.update([agent], (draft) => {
      const store = draft.stores[agent]!;
      if (opts.profileId && !(opts.profileId in store.profiles)) {
        throw new ClawdiaError(`No profile ${opts.profileId} for agent ${agent}.`, { hint: `See what is stored: clawdia models status${flag(ctx, agent)}` });
      }
      cleared = clearCooldown(store, opts.profileId);
      if (cleared.length === 0) throw new NothingToDo();
    }),
  ).catch((e) => {
    if (!(e instanceof NothingToDo)) throw e;
  });
  ctx.out(cleared.length ? `Cleared cooldown for ${cleared.join(', ')} (agent ${agent}).` : `Nothing to clear: no profile of agent ${agent} is cooling down or disabled.`);
  return 0;
}

class NothingToDo extends Error {}

export async function runRemove(profileId: string, opts: { agent?: string }, ctx: CommandContext): Promise<number> {
  const agent = resolveAgent(ctx, opts.agent);
  checkProfileId(profileId);
  let fp = '';
  await ctx.critical(() =>
    ctx.ports.state.update([agent], (draft) => {
      const store = draft.stores[agent]!;
      const cred = store.profiles[profileId];
      if (!cred) throw new ClawdiaError(`No profile ${profileId} for agent ${agent}; nothing was removed.`, { hint: `See what is stored: clawdia models status${flag(ctx, agent)}` });
      fp = fingerprint(credentialSecret(cred));
      // Read the other agents' stores here, under the config lock every writer takes first: read
      // before it, another agent could gain this profile meanwhile and lose its declaration.
      const heldElsewhere = listAgents(draft.config)
        .filter((a) => a !== agent)
        .some((a) => {
          try {
            return profileId in ctx.ports.state.readStore(a).store.profiles;
          } catch {
            return true; // unreadable: keep the declaration, to be safe
          }
        });
      removeProfile(draft.config, store, profileId, heldElsewhere);
    }),
  );
  ctx.out(`Removed ${profileId} (${fp}) from agent ${agent}.`);
  return 0;
}
