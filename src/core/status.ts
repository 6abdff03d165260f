// Status computation (SPEC §5 "models status", §9 "Modes and states", "Env shadowing").
// Pure: config, store, env values, clock and probe results in; the JSON object out.
import { isLoopbackHost } from './base-url.js';
// Re-exported for the validator: imported from here, base-url.ts shares the chunk `models status`
// loads anyway instead of being a file of its own (one module load less, SPEC §8).
export { checkBaseUrl } from './base-url.js';
import { CONSOLE_BILLING, DEFAULT_BASE_URL } from './copy.js';
import { formatDuration } from './duration.js';
import { agentFlag } from './paths.js';
import { defaultAgent } from './migration.js';
import { fingerprint, normalizeSecret } from './credentials.js';
import { modeFor } from './save.js';
import { agentView, CLAUDE_CLI_PROFILE_ID, EXPIRING_WINDOW_MS, MAIN_AGENT_ID, resolveProvider, SETUP_TOKEN_PROFILE_ID, type Ineligible, type ProfileOrigin, type ProviderResolution } from './gateway.js';
import { credentialSecret, type AuthStore, type ClawdiaConfig, type StoredCredential, type Verdict } from './types.js';

export type ProfileState = 'ok' | 'expiring' | 'expired' | 'invalid' | 'cooldown' | 'disabled' | 'unverified' | 'missing';

export interface ProbeResult {
  verdict: Exclude<Verdict, 'unverified'> | 'skipped';
  requestId: string | null;
  ms: number;
  /** The HTTP status the API answered; null when nothing was sent (absent: not recorded). */
  httpStatus?: number | null;
  /** The verdict in words, when the request was not sent or not answered by the API itself. */
  message?: string;
}

export interface ProfileStatus {
  profileId: string;
  provider: string;
  type: StoredCredential['type'] | null;
  mode: string | null;
  fingerprint: string | null;
  state: ProfileState;
  expiresAt: number | null;
  remainingMs: number | null;
  cooldownUntil: number | null;
  lastValidation: { at: number; verdict: Verdict; detail?: string; requestId?: string } | null;
  source: 'store';
  probe: ProbeResult | null;
  /** Why a profile is unusable, in words; and the command that fixes it. */
  problem: string | null;
  fix: string | null;
  email?: string;
  /** Whose store the gateway takes it from for this agent: its own, main's (merged in), or main's copied on first load. */
  origin?: ProfileOrigin;
  /** What the gateway does with it (core/gateway.ts): tried at `rank` in its order, or never, and why. */
  gateway?: { tried: boolean; rank: number | null; notTried: Ineligible | null };
}

export interface UnusableProfile {
  profileId: string;
  provider: string;
  kind: 'cooldown' | 'disabled' | 'expired' | 'invalid' | 'missing';
  reason: string;
  until: number | null;
  remainingMs: number | null;
}

export interface EnvCredential {
  name: string;
  fingerprint: string;
  shadows: string | null;
}

/** Where the files were found and why (SPEC §1 as changed by issue 10). */
export interface StateSource {
  stateDir: string;
  stateDirFrom: string;
  configFrom: string;
  /** The config is the gateway's own (clawdbot.json). */
  gateway: boolean;
}

/** The gateway's view of this agent's credentials (core/gateway.ts), per provider. */
export interface GatewayStatus {
  /** own: its own store; merged: main's profiles are merged into its view; clone: it has no store, the gateway copies main's. */
  inheritance: 'own' | 'merged' | 'clone';
  order: Record<string, string[]>;
  orderSource: Record<string, 'store' | 'config' | 'rank'>;
  activeProfile: Record<string, string | null>;
}

export interface AgentStatus {
  schemaVersion: 1;
  agent: string;
  configPath: string;
  agentDir: string;
  defaultModel: string | null;
  state?: StateSource;
  gateway?: GatewayStatus;
  checksPath?: string;
  /** The default model's prompt-cache TTL: "1h" when the config sets it, else "5m" (Anthropic's default); null without a model. */
  cacheTtl: '5m' | '1h' | null;
  auth: {
    storePath: string;
    profiles: ProfileStatus[];
    order: Record<string, string[]>;
    activeProfile: Record<string, string | null>;
    unusableProfiles: UnusableProfile[];
    env: EnvCredential[];
    warnings: string[];
  };
}

export interface StatusInput {
  agent: string;
  configPath: string;
  agentDir: string;
  storePath: string;
  config: ClawdiaConfig;
  store: AuthStore;
  storeExists: boolean;
  env: Record<string, string | undefined>;
  now: number;
  probes?: Record<string, ProbeResult>;
  migrated?: string[];
  configLoose?: boolean;
  storeLoose?: boolean;
  /**
   * The store at the main agent dir, as the gateway merges it into every other agent's view; with
   * `isMainStore` false. Absent: the agent's store is treated as main's (no inheritance).
   */
  mainStore?: AuthStore | null;
  isMainStore?: boolean;
  /** The host has a Claude Code login the gateway copies into anthropic:claude-cli on every load. */
  claudeLogin?: { type: 'oauth' | 'token'; expires: number } | null;
  source?: StateSource;
  checksPath?: string;
}

export const ENV_CREDENTIALS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

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
  const lastValidation = last ? { at: last.at, verdict: last.verdict, ...(last.detail ? { detail: last.detail } : {}), ...(last.requestId ? { requestId: last.requestId } : {}) } : null;
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

export function baseUrlWarning(env: Record<string, string | undefined>): string | null {
  const base = env.ANTHROPIC_BASE_URL;
  if (!base || base.replace(/\/+$/, '') === DEFAULT_BASE_URL) return null;
  try {
    const u = new URL(base);
    if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
      return `ANTHROPIC_BASE_URL=${u.origin} is plain http to a non-loopback host: credentials would be sent unencrypted.`;
    }
    return `ANTHROPIC_BASE_URL=${u.origin}: credentials are checked against this server, not api.anthropic.com.`;
  } catch {
    return `ANTHROPIC_BASE_URL is set but is not a valid URL.`;
  }
}

const NOT_TRIED: Record<Ineligible, string> = {
  'not-in-order': 'left out of the order: the gateway never tries it',
  'not-declared': 'not declared in the config while others are: the gateway never tries it',
  'mode-mismatch': "its declared mode does not fit the credential: the gateway skips it",
  empty: 'holds no credential: the gateway skips it',
  expired: 'expired: the gateway skips it',
};

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
      const until = p.state === 'cooldown' ? p.cooldownUntil : p.state === 'disabled' ? (stats.disabledUntil ?? null) : p.state === 'expired' ? p.expiresAt : null;
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
  const env: EnvCredential[] = [];
  for (const name of ENV_CREDENTIALS) {
    const v = input.env[name];
    if (!v || !v.trim()) continue;
    const apiKeyVar = name === 'ANTHROPIC_API_KEY';
    const shadowed = profiles.find((p) => USABLE.has(p.state) && p.type !== null && (p.type === 'api_key') === apiKeyVar);
    env.push({ name, fingerprint: fingerprint(normalizeSecret(v).value), shadows: shadowed?.profileId ?? null });
  }
  const a = agentFlag(input.agent, defaultAgent(input.config));
  const warnings: string[] = [];
  if (input.configLoose) warnings.push(`${input.configPath} is readable by other users; the next clawdia write sets it to 0600.`);
  if (input.storeLoose) warnings.push(`${input.storePath} is readable by other users; the next clawdia write sets it to 0600 (or: chmod 600 ${input.storePath}).`);
  if (input.migrated?.length) {
    warnings.push(`${input.migrated.join(', ')} declared mode "token" in the config; read as "oauth" (the next write saves the migration).`);
  }
  for (const p of profiles) {
    if (p.type === 'oauth' && p.remainingMs !== null && p.remainingMs <= 5 * 60_000) {
      warnings.push(`${p.profileId} holds a copy of Claude Code's login that ${p.remainingMs <= 0 ? 'has expired' : 'expires within 5 minutes'}: run \`claude\` (it refreshes its own login), then \`clawdia models auth sync-claude-cli${a}\`.`);
    }
  }
  // A setup-token stored under the id the gateway fills with Claude Code's login (the rule before issue 10).
  const cli = store.profiles[CLAUDE_CLI_PROFILE_ID];
  if (cli?.type === 'token' && (view.origin[CLAUDE_CLI_PROFILE_ID] ?? 'own') === 'own') {
    warnings.push(
      `${CLAUDE_CLI_PROFILE_ID} holds a setup-token; the gateway replaces that entry with Claude Code's login ${input.claudeLogin ? 'on its next load (this host has one)' : 'as soon as Claude Code logs in on this host'}. Store the token again: clawdia models auth paste-token --profile-id ${SETUP_TOKEN_PROFILE_ID}${a} (then: clawdia models auth remove ${CLAUDE_CLI_PROFILE_ID}${a}).`,
    );
  }
  for (const [prov, res] of Object.entries(resolutions)) {
    const act = res.active;
    if (act) {
      const p = profiles.find((x) => x.profileId === act);
      if (p && !USABLE.has(p.state)) {
        warnings.push(`The gateway still uses ${act} first (${prov}): it does not know clawdia's check — ${p.problem ?? p.state}.${p.fix ? ` Fix: ${p.fix}` : ''}`);
      }
    }
    for (const p of profiles) {
      if (p.provider !== prov || !p.gateway || p.gateway.tried || !p.gateway.notTried) continue;
      // main's profiles left out of this agent's own order: its choice (and `order set` takes only its own).
      if (p.gateway.notTried === 'not-in-order' && USABLE.has(p.state) && (p.origin ?? 'own') === 'own') {
        warnings.push(`${p.profileId} is left out of the order, so the gateway never tries it: clawdia models auth order set --provider ${prov} ${[...(res.explicit ?? []), p.profileId].join(' ')}${a}`);
      } else if (p.gateway.notTried === 'not-declared') {
        warnings.push(`${p.profileId} is not declared in ${input.configPath} while other ${prov} profiles are, so the gateway never tries it.`);
      }
    }
  }
  if (view.inheritance !== 'own' && input.agent !== MAIN_AGENT_ID) {
    const own = Object.values(view.origin).filter((o) => o === 'own').length;
    const act = activeProfile.anthropic;
    const runsOnMain = act ? view.origin[act] !== 'own' : false;
    if (view.inheritance === 'clone') {
      warnings.push(
        `Agent ${input.agent} has no store of its own: the gateway copies main's into it on its next load${act ? ` and uses main's ${act}` : ''}. To give it its own credential instead: clawdia onboard${a}`,
      );
    } else if (runsOnMain) {
      warnings.push(`Agent ${input.agent} runs on main's ${act} (main's profiles are merged into every agent's view${own ? '' : '; it has none of its own'}). To give it its own: clawdia onboard${a}`);
    }
  }
  for (const e of env) {
    warnings.push(`${e.name} is set (${e.fingerprint})${e.shadows ? `: at run time it takes precedence over ${e.shadows}` : ''}.`);
  }
  const bw = baseUrlWarning(input.env);
  if (bw) warnings.push(bw);
  if (profiles.length === 0) warnings.push(`No Anthropic credential for agent "${input.agent}" (nor in main's store, which every agent sees).`);
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

function ago(ms: number): string {
  return `${formatDuration(ms)} ago`;
}

function cacheTtlOf(config: ClawdiaConfig): '5m' | '1h' | null {
  const model = config.agents?.defaults?.model?.primary;
  if (!model) return null;
  return config.agents?.defaults?.models?.[model]?.params?.cacheControlTtl === '1h' ? '1h' : '5m';
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
    const kind = p.type === 'api_key' ? 'API key (usage-based billing)' : p.type === 'token' ? 'setup-token (Claude subscription)' : p.type === 'oauth' ? 'Claude Code login (Claude subscription)' : 'missing';
    const via = p.origin === 'main' ? "  (main's, merged in by the gateway)" : p.origin === 'clone' ? "  (main's, copied on the gateway's next load)" : '';
    out.push(`${p.profileId}  ${kind}${active}${via}`);
    if (p.fingerprint) out.push(`  credential  ${p.fingerprint}  (source: ${p.source})`);
    const bits: string[] = [p.state];
    if (p.expiresAt !== null) bits.push(p.expiresAt > now ? `expires in ${formatDuration(p.expiresAt - now)}` : `expired ${ago(now - p.expiresAt)}`);
    if (p.cooldownUntil) bits.push(`cooldown ${formatDuration(p.cooldownUntil - now)}`);
    out.push(`  state       ${bits.join(' · ')}`);
    if (p.lastValidation) {
      out.push(`  checked     ${p.lastValidation.verdict} ${ago(now - p.lastValidation.at)}${p.lastValidation.requestId ? ` (request ${p.lastValidation.requestId})` : ''}`);
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
    const how = s.gateway!.orderSource[prov] === 'rank' ? 'no order set: oauth > token > api_key, then least recently used' : `the ${s.gateway!.orderSource[prov]}'s order, nothing else`;
    out.push(`Gateway tries (${prov}): ${ids.join(', ') || 'nothing'}  (${how})`);
  }
  for (const [prov, id] of Object.entries(s.auth.activeProfile)) {
    out.push(`Active (${prov}): ${id ?? 'none usable'}`);
  }
  if (s.auth.env.length) {
    out.push('');
    out.push('Environment:');
    for (const e of s.auth.env) {
      out.push(`  ${e.name} ${e.fingerprint}${e.shadows ? ` — wins over ${e.shadows} at run time (unset it to use the stored profile)` : ' — used at run time if nothing else is configured'}`);
    }
  }
  const extra = s.auth.warnings.filter((w) => !s.auth.env.some((e) => w.startsWith(e.name + ' is set')) && !w.startsWith('No Anthropic credential'));
  if (extra.length) {
    out.push('');
    for (const w of extra) out.push(`warning: ${w}`);
  }
  return out.join('\n') + '\n';
}
