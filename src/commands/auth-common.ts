// What the credential-writing commands share (paste-token, paste-api-key, sync-claude-cli; and
// onboard's --json summary): the agent a command acts on, the `--agent` part of a printed fix
// command, storing a credential (validate, decide, ask before replacing, write under the lock)
// and the report of what is now stored.
import { activeWarningLine } from '../core/active-profile.js';
import { fingerprint } from '../core/credentials.js';
import { shownBaseUrl } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import { defaultAgent, migrationNotice } from '../core/migration.js';
import { agentFlag, checkAgentId } from '../core/paths.js';
import { baseUrlWarning } from '../core/status.js';
import { envEffect } from '../core/status/warnings.js';
import { credentialSecret } from '../core/types.js';
import { decide, save, tokenTarget, validate, type NewCredential, type SaveSummary } from '../app/credential-flow.js';
import { confirm } from '../ui/confirm.js';
import { checkWords } from '../wizard/summary.js';
import type { CommandContext } from './context.js';
import type { WriteFlags } from './options.js';

export function resolveAgent(ctx: CommandContext, agent: string | undefined): string {
  if (agent !== undefined) return checkAgentId(agent);
  return defaultAgent(ctx.ports.state.readConfig().config);
}

/** ` --agent <id>` for a printed command, unless `agent` is the default (an unreadable config: always). */
export function agentFlagFor(ctx: CommandContext, agent: string): string {
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
    ctx.err(`warning: ${e.name} is set in this environment (${e.fingerprint}): ${envEffect(e)}.`);
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
  ctx.out(`Next: clawdia models status${agentFlagFor(ctx, s.agent)}`);
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
    outcome = await validate(ports, cred, { timeoutMs: flags.timeoutMs, signal: ctx.signal, billed });
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
