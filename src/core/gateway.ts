// What a Clawdbot gateway (2026.1.24) does with the files clawdia writes: which profiles an agent
// sees, in which order it tries them, which one it uses. Pure: config, stores and clock in.
//
// Every rule here is read from clawdbot 2026.1.24-3's own code (dist/…, named per function) and is
// checked against it by test/interop/gateway.test.ts (`npm run test:interop`). Where clawdia's
// advice differs from what the gateway does, status says both; this module only says the latter.
// Over 400 lines on purpose: issue 10 asked for one module holding every rule of the gateway's,
// each cited from its code (agents, stores, order, cooldowns, the Claude login sync, env credentials).
import type { AuthStore, ClawdiaConfig, StoredCredential, UsageStats } from './types.js';

export const CLAUDE_CLI_PROFILE_ID = 'anthropic:claude-cli';
/** Where clawdia puts a setup-token when the gateway would overwrite `anthropic:claude-cli`. */
export const SETUP_TOKEN_PROFILE_ID = 'anthropic:setup-token';
/** The gateway's main agent id (routing/session-key.js DEFAULT_AGENT_ID); its store is the one others inherit. */
export const MAIN_AGENT_ID = 'main';
/** agents/auth-health.js DEFAULT_OAUTH_WARN_MS: any oauth or token profile with less left is "expiring". */
export const EXPIRING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** model-selection.js normalizeProviderId (the aliases that matter for Anthropic are none). */
export function normalizeProvider(p: string): string {
  const n = String(p ?? '')
    .trim()
    .toLowerCase();
  if (n === 'z.ai' || n === 'z-ai') return 'zai';
  if (n === 'opencode-zen') return 'opencode';
  if (n === 'qwen') return 'qwen-portal';
  return n;
}

// ------------------------------------------------------------------ agents (agents/agent-scope.js)

interface ListedAgent {
  id?: unknown;
  default?: unknown;
  agentDir?: unknown;
}

function listed(config: ClawdiaConfig): ListedAgent[] {
  const list = config.agents?.list;
  return Array.isArray(list) ? (list.filter((e) => e && typeof e === 'object') as ListedAgent[]) : [];
}

/** routing/session-key.js normalizeAgentId: trimmed, lowercased; empty → main. */
export function normalizeAgentId(v: unknown): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (!t) return MAIN_AGENT_ID;
  if (/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(t)) return t.toLowerCase();
  return (
    t
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+/, '')
      .replace(/-+$/, '')
      .slice(0, 64) || MAIN_AGENT_ID
  );
}

/** agent-scope.js listAgentIds: the listed ids, deduplicated; `[main]` when none are listed. */
export function gatewayAgentIds(config: ClawdiaConfig): string[] {
  const ids: string[] = [];
  for (const e of listed(config)) {
    const id = normalizeAgentId(e.id);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids.length ? ids : [MAIN_AGENT_ID];
}

/** agent-scope.js resolveDefaultAgentId: the first `default: true`, else the first listed, else main. */
export function gatewayDefaultAgent(config: ClawdiaConfig): string {
  const agents = listed(config);
  if (agents.length === 0) return MAIN_AGENT_ID;
  const chosen = agents.find((a) => a.default) ?? agents[0]!;
  return normalizeAgentId(typeof chosen.id === 'string' ? chosen.id : '');
}

/**
 * agent-scope.js resolveAgentDir: `agents.list[].agentDir` (trimmed) when set — `~` expanded to the
 * home dir, a relative path resolved against the working directory (utils.js resolveUserPath) —
 * else `<state>/agents/<id>/agent`. Returns the configured text, or null when there is none.
 */
export function configuredAgentDir(config: ClawdiaConfig, agentId: string): string | null {
  const id = normalizeAgentId(agentId);
  const entry = listed(config).find((e) => normalizeAgentId(e.id) === id);
  const dir = typeof entry?.agentDir === 'string' ? entry.agentDir.trim() : '';
  return dir || null;
}

// ------------------------------------------------------------------ stores (agents/auth-profiles/store.js)

const TYPES = new Set(['api_key', 'oauth', 'token']);

/**
 * store.js coerceAuthStore: what the gateway keeps of a store file — profiles with a known type and
 * a provider, order lists of non-empty strings, lastGood, usageStats. Every gateway write
 * (saveAuthProfileStore) saves exactly this, so any other field (clawdia's old `validation`) is lost.
 */
export function coerceStore(store: AuthStore): AuthStore {
  const profiles: Record<string, StoredCredential> = {};
  for (const [id, c] of Object.entries(store.profiles ?? {})) {
    if (!c || typeof c !== 'object' || !TYPES.has(c.type) || !c.provider) continue;
    profiles[id] = c;
  }
  let order: Record<string, string[]> | undefined;
  if (store.order && typeof store.order === 'object') {
    order = {};
    for (const [p, v] of Object.entries(store.order)) {
      if (!Array.isArray(v)) continue;
      const ids = v.map((x) => (typeof x === 'string' ? x.trim() : '')).filter(Boolean);
      if (ids.length) order[p] = ids;
    }
  }
  return {
    version: typeof store.version === 'number' ? store.version : 1,
    profiles,
    order,
    lastGood: store.lastGood && typeof store.lastGood === 'object' ? store.lastGood : undefined,
    usageStats: store.usageStats && typeof store.usageStats === 'object' ? store.usageStats : undefined,
  };
}

/** store.js mergeAuthProfileStores: main's store under the agent's own, entry by entry (the agent's win). */
function mergeStores(base: AuthStore, override: AuthStore): AuthStore {
  if (Object.keys(override.profiles).length === 0 && !override.order && !override.lastGood && !override.usageStats) return base;
  const rec = <T>(a: Record<string, T> | undefined, b: Record<string, T> | undefined) => (!a && !b ? undefined : { ...(a ?? {}), ...(b ?? {}) });
  return {
    version: Math.max(base.version, override.version ?? base.version),
    profiles: { ...base.profiles, ...override.profiles },
    order: rec(base.order, override.order),
    lastGood: rec(base.lastGood, override.lastGood),
    usageStats: rec(base.usageStats, override.usageStats),
  };
}

/** Where a profile in an agent's view comes from. */
export type ProfileOrigin = 'own' | 'main' | 'clone';

export interface AgentStoreInput {
  /** The agent's own store as read (null when its file does not exist). */
  store: AuthStore | null;
  /** Its store file is the main agent's (`<state>/agents/main/agent/auth-profiles.json`). */
  isMainStore: boolean;
}

export interface AgentView {
  /** The store the gateway works with for this agent: its own, with main's merged under it. */
  store: AuthStore;
  origin: Record<string, ProfileOrigin>;
  /**
   * `clone`: the agent has no store file and main has profiles — the gateway's first load copies
   * main's store into the agent's file (store.js loadAuthProfileStoreForAgent, "inherit
   * auth-profiles from main agent"). `merged`: it has its own and main's profiles are merged in
   * (store.js ensureAuthProfileStore). `own`: main itself, or nothing to merge.
   */
  inheritance: 'own' | 'merged' | 'clone';
}

/**
 * store.js ensureAuthProfileStore(agentDir): the agent's own store (or, when it has no file, a
 * copy of main's), with main's store merged under it unless the agent's store *is* main's.
 * `main` is the store at the main agent dir (agent-paths.js resolveClawdbotAgentDir), null when absent.
 */
export function agentView(agent: AgentStoreInput, main: AuthStore | null): AgentView {
  const mainStore = main ? coerceStore(main) : { version: 1, profiles: {} };
  if (agent.isMainStore) {
    const own = agent.store ? coerceStore(agent.store) : mainStore;
    return { store: own, origin: Object.fromEntries(Object.keys(own.profiles).map((id) => [id, 'own' as const])), inheritance: 'own' };
  }
  if (!agent.store) {
    if (Object.keys(mainStore.profiles).length > 0) {
      return { store: mainStore, origin: Object.fromEntries(Object.keys(mainStore.profiles).map((id) => [id, 'clone' as const])), inheritance: 'clone' };
    }
    return { store: { version: 1, profiles: {} }, origin: {}, inheritance: 'own' };
  }
  const own = coerceStore(agent.store);
  const merged = mergeStores(mainStore, own);
  const origin: Record<string, ProfileOrigin> = {};
  for (const id of Object.keys(merged.profiles)) origin[id] = id in own.profiles ? 'own' : 'main';
  const fromMain = Object.values(origin).includes('main');
  return { store: merged, origin, inheritance: fromMain ? 'merged' : 'own' };
}

// ------------------------------------------------------------------ order (agents/auth-profiles/order.js)

/** usage.js resolveProfileUnusableUntil: the later of cooldownUntil and disabledUntil. */
export function unusableUntil(stats: UsageStats | undefined): number | null {
  if (!stats) return null;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const a = ok(stats.cooldownUntil) ? stats.cooldownUntil : null;
  const b = ok(stats.disabledUntil) ? stats.disabledUntil : null;
  return a === null ? b : b === null ? a : Math.max(a, b);
}

export type Ineligible =
  /** order.js: an explicit order (the store's, else the config's) lists the profiles to try; others are never tried. */
  | 'not-in-order'
  /** order.js: without an explicit order, only the profiles declared in `auth.profiles` are tried when any are. */
  | 'not-declared'
  /** The config declares another provider or a mode the credential does not fit (mode "oauth" also takes a token). */
  | 'mode-mismatch'
  /** No key / token / access+refresh in the entry. */
  | 'empty'
  /** A token whose `expires` has passed (an OAuth login is still tried: the gateway refreshes it). */
  | 'expired';

export interface ProfileVerdict {
  profileId: string;
  eligible: boolean;
  why: Ineligible | null;
  /** Position in the gateway's try order (0 first), null when never tried. */
  rank: number | null;
  cooldownUntil: number | null;
  /** oauth/token only: expires within 24 h (auth-health.js), or already has. */
  expiring: boolean;
}

export interface ProviderResolution {
  provider: string;
  /** 'store' | 'config' when an explicit order exists; 'rank' when the gateway ranks by type then lastUsed. */
  orderSource: 'store' | 'config' | 'rank';
  /** The explicit order as written (may name absent profiles). */
  explicit: string[] | null;
  /** The gateway's try order (resolveAuthProfileOrder): eligible profiles, cooling-down ones last. */
  order: string[];
  /** What a turn uses: the first in `order` not cooling down (pi-embedded-runner/run.js skips those); null when none. */
  active: string | null;
  profiles: ProfileVerdict[];
}

function credentialUsable(c: StoredCredential, now: number): Ineligible | null {
  if (c.type === 'api_key') return typeof c.key === 'string' && c.key.trim() ? null : 'empty';
  if (c.type === 'token') {
    if (typeof c.token !== 'string' || !c.token.trim()) return 'empty';
    if (typeof c.expires === 'number' && Number.isFinite(c.expires) && c.expires > 0 && now >= c.expires) return 'expired';
    return null;
  }
  if (c.type === 'oauth') return (typeof c.access === 'string' && c.access.trim()) || (typeof c.refresh === 'string' && c.refresh.trim()) ? null : 'empty';
  return 'empty';
}

function findFor<T>(rec: Record<string, T> | undefined, provider: string): T | undefined {
  if (!rec) return undefined;
  for (const [k, v] of Object.entries(rec)) if (normalizeProvider(k) === provider) return v;
  return undefined;
}

/**
 * order.js resolveAuthProfileOrder + the runner's cooldown skip:
 * - explicit order = the store's `order[provider]`, else the config's `auth.order[provider]`; it
 *   locks rotation: only the listed profiles are tried, in that order, cooling-down ones moved last;
 * - no explicit order: the profiles declared for the provider in `auth.profiles` (when any are
 *   declared), else every stored profile of the provider; ranked oauth > token > api_key, then by
 *   `usageStats.lastUsed` (oldest first: round-robin), cooling-down ones last (soonest first);
 * - a profile is tried only if it is stored, its declared provider/mode fit (mode "oauth" also
 *   takes type "token"), and it holds a credential (a token not past `expires`).
 */
export function resolveProvider(config: ClawdiaConfig, store: AuthStore, provider: string, now: number): ProviderResolution {
  const key = normalizeProvider(provider);
  const storedOrder = findFor(store.order, key);
  const configOrder = findFor(config.auth?.order, key);
  const explicit = storedOrder ?? (Array.isArray(configOrder) ? configOrder : undefined);
  const declared = Object.entries(config.auth?.profiles ?? {})
    .filter(([, p]) => p && typeof p.provider === 'string' && normalizeProvider(p.provider) === key)
    .map(([id]) => id);
  const ofProvider: string[] = [];
  for (const id in store.profiles) {
    const c = store.profiles[id];
    if (typeof c?.provider === 'string' && (c.provider === key || normalizeProvider(c.provider) === key)) ofProvider.push(id);
  }
  const base = explicit ?? (declared.length > 0 ? declared : ofProvider);
  const why: Record<string, Ineligible | null> = {};
  const eligible: string[] = [];
  const eligibleSet = new Set<string>();
  for (const id of base) {
    const c = store.profiles[id];
    if (!c || (c.provider !== key && normalizeProvider(c.provider) !== key)) continue;
    const pc = config.auth?.profiles?.[id];
    let reason: Ineligible | null = null;
    if (pc && (normalizeProvider(String(pc.provider)) !== key || (pc.mode !== c.type && !(pc.mode === 'oauth' && c.type === 'token'))))
      reason = 'mode-mismatch';
    else reason = credentialUsable(c, now);
    if (why[id] === undefined) why[id] = reason;
    if (reason === null && !eligibleSet.has(id)) {
      eligibleSet.add(id);
      eligible.push(id);
    }
  }
  const untilOf = new Map<string, number | null>();
  const until = (id: string) => {
    let u = untilOf.get(id);
    if (u === undefined) untilOf.set(id, (u = unusableUntil(store.usageStats?.[id])));
    return u;
  };
  const cooling = (id: string) => {
    const u = until(id);
    return u !== null && now < u;
  };
  let order: string[];
  const coolingSorted = eligible.filter(cooling).sort((a, b) => (until(a) ?? now) - (until(b) ?? now));
  if (explicit && explicit.length > 0) {
    order = [...eligible.filter((id) => !cooling(id)), ...coolingSorted];
  } else {
    const score = (id: string) => {
      const t = store.profiles[id]?.type;
      return t === 'oauth' ? 0 : t === 'token' ? 1 : t === 'api_key' ? 2 : 3;
    };
    const lastUsed = (id: string) => store.usageStats?.[id]?.lastUsed ?? 0;
    const available = eligible.filter((id) => !cooling(id)).sort((a, b) => score(a) - score(b) || lastUsed(a) - lastUsed(b));
    order = [...available, ...coolingSorted];
  }
  const active = order.find((id) => !cooling(id)) ?? null;
  const profiles: ProfileVerdict[] = [];
  const rankOf = new Map(order.map((id, i) => [id, i]));
  const inBaseSet = new Set(base);
  for (const id of ofProvider) {
    const c = store.profiles[id]!;
    const rank = rankOf.get(id) ?? -1;
    const inBase = inBaseSet.has(id);
    const w: Ineligible | null = rank >= 0 ? null : inBase ? (why[id] ?? 'empty') : explicit ? 'not-in-order' : 'not-declared';
    const exp = (c.type === 'oauth' || c.type === 'token') && typeof c.expires === 'number' && Number.isFinite(c.expires) && c.expires > 0 ? c.expires : null;
    profiles.push({
      profileId: id,
      eligible: rank >= 0,
      why: w,
      rank: rank >= 0 ? rank : null,
      cooldownUntil: cooling(id) ? until(id) : null,
      expiring: exp !== null && exp - now <= EXPIRING_WINDOW_MS,
    });
  }
  return {
    provider: key,
    orderSource: storedOrder ? 'store' : explicit ? 'config' : 'rank',
    explicit: explicit ? [...explicit] : null,
    order,
    active,
    profiles,
  };
}

// ------------------------------------------------------------------ the whole gateway

export interface GatewayAgent {
  agent: string;
  view: AgentView;
  providers: Record<string, ProviderResolution>;
}

/**
 * Per agent: the profiles it sees (main's merged in), the gateway's order, the active profile and
 * each profile's verdict. `agents` maps each agent id to its own store; `main` is the store at the
 * main agent dir. The wizard's summary and `models status` both call this.
 */
export function resolveGatewayView(input: {
  config: ClawdiaConfig;
  agents: Record<string, AgentStoreInput>;
  main: AuthStore | null;
  now: number;
  providers?: string[];
}): Record<string, GatewayAgent> {
  const out: Record<string, GatewayAgent> = {};
  for (const [agent, a] of Object.entries(input.agents)) {
    const view = agentView(a, input.main);
    const provs = new Set(input.providers ?? ['anthropic']);
    for (const c of Object.values(view.store.profiles)) if (typeof c?.provider === 'string') provs.add(normalizeProvider(c.provider));
    const providers: Record<string, ProviderResolution> = {};
    for (const p of provs) providers[p] = resolveProvider(input.config, view.store, p, input.now);
    out[agent] = { agent, view, providers };
  }
  return out;
}

// ------------------------------------------------------------------ Claude Code's login (agents/cli-credentials.js)

/**
 * cli-credentials.js readClaudeCliCredentials (file part): `$HOME/.claude/.credentials.json` with
 * `claudeAiOauth.accessToken` and a positive `expiresAt` — oauth with a refresh token, else token.
 * On every store load the gateway copies it into `anthropic:claude-cli` (external-cli-sync.js
 * syncExternalCliCredentials), replacing a `type: "token"` entry there unconditionally.
 */
export function claudeLoginTheGatewaySyncs(text: string | null): { type: 'oauth' | 'token'; expires: number } | null {
  if (!text) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const o = (data as { claudeAiOauth?: Record<string, unknown> } | null)?.claudeAiOauth;
  if (!o || typeof o !== 'object') return null;
  if (typeof o.accessToken !== 'string' || !o.accessToken) return null;
  if (typeof o.expiresAt !== 'number' || o.expiresAt <= 0) return null;
  return { type: typeof o.refreshToken === 'string' && o.refreshToken ? 'oauth' : 'token', expires: o.expiresAt };
}

// ------------------------------------------------------------------ credentials in the environment

/**
 * Anthropic credentials the gateway's process may hold in its environment, in the order it reads
 * them, and Claude Code's own (reported because users set it expecting it to count).
 */
export const ENV_CREDENTIALS = ['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

/**
 * What the gateway does with one of them: `used` (it is the agent's credential), `fallback` (read
 * only when no stored profile resolves, and one does), `alongside` (sent with every request of the
 * credential in use), `ignored` (never read by the gateway).
 */
export type EnvUse = 'used' | 'fallback' | 'alongside' | 'ignored';

/**
 * The rules, from clawdbot 2026.1.24-3:
 * - agents/model-auth.js resolveApiKeyForProvider: the environment is the last resort, read only when
 *   no profile in the order resolves; resolveEnvApiKey takes ANTHROPIC_OAUTH_TOKEN, then ANTHROPIC_API_KEY.
 * - @mariozechner/pi-ai providers/anthropic.js createClient: an API key is passed as
 *   `new Anthropic({ apiKey })`, leaving the SDK's authToken at its default, the environment's
 *   ANTHROPIC_AUTH_TOKEN — every request then also carries `Authorization: Bearer` with it; a token
 *   (sk-ant-oat…) is passed as `{ apiKey: null, authToken }`, and the environment is not read.
 * - CLAUDE_CODE_OAUTH_TOKEN: nothing in the gateway reads it (Claude Code does).
 * `active` is the profile the gateway resolves for the agent (null: none does).
 */
export function envUse(
  set: ReadonlySet<string>,
  active: { profileId: string; type: string | null } | null,
): Record<(typeof ENV_CREDENTIALS)[number], { use: EnvUse; affects: string | null }> {
  const fallback = active ? null : set.has('ANTHROPIC_OAUTH_TOKEN') ? 'ANTHROPIC_OAUTH_TOKEN' : set.has('ANTHROPIC_API_KEY') ? 'ANTHROPIC_API_KEY' : null;
  const sendsApiKey = active ? active.type === 'api_key' : fallback === 'ANTHROPIC_API_KEY';
  const fallbackUse = (name: string) => ({ use: (name === fallback ? 'used' : 'fallback') as EnvUse, affects: null });
  return {
    ANTHROPIC_OAUTH_TOKEN: fallbackUse('ANTHROPIC_OAUTH_TOKEN'),
    ANTHROPIC_API_KEY: fallbackUse('ANTHROPIC_API_KEY'),
    ANTHROPIC_AUTH_TOKEN: sendsApiKey ? { use: 'alongside', affects: active?.profileId ?? 'ANTHROPIC_API_KEY' } : { use: 'ignored', affects: null },
    CLAUDE_CODE_OAUTH_TOKEN: { use: 'ignored', affects: null },
  };
}
