// Status computation (SPEC §5 "models status", §9 "Modes and states", "Env shadowing").
// Pure: config, store, env values, clock and probe results in; the JSON object out.
import { agentFlag } from './paths.js';
import { fingerprint, normalizeSecret } from './credentials.js';
import { effectiveOrder, modeFor } from './save.js';
import { credentialSecret, type AuthStore, type ClawdiaConfig, type StoredCredential, type Verdict } from './types.js';

export type ProfileState = 'ok' | 'expiring' | 'expired' | 'invalid' | 'cooldown' | 'disabled' | 'unverified' | 'missing';

export interface ProbeResult {
  verdict: Exclude<Verdict, 'unverified'> | 'skipped';
  requestId: string | null;
  ms: number;
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

export interface AgentStatus {
  schemaVersion: 1;
  agent: string;
  configPath: string;
  agentDir: string;
  defaultModel: string | null;
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
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
export const ENV_CREDENTIALS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

export const USABLE: ReadonlySet<ProfileState> = new Set(['ok', 'expiring', 'unverified']);

/** OAuth access tokens (Claude Code's login) live hours: warn within 1 h; others within 24 h. */
export function expiringWindow(type: StoredCredential['type']): number {
  return type === 'oauth' ? HOUR : DAY;
}

export function formatDuration(ms: number): string {
  const a = Math.abs(ms);
  if (a < 60_000) return `${Math.max(1, Math.round(a / 1000))}s`;
  if (a < HOUR) return `${Math.round(a / 60_000)}m`;
  if (a < 2 * DAY) {
    const mins = Math.round(a / 60_000);
    const h = Math.floor(mins / 60);
    const m = mins - h * 60;
    return m && h < 10 ? `${h}h ${m}m` : `${h}h`;
  }
  return `${Math.round(a / DAY)}d`;
}

function fixFor(agent: string, id: string, cred: StoredCredential | undefined, state: ProfileState): string | null {
  const a = agentFlag(agent);
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
      fix: fixFor(input.agent, id, undefined, 'missing'),
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
    switch (verdict) {
      case 'invalid':
      case 'forbidden':
        state = 'invalid';
        problem = `the API answered ${verdict === 'invalid' ? '401 (invalid)' : '403/400 (forbidden)'}${probe ? ' just now' : ' at the last check'}`;
        break;
      case 'no_credit':
        state = 'invalid';
        problem = `the account has no credit (credit balance too low)${probe ? ' just now' : ' at the last check'}: add credits at console.anthropic.com → Plans & Billing`;
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
    mode: declared ?? (knownType ? modeFor(cred) : null),
    fingerprint: fp,
    state,
    expiresAt,
    remainingMs: expiresAt !== null ? expiresAt - now : null,
    cooldownUntil,
    lastValidation,
    source: 'store',
    probe,
    problem,
    fix: fixFor(input.agent, id, cred, state),
    ...(cred.type === 'oauth' && typeof cred.email === 'string' ? { email: cred.email } : {}),
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

export function baseUrlWarning(env: Record<string, string | undefined>): string | null {
  const base = env.ANTHROPIC_BASE_URL;
  if (!base || base.replace(/\/+$/, '') === 'https://api.anthropic.com') return null;
  try {
    const u = new URL(base);
    if (u.protocol === 'http:' && !isLoopback(u.hostname)) {
      return `ANTHROPIC_BASE_URL=${u.origin} is plain http to a non-loopback host: credentials would be sent unencrypted.`;
    }
    return `ANTHROPIC_BASE_URL=${u.origin}: credentials are checked against this server, not api.anthropic.com.`;
  } catch {
    return `ANTHROPIC_BASE_URL is set but is not a valid URL.`;
  }
}

export function computeStatus(input: StatusInput): AgentStatus {
  const { config, store, now } = input;
  const providers = new Set<string>(['anthropic']);
  for (const c of Object.values(store.profiles)) if (c && typeof c.provider === 'string') providers.add(c.provider);
  const order: Record<string, string[]> = {};
  const profiles: ProfileStatus[] = [];
  const activeProfile: Record<string, string | null> = {};
  for (const provider of providers) {
    const { all } = effectiveOrder(config, store, provider);
    const explicit = store.order?.[provider] ?? config.auth?.order?.[provider];
    if (explicit) order[provider] = [...explicit];
    const seen = new Set<string>();
    for (const id of all) {
      if (seen.has(id)) continue;
      seen.add(id);
      profiles.push(computeProfile(input, id, provider));
    }
    activeProfile[provider] = profiles.find((p) => p.provider === provider && USABLE.has(p.state))?.profileId ?? null;
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
  const warnings: string[] = [];
  if (input.configLoose) warnings.push(`${input.configPath} is readable by other users; the next clawdia write sets it to 0600.`);
  if (input.storeLoose) warnings.push(`${input.storePath} is readable by other users; the next clawdia write sets it to 0600 (or: chmod 600 ${input.storePath}).`);
  if (input.migrated?.length) {
    warnings.push(`${input.migrated.join(', ')} declared mode "token" in the config; read as "oauth" (the next write saves the migration).`);
  }
  for (const p of profiles) {
    if (p.type === 'oauth' && p.remainingMs !== null && p.remainingMs <= 5 * 60_000) {
      warnings.push(`${p.profileId} holds a copy of Claude Code's login that ${p.remainingMs <= 0 ? 'has expired' : 'expires within 5 minutes'}: run \`claude\` (it refreshes its own login), then \`clawdia models auth sync-claude-cli${agentFlag(input.agent)}\`.`);
    }
  }
  for (const e of env) {
    warnings.push(`${e.name} is set (${e.fingerprint})${e.shadows ? `: at run time it takes precedence over ${e.shadows}` : ''}.`);
  }
  const bw = baseUrlWarning(input.env);
  if (bw) warnings.push(bw);
  if (profiles.length === 0) warnings.push(`No Anthropic credential for agent "${input.agent}" (auth is per agent).`);
  return {
    schemaVersion: 1,
    agent: input.agent,
    configPath: input.configPath,
    agentDir: input.agentDir,
    defaultModel: config.agents?.defaults?.model?.primary ?? null,
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
export function renderStatusText(s: AgentStatus, now: number): string {
  const out: string[] = [];
  out.push(`Agent ${s.agent}`);
  out.push(`  config  ${s.configPath}`);
  out.push(`  store   ${s.auth.storePath}`);
  out.push(`  model   ${s.defaultModel ? `${s.defaultModel} · cache TTL ${s.cacheTtl === '1h' ? '1h' : "5m (Anthropic's default)"}` : '(not set)'}`);
  out.push('');
  if (s.auth.profiles.length === 0) {
    out.push(`No Anthropic credentials for agent "${s.agent}".`);
    out.push(`  fix: clawdia onboard${agentFlag(s.agent)}`);
  }
  for (const p of s.auth.profiles) {
    const active = Object.values(s.auth.activeProfile).includes(p.profileId) ? '  ← active' : '';
    const kind = p.type === 'api_key' ? 'API key (usage-based billing)' : p.type === 'token' ? 'setup-token (Claude subscription)' : p.type === 'oauth' ? 'Claude Code login (Claude subscription)' : 'missing';
    out.push(`${p.profileId}  ${kind}${active}`);
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
    out.push('');
  }
  // Every profile the gateway will try, in order (the explicit order, then the rest), and the
  // ones it skips while they are unusable.
  for (const prov of new Set(s.auth.profiles.map((p) => p.provider))) {
    const ps = s.auth.profiles.filter((p) => p.provider === prov);
    const tried = ps.filter((p) => USABLE.has(p.state)).map((p) => p.profileId);
    const skipped = ps.filter((p) => !USABLE.has(p.state)).map((p) => `${p.profileId} (${p.state})`);
    out.push(`Order (${prov}): ${tried.join(' → ') || 'none usable'}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}`);
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
