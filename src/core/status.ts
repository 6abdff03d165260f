// `models status` computed (SPEC §5 "models status", §9 "Modes and states", "Env shadowing"):
// the gateway's view of one agent (core/gateway.ts), each profile's state, the env credentials
// and what the gateway does with them (issue 10's judge over SPEC's "shadows"), the warnings, and `--check`'s exit code. Pure: config, store, env values,
// clock and probe results in; the JSON object out. The pieces live in core/status/ (types: the
// shape; profile: one profile's state; warnings; text: the human view) and are re-exported here,
// so callers import this one module.
// Re-exported for the validator: imported from here, base-url.ts shares the chunk `models status`
// loads anyway instead of being a file of its own (one module load less, SPEC §8).
export { checkBaseUrl } from './base-url.js';
import { fingerprint, normalizeSecret } from './credentials.js';
import { agentView, ENV_CREDENTIALS, envUse, resolveProvider, type ProviderResolution } from './gateway.js';
import type { AuthStore, ClawdiaConfig, StoredCredential } from './types.js';
import { computeProfile, USABLE } from './status/profile.js';
import { statusWarnings } from './status/warnings.js';
import type { AgentStatus, EnvCredential, ProfileStatus, StatusInput, UnusableProfile } from './status/types.js';

export type * from './status/types.js';
export { baseUrlWarning } from './status/warnings.js';
export { renderStatusText } from './status/text.js';

/** The credentials status reads from the environment (the gateway's rules for them: core/gateway.ts envUse). */
export { ENV_CREDENTIALS };

export function computeStatus(input: StatusInput): AgentStatus {
  const { config, now } = input;
  const isMain = input.isMainStore ?? input.mainStore === undefined;
  // The gateway's view of this agent (core/gateway.ts): its own store with main's merged under it.
  const view = agentView({ store: input.storeExists || isMain ? input.store : null, isMainStore: isMain }, input.mainStore ?? null);
  const ownValidation = input.store.validation ?? {};
  const mainValidation = input.mainStore?.validation ?? {};
  const validation: NonNullable<AuthStore['validation']> = {};
  for (const [id, o] of Object.entries(view.origin)) {
    const v = o === 'own' ? ownValidation[id] : mainValidation[id];
    if (v) validation[id] = v;
  }
  // Profiles the gateway drops when it loads the store (unknown type, no provider) are still shown.
  const profilesShown: Record<string, StoredCredential> = { ...view.store.profiles };
  for (const [id, c] of Object.entries(input.store.profiles)) if (!(id in profilesShown) && c) profilesShown[id] = c;
  const store: AuthStore = { ...view.store, profiles: profilesShown, validation };
  const viewInput: StatusInput = { ...input, store };
  const providers = new Set<string>(['anthropic']);
  for (const c of Object.values(store.profiles)) if (c && typeof c.provider === 'string') providers.add(c.provider);
  const order: Record<string, string[]> = {};
  const profiles: ProfileStatus[] = [];
  const activeProfile: Record<string, string | null> = {};
  const resolutions: Record<string, ProviderResolution> = {};
  for (const provider of providers) {
    const res = resolveProvider(config, view.store, provider, now);
    resolutions[provider] = res;
    if (res.explicit) order[provider] = [...res.explicit];
    // Listed in the agent's explicit order when it has one (the fix-it screens walk problems in this
    // order); without one, as the gateway ranks them. Then the rest. ("Gateway tries" shows the try order.)
    const ids = [...(res.explicit ?? []), ...res.order, ...Object.keys(store.profiles).filter((id) => store.profiles[id]?.provider === provider)];
    const seen = new Set<string>();
    const verdicts = new Map(res.profiles.map((v) => [v.profileId, v]));
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const p = computeProfile(viewInput, id, provider);
      const verdict = verdicts.get(id);
      if (store.profiles[id]) {
        p.origin = view.origin[id] ?? 'own';
        p.gateway = { tried: !!verdict?.eligible, rank: verdict?.rank ?? null, notTried: verdict?.why ?? (verdict ? null : 'empty') };
      }
      profiles.push(p);
    }
    activeProfile[provider] = res.active;
  }
  const unusableProfiles: UnusableProfile[] = profiles
    .filter((p) => !USABLE.has(p.state))
    .map((p) => {
      const stats = store.usageStats?.[p.profileId] ?? {};
      const until =
        p.state === 'cooldown' ? p.cooldownUntil : p.state === 'disabled' ? (stats.disabledUntil ?? null) : p.state === 'expired' ? p.expiresAt : null;
      const reason =
        p.state === 'disabled'
          ? String(stats.disabledReason ?? 'unknown')
          : p.state === 'cooldown'
            ? 'rate_limit'
            : p.state === 'expired'
              ? 'expired'
              : p.state === 'missing'
                ? 'missing'
                : (p.probe?.verdict ?? p.lastValidation?.verdict ?? 'invalid');
      return {
        profileId: p.profileId,
        provider: p.provider,
        kind: p.state as UnusableProfile['kind'],
        reason,
        until,
        remainingMs: until !== null ? until - now : null,
      };
    });
  // What the gateway does with each credential in its environment, given the profile it resolves.
  const envSet = new Set(ENV_CREDENTIALS.filter((n) => input.env[n]?.trim()));
  const activeId = activeProfile.anthropic ?? null;
  const activeType = activeId ? (profiles.find((p) => p.profileId === activeId)?.type ?? null) : null;
  const uses = envUse(envSet, activeId ? { profileId: activeId, type: activeType } : null);
  const env: EnvCredential[] = [];
  for (const name of ENV_CREDENTIALS) {
    if (!envSet.has(name)) continue;
    const { use, affects } = uses[name];
    env.push({ name, fingerprint: fingerprint(normalizeSecret(input.env[name]!).value), shadows: use === 'alongside' ? affects : null, use });
  }
  const warnings = statusWarnings(input, { store, view, profiles, resolutions, activeProfile, env });
  return {
    schemaVersion: 1,
    agent: input.agent,
    configPath: input.configPath,
    agentDir: input.agentDir,
    defaultModel: config.agents?.defaults?.model?.primary ?? null,
    ...(input.source ? { state: input.source } : {}),
    ...(input.checksPath ? { checksPath: input.checksPath } : {}),
    gateway: {
      inheritance: view.inheritance,
      order: Object.fromEntries(Object.entries(resolutions).map(([k, r]) => [k, r.order])),
      orderSource: Object.fromEntries(Object.entries(resolutions).map(([k, r]) => [k, r.orderSource])),
      activeProfile: { ...activeProfile },
    },
    cacheTtl: cacheTtlOf(config),
    auth: {
      storePath: input.storePath,
      profiles,
      order,
      activeProfile,
      unusableProfiles,
      env,
      warnings,
    },
  };
}

/** `--check`: 1 no profile / expired / invalid / missing / none usable; 2 something expiring; else 0. */
export function checkCode(s: AgentStatus): 0 | 1 | 2 {
  const ps = s.auth.profiles;
  if (ps.length === 0) return 1;
  if (ps.some((p) => p.state === 'expired' || p.state === 'invalid' || p.state === 'missing')) return 1;
  if (!ps.some((p) => USABLE.has(p.state))) return 1;
  // The gateway tries nothing (every usable profile left out of its order, or declared with the wrong mode).
  if (s.auth.activeProfile.anthropic === null) return 1;
  if (ps.some((p) => p.state === 'expiring')) return 2;
  return 0;
}

export function worstCheck(codes: Array<0 | 1 | 2>): 0 | 1 | 2 {
  if (codes.includes(1)) return 1;
  if (codes.includes(2)) return 2;
  return 0;
}

function cacheTtlOf(config: ClawdiaConfig): '5m' | '1h' | null {
  const model = config.agents?.defaults?.model?.primary;
  if (!model) return null;
  return config.agents?.defaults?.models?.[model]?.params?.cacheControlTtl === '1h' ? '1h' : '5m';
}
