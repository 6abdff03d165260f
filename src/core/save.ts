// What writing a credential means, as pure changes to a config + store draft (SPEC §2, §5, §9).
// Shared by `models auth *` and the wizard, so both write exactly the same thing.
import { ClawdiaError } from './errors.js';
import { checkProfileId } from './paths.js';
import { fingerprint } from './credentials.js';
import { CLAUDE_CLI_PROFILE_ID } from './gateway.js';
import { credentialSecret, type AuthStore, type ClawdiaConfig, type ProfileMode, type StoredCredential, type ValidationRecord } from './types.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const SETUP_TOKEN_LIFETIME_MS = 365 * DAY_MS;

/** `claude-opus-4-5` → `anthropic/claude-opus-4-5`; a ref with a provider stays as it is. */
export function modelRef(model: string): string {
  return model.includes('/') ? model : `anthropic/${model}`;
}

/**
 * The mode a profile is declared with. `anthropic:claude-cli` is always "oauth": the gateway fills it
 * with Claude Code's login (an OAuth credential), and a "token" declaration would make it skip that
 * (order.js: mode "oauth" also takes a token, "token" takes nothing else). Any other id holding a
 * setup-token is declared "token" (issue 10: `anthropic:setup-token`, mode "token").
 */
export function modeFor(c: StoredCredential, profileId?: string): ProfileMode {
  if (c.type === 'api_key') return 'api_key';
  if (c.type === 'token' && profileId !== undefined && profileId !== CLAUDE_CLI_PROFILE_ID) return 'token';
  return 'oauth';
}

export function defaultProfileId(kind: 'api_key' | 'token'): string {
  return kind === 'api_key' ? 'anthropic:default' : 'anthropic:claude-cli';
}

/** Effective order for a provider: the store's wins over the config's; then stored profiles not listed. */
export function effectiveOrder(config: ClawdiaConfig, store: AuthStore, provider: string): { explicit: string[]; all: string[] } {
  const explicit = store.order?.[provider] ?? config.auth?.order?.[provider] ?? [];
  const rest = Object.keys(store.profiles).filter((id) => store.profiles[id]?.provider === provider && !explicit.includes(id));
  return { explicit: [...explicit], all: [...explicit, ...rest] };
}

/** Refuse a token into an id declared `api_key`, or an API key into one declared for tokens (SPEC §9). */
export function checkModeCompatible(config: ClawdiaConfig, store: AuthStore, profileId: string, cred: StoredCredential): void {
  const declared = config.auth?.profiles?.[profileId]?.mode;
  const stored = store.profiles[profileId];
  const want = modeFor(cred);
  const have = declared ? (declared === 'api_key' ? 'api_key' : 'oauth') : stored ? modeFor(stored) : undefined;
  if (have && have !== want) {
    const what = want === 'api_key' ? 'an API key' : 'a token';
    const is = have === 'api_key' ? 'an API-key profile' : 'a token/OAuth profile';
    throw new ClawdiaError(`${profileId} is ${is}; clawdia will not store ${what} in it.`, {
      hint: `Use --profile-id anthropic:<name> for a new profile, or remove the old one first (clawdia models auth remove ${profileId}).`,
    });
  }
}

export function ensureAgentListed(config: ClawdiaConfig, agentId: string): void {
  config.agents ??= {};
  const list = (config.agents.list ??= []);
  if (list.some((a) => a?.id === agentId)) return;
  // An empty list means the gateway runs one agent, main (agent-scope.js listAgentIds); listing
  // another agent alone would make that one the default. Keep main, as the default, first.
  if (list.length === 0) list.push({ id: 'main', default: true });
  if (agentId !== 'main') list.push({ id: agentId });
}

export interface SaveCredential {
  agentId: string;
  profileId: string;
  credential: StoredCredential;
  /** Recorded in `validation[profileId]`; null leaves no record. */
  validation: ValidationRecord | null;
  /** From a 429's retry-after (epoch ms). */
  cooldownUntil?: number;
}

export interface SaveOutcome {
  replaced: boolean;
  previousFingerprint?: string;
  /** Position in the effective order after the write (0 = first). */
  orderIndex: number;
}

/** Put a credential in the draft: store entry, order, usage/validation, config declaration, agent list. */
export function applyCredential(config: ClawdiaConfig, store: AuthStore, input: SaveCredential): SaveOutcome {
  const { provider } = checkProfileId(input.profileId);
  const { profileId, credential } = input;
  checkModeCompatible(config, store, profileId, credential);
  const previous = store.profiles[profileId];
  // Keep unknown fields of the entry being replaced (SPEC §2), but none of its secret fields.
  const kept: Record<string, unknown> = {};
  if (previous && previous.type === credential.type) {
    for (const [k, v] of Object.entries(previous)) {
      if (!['type', 'provider', 'key', 'token', 'access', 'refresh', 'expires', 'email'].includes(k)) kept[k] = v;
    }
  }
  store.profiles[profileId] = { ...kept, ...credential, provider } as StoredCredential;

  const { explicit, all } = effectiveOrder(config, store, provider);
  // An explicit order locks the gateway's rotation (order.js): profiles the user left out of it stay
  // out; without one, every stored profile is listed (the write creates the order).
  const base = explicit.length ? explicit : all;
  let order: string[];
  if (previous && all.includes(profileId)) {
    order = base.includes(profileId) ? base : [...base, profileId];
  } else {
    // A newly added profile goes first: the user's latest choice is used (SPEC §9).
    order = [profileId, ...base.filter((id) => id !== profileId)];
  }
  store.order = { ...(store.order ?? {}), [provider]: order };

  // Replacing clears its cooldown and last error.
  const stats = { ...(store.usageStats?.[profileId] ?? {}) };
  delete stats.cooldownUntil;
  delete stats.disabledUntil;
  delete stats.disabledReason;
  delete stats.lastFailureAt;
  delete stats.failureCounts;
  stats.errorCount = 0;
  if (input.cooldownUntil) {
    stats.cooldownUntil = input.cooldownUntil;
    stats.failureCounts = { rate_limit: 1 };
  }
  store.usageStats = { ...(store.usageStats ?? {}), [profileId]: stats };
  if (input.validation) store.validation = { ...(store.validation ?? {}), [profileId]: input.validation };

  config.auth ??= {};
  config.auth.profiles ??= {};
  config.auth.profiles[profileId] = { ...(config.auth.profiles[profileId] ?? {}), provider, mode: modeFor(credential, profileId) };
  ensureAgentListed(config, input.agentId);
  store.version ??= 1;

  return {
    replaced: !!previous,
    previousFingerprint: previous ? fingerprint(credentialSecret(previous)) : undefined,
    orderIndex: order.indexOf(profileId),
  };
}

/** Remove a profile from one agent's store. The config declaration goes only when no other agent holds it. */
export function removeProfile(config: ClawdiaConfig, store: AuthStore, profileId: string, heldElsewhere: boolean): boolean {
  const { provider } = checkProfileId(profileId);
  const had = profileId in store.profiles;
  delete store.profiles[profileId];
  if (store.order?.[provider]) store.order[provider] = store.order[provider]!.filter((id) => id !== profileId);
  if (store.usageStats) delete store.usageStats[profileId];
  if (store.validation) delete store.validation[profileId];
  if (store.lastGood?.[provider] === profileId) delete store.lastGood[provider];
  if (!heldElsewhere && config.auth?.profiles) delete config.auth.profiles[profileId];
  if (!heldElsewhere && config.auth?.order?.[provider]) {
    config.auth.order[provider] = config.auth.order[provider]!.filter((id) => id !== profileId);
  }
  return had;
}

/** Clear cooldown/disabled marks; all profiles when `profileId` is undefined. Returns the ids cleared. */
export function clearCooldown(store: AuthStore, profileId?: string): string[] {
  const cleared: string[] = [];
  for (const [id, s] of Object.entries(store.usageStats ?? {})) {
    if (profileId && id !== profileId) continue;
    if (s.cooldownUntil || s.disabledUntil || s.errorCount) {
      delete s.cooldownUntil;
      delete s.disabledUntil;
      delete s.disabledReason;
      s.errorCount = 0;
      cleared.push(id);
    }
  }
  return cleared;
}

/** Copy another agent's profiles into a new agent (`--copy-from`, or "Yes" in the wizard). */
export function copyProfiles(from: AuthStore, to: AuthStore): string[] {
  const copied: string[] = [];
  for (const [id, cred] of Object.entries(from.profiles)) {
    if (id in to.profiles) continue;
    to.profiles[id] = structuredClone(cred);
    if (from.validation?.[id]) to.validation = { ...(to.validation ?? {}), [id]: structuredClone(from.validation[id]!) };
    copied.push(id);
  }
  if (from.order) {
    to.order ??= {};
    for (const [p, ids] of Object.entries(from.order)) {
      const cur = to.order[p] ?? [];
      to.order[p] = [...cur, ...ids.filter((id) => !cur.includes(id))];
    }
  }
  return copied;
}

/** Put a cache TTL choice into the config (global: agents.defaults). `5m` removes the setting. */
export function applyModelSettings(config: ClawdiaConfig, opts: { model?: string; cacheTtl?: '5m' | '1h'; oauth?: boolean }): { betaKept: string[] } {
  if (opts.model || opts.cacheTtl) config.agents ??= {};
  const defaults = config.agents && (opts.model || opts.cacheTtl) ? (config.agents.defaults ??= {}) : (config.agents?.defaults ?? {});
  if (opts.model) {
    const ref = modelRef(opts.model);
    defaults.model = { ...(defaults.model ?? {}), primary: ref };
  }
  const ref = defaults.model?.primary;
  if (opts.cacheTtl && ref) {
    defaults.models ??= {};
    const entry = (defaults.models[ref] ??= {});
    const params = { ...(entry.params ?? {}) };
    if (opts.cacheTtl === '1h') params.cacheControlTtl = '1h';
    else delete params.cacheControlTtl;
    entry.params = params;
    if (Object.keys(params).length === 0) delete entry.params;
    if (Object.keys(entry).length === 0) delete defaults.models[ref];
    if (Object.keys(defaults.models).length === 0) delete defaults.models;
  }
  // Keep the betas clawdia relies on in an overridden anthropic-beta header (SPEC §6 step 6).
  const headers = config.models?.providers?.anthropic?.headers;
  const betaKept: string[] = [];
  const key = headers ? Object.keys(headers).find((k) => k.toLowerCase() === 'anthropic-beta') : undefined;
  if (headers && key) {
    const list = String(headers[key])
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const need = [...(opts.cacheTtl === '1h' ? ['extended-cache-ttl-2025-04-11'] : []), ...(opts.oauth ? ['oauth-2025-04-20'] : [])];
    for (const b of need) {
      if (!list.includes(b)) {
        list.push(b);
        betaKept.push(b);
      }
    }
    headers[key] = list.join(',');
  }
  return { betaKept };
}
