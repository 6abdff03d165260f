// One profile's state (SPEC §9 "Modes and states"): what is stored, the last check or a fresh
// probe, expiry, cooldown and the declared mode give ok / expiring / expired / invalid / cooldown /
// disabled / unverified / missing, with the problem in words and the command that fixes it. Pure.
import { CONSOLE_BILLING } from '../copy.js';
import { formatDuration } from '../duration.js';
import { agentFlag } from '../paths.js';
import { defaultAgent } from '../migration.js';
import { fingerprint } from '../credentials.js';
import { modeFor } from '../save.js';
import { EXPIRING_WINDOW_MS } from '../gateway.js';
import { credentialSecret, type StoredCredential } from '../types.js';
import type { ProfileState, ProfileStatus, StatusInput } from './types.js';

export const USABLE: ReadonlySet<ProfileState> = new Set(['ok', 'expiring', 'unverified']);

/**
 * 24 h for every expiring credential, as the gateway's own `models status` (agents/auth-health.js
 * DEFAULT_OAUTH_WARN_MS): issue 10 replaced SPEC §9's 1 h for OAuth logins, so `--check` exits 2
 * where the gateway's does.
 */
export function expiringWindow(_type: StoredCredential['type']): number {
  return EXPIRING_WINDOW_MS;
}

function fixFor(agent: string, defaultId: string, id: string, cred: StoredCredential | undefined, state: ProfileState): string | null {
  const a = agentFlag(agent, defaultId);
  const p = id === 'anthropic:claude-cli' || id === 'anthropic:default' ? '' : ` --profile-id ${id}`;
  switch (state) {
    case 'expired':
    case 'invalid':
      if (!cred) return null;
      if (cred.type === 'api_key') return `clawdia models auth paste-api-key${a}${p}`;
      if (cred.type === 'oauth') return `claude   # then: clawdia models auth sync-claude-cli${a}`;
      return `clawdia models auth setup-token${a}${p}   # or: clawdia models auth paste-token${a}${p}`;
    case 'cooldown':
    case 'disabled':
      return `clawdia models auth clear-cooldown --profile-id ${id}${a}`;
    case 'missing':
      return `clawdia onboard${a}   # or drop it: clawdia models auth order set --provider anthropic <ids…>${a}`;
    default:
      return null;
  }
}

export function computeProfile(input: StatusInput, id: string, provider: string): ProfileStatus {
  const { store, config, now } = input;
  const cred = store.profiles[id];
  const declared = config.auth?.profiles?.[id]?.mode ?? null;
  const last = store.validation?.[id];
  const lastValidation = last
    ? { at: last.at, verdict: last.verdict, ...(last.detail ? { detail: last.detail } : {}), ...(last.requestId ? { requestId: last.requestId } : {}) }
    : null;
  const probe = input.probes?.[id] ?? null;
  if (!cred) {
    return {
      profileId: id,
      provider,
      type: null,
      mode: declared,
      fingerprint: null,
      state: 'missing',
      expiresAt: null,
      remainingMs: null,
      cooldownUntil: null,
      lastValidation,
      source: 'store',
      probe,
      problem: `named in the order but not in this agent's store`,
      fix: fixFor(input.agent, defaultAgent(input.config), id, undefined, 'missing'),
    };
  }
  const secret = credentialSecret(cred);
  const fp = typeof secret === 'string' && secret ? fingerprint(secret) : '(empty)';
  const expiresAt = typeof cred.expires === 'number' && cred.type !== 'api_key' ? cred.expires : null;
  const stats = store.usageStats?.[id] ?? {};
  const cooldownUntil = typeof stats.cooldownUntil === 'number' && stats.cooldownUntil > now ? stats.cooldownUntil : null;
  const disabledUntil = typeof stats.disabledUntil === 'number' && stats.disabledUntil > now ? stats.disabledUntil : null;
  let state: ProfileState;
  let problem: string | null = null;
  const mismatch = declared && (declared === 'api_key') !== (cred.type === 'api_key');
  const knownType = cred.type === 'api_key' || cred.type === 'token' || cred.type === 'oauth';
  if (expiresAt !== null && expiresAt <= now) {
    state = 'expired';
    problem = `expired ${formatDuration(now - expiresAt)} ago`;
  } else if (disabledUntil) {
    state = 'disabled';
    problem = `disabled (${stats.disabledReason ?? 'unknown reason'}) for ${formatDuration(disabledUntil - now)}`;
  } else if (cooldownUntil) {
    state = 'cooldown';
    problem = `cooldown ${formatDuration(cooldownUntil - now)} (rate limited)`;
  } else if (!knownType || typeof secret !== 'string' || !secret) {
    state = 'invalid';
    problem = `the stored entry has no usable credential (type ${JSON.stringify(cred.type)})`;
  } else if (mismatch) {
    state = 'invalid';
    problem = `declared mode "${declared}" in the config but holds ${cred.type === 'api_key' ? 'an API key' : 'a token'} — not eligible`;
  } else {
    const verdict = probe && probe.verdict !== 'skipped' ? probe.verdict : last?.verdict;
    const window = expiringWindow(cred.type);
    const soon = expiresAt !== null && expiresAt - now <= window;
    const fresh = probe && probe.verdict !== 'skipped' ? probe : null;
    switch (verdict) {
      case 'invalid':
      case 'forbidden':
        state = 'invalid';
        // Only an answer is "the API answered": a value refused before sending was never seen by it.
        problem =
          fresh && fresh.httpStatus === null
            ? `not sent: ${fresh.message ?? 'refused before the request'}`
            : `the API answered ${fresh && typeof fresh.httpStatus === 'number' ? `${fresh.httpStatus} (${verdict})` : verdict === 'invalid' ? '401 (invalid)' : '403/400 (forbidden)'}${fresh ? ' just now' : ' at the last check'}`;
        break;
      case 'redirected':
        // Says nothing about the credential: its state stays what the last check said.
        state = soon ? 'expiring' : last?.verdict === 'valid' ? 'ok' : 'unverified';
        problem = fresh?.message ?? 'the API base answered a redirect; nothing was sent there';
        break;
      case 'no_credit':
        state = 'invalid';
        problem = `the account has no credit (credit balance too low)${probe ? ' just now' : ' at the last check'}: add credits at ${CONSOLE_BILLING}`;
        break;
      case 'rate_limited':
        state = 'cooldown';
        problem = 'rate limited at the last check';
        break;
      case 'unavailable':
      case 'offline':
      case 'unverified':
        state = soon ? 'expiring' : 'unverified';
        break;
      case 'valid':
      case undefined:
        state = soon ? 'expiring' : 'ok';
        break;
    }
    if (state === 'expiring') problem = `expires in ${formatDuration(expiresAt! - now)}`;
  }
  return {
    profileId: id,
    provider,
    type: cred.type,
    mode: declared ?? (knownType ? modeFor(cred, id) : null),
    fingerprint: fp,
    state,
    expiresAt,
    remainingMs: expiresAt !== null ? expiresAt - now : null,
    cooldownUntil,
    lastValidation,
    source: 'store',
    probe,
    problem,
    fix: fixFor(input.agent, defaultAgent(input.config), id, cred, state),
    ...(cred.type === 'oauth' && typeof cred.email === 'string' ? { email: cred.email } : {}),
  };
}
