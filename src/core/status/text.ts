// The human view of `models status` (the text without --json): per profile its kind, fingerprint,
// state, expiry, cooldown, last check, problem and fix command; then order, active, env, warnings. Pure.
import { formatDuration } from '../duration.js';
import { agentFlag } from '../paths.js';
import type { Ineligible } from '../gateway.js';
import type { AgentStatus } from './types.js';
import { envEffect } from './warnings.js';

const NOT_TRIED: Record<Ineligible, string> = {
  'not-in-order': 'left out of the order: the gateway never tries it',
  'not-declared': 'not declared in the config while others are: the gateway never tries it',
  'mode-mismatch': 'its declared mode does not fit the credential: the gateway skips it',
  empty: 'holds no credential: the gateway skips it',
  expired: 'expired: the gateway skips it',
};

function ago(ms: number): string {
  return `${formatDuration(ms)} ago`;
}

/** The human view: per profile id, kind, fingerprint, state, expiry, cooldown, validation, fix command. */
export function renderStatusText(s: AgentStatus, now: number, defaultAgentId: string | null): string {
  const out: string[] = [];
  out.push(`Agent ${s.agent}`);
  if (s.state) out.push(`  state   ${s.state.stateDir}  (${s.state.stateDirFrom})`);
  out.push(`  config  ${s.configPath}${s.state ? `  (${s.state.configFrom})` : ''}`);
  out.push(`  store   ${s.auth.storePath}`);
  out.push(`  model   ${s.defaultModel ? `${s.defaultModel} · cache TTL ${s.cacheTtl === '1h' ? '1h' : "5m (Anthropic's default)"}` : '(not set)'}`);
  out.push('');
  if (s.auth.profiles.length === 0) {
    out.push(`No Anthropic credentials for agent "${s.agent}".`);
    out.push(`  fix: clawdia onboard${agentFlag(s.agent, defaultAgentId)}`);
  }
  for (const p of s.auth.profiles) {
    const active = Object.values(s.auth.activeProfile).includes(p.profileId) ? '  ← active' : '';
    const kind =
      p.type === 'api_key'
        ? 'API key (usage-based billing)'
        : p.type === 'token'
          ? 'setup-token (Claude subscription)'
          : p.type === 'oauth'
            ? 'Claude Code login (Claude subscription)'
            : 'missing';
    const via = p.origin === 'main' ? "  (main's, merged in by the gateway)" : p.origin === 'clone' ? "  (main's, copied on the gateway's next load)" : '';
    out.push(`${p.profileId}  ${kind}${active}${via}`);
    if (p.fingerprint) out.push(`  credential  ${p.fingerprint}  (source: ${p.source})`);
    const bits: string[] = [p.state];
    if (p.expiresAt !== null) bits.push(p.expiresAt > now ? `expires in ${formatDuration(p.expiresAt - now)}` : `expired ${ago(now - p.expiresAt)}`);
    if (p.cooldownUntil) bits.push(`cooldown ${formatDuration(p.cooldownUntil - now)}`);
    out.push(`  state       ${bits.join(' · ')}`);
    if (p.lastValidation) {
      out.push(
        `  checked     ${p.lastValidation.verdict} ${ago(now - p.lastValidation.at)}${p.lastValidation.requestId ? ` (request ${p.lastValidation.requestId})` : ''}`,
      );
    } else {
      out.push(`  checked     never (run: clawdia models status --probe)`);
    }
    if (p.probe) out.push(`  probe       ${p.probe.verdict}${p.probe.requestId ? ` (request ${p.probe.requestId})` : ''} in ${p.probe.ms} ms`);
    if (p.problem && p.state !== 'ok') out.push(`  problem     ${p.problem}`);
    if (p.fix) out.push(`  fix         ${p.fix}`);
    if (p.gateway && !p.gateway.tried && p.gateway.notTried) out.push(`  gateway     ${NOT_TRIED[p.gateway.notTried]}`);
    out.push('');
  }
  for (const [prov, ids] of Object.entries(s.auth.order)) out.push(`Order (${prov}): ${ids.join(', ') || '(empty)'}`);
  for (const [prov, ids] of Object.entries(s.gateway?.order ?? {})) {
    if (!ids.length && !s.auth.order[prov]) continue;
    const how =
      s.gateway!.orderSource[prov] === 'rank'
        ? 'no order set: oauth > token > api_key, then least recently used'
        : `the ${s.gateway!.orderSource[prov]}'s order, nothing else`;
    out.push(`Gateway tries (${prov}): ${ids.join(', ') || 'nothing'}  (${how})`);
  }
  for (const [prov, id] of Object.entries(s.auth.activeProfile)) {
    out.push(`Active (${prov}): ${id ?? 'none usable'}`);
  }
  if (s.auth.env.length) {
    out.push('');
    out.push('Environment:');
    for (const e of s.auth.env) {
      out.push(`  ${e.name} ${e.fingerprint} — ${envEffect(e)}`);
    }
  }
  const extra = s.auth.warnings.filter((w) => !s.auth.env.some((e) => w.startsWith(e.name + ' is set')) && !w.startsWith('No Anthropic credential'));
  if (extra.length) {
    out.push('');
    for (const w of extra) out.push(`warning: ${w}`);
  }
  return out.join('\n') + '\n';
}
