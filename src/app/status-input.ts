// What an agent's status is computed from (core/status.ts's StatusInput), assembled in one place:
// its paths from the state port, the env values status reads, the clock, main's store as the
// gateway merges it into every other agent's view, and the live checks of stored profiles (the
// probes: `models status --probe`, the wizard's look-first probe). `models status`, the credential
// write (app/credential-flow.ts) and the wizard (look, probe, clear-mark) use it. Ports in, values out.
// The probes live here rather than in a file of their own: `models status` loads this module, and
// a second one would be one more chunk on its path (SPEC §8; scripts/build.mjs --analyze).
import { ENV_CREDENTIALS, type ProbeResult, type StatusInput } from '../core/status.js';
import { credentialAuthKind, credentialSecret, type AuthStore, type ClawdiaConfig } from '../core/types.js';
import type { Env, Ports, StateStore, StoreSnapshot, ValidationOutcome, Validator } from '../ports.js';

/** The env values status reads: the credential variables and ANTHROPIC_BASE_URL. */
export function statusEnv(env: Env): Record<string, string | undefined> {
  return Object.fromEntries([...ENV_CREDENTIALS, 'ANTHROPIC_BASE_URL'].map((n) => [n, env.get(n)]));
}

/** The agent's store is the one the gateway merges into every other agent's view. */
export function isMainStore(state: StateStore, agent: string): boolean {
  return state.paths.storePath(agent) === state.paths.mainStorePath;
}

/**
 * main's store as StatusInput takes it: for main itself `mainStore: null`; for another agent main's
 * store (null when main has none). `main` is main's snapshot when the caller has read it already.
 */
export function mainStoreFor(state: StateStore, agent: string, main?: StoreSnapshot): Pick<StatusInput, 'isMainStore' | 'mainStore'> {
  if (isMainStore(state, agent)) return { isMainStore: true, mainStore: null };
  const snap = main ?? state.readMainStore();
  return { isMainStore: false, mainStore: snap.exists ? snap.store : null };
}

/** What is read from the files (a snapshot, or a draft under the lock). */
export interface AgentFiles {
  config: ClawdiaConfig;
  store: AuthStore;
  storeExists: boolean;
}

/**
 * The input for `agent`: paths, env and the clock from the ports, the files given; `more` adds (or
 * overrides) the rest: probes, file-mode warnings, main's store (mainStoreFor), where the files were found.
 */
export function statusInput(ports: Pick<Ports, 'state' | 'env' | 'clock'>, agent: string, files: AgentFiles, more: Partial<StatusInput> = {}): StatusInput {
  const { paths } = ports.state;
  return {
    agent,
    configPath: paths.configPath,
    agentDir: paths.agentDir(agent),
    storePath: paths.storePath(agent),
    ...files,
    env: statusEnv(ports.env),
    now: ports.clock.now(),
    ...more,
  };
}

// ---------------------------------------------------------------- probes (live checks)

export interface ProbeTarget {
  profileId: string;
  kind: 'api_key' | 'token';
  secret: string;
}

/** The profiles worth a live check: a secret stored, not expired (an expired one is not sent); of `provider` when given. */
export function probeTargets(store: AuthStore, now: number, provider?: string): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const [id, c] of Object.entries(store.profiles)) {
    if (!c || (provider !== undefined && c.provider !== provider)) continue;
    const secret = credentialSecret(c);
    if (typeof secret !== 'string' || !secret) continue;
    if (typeof c.expires === 'number' && c.type !== 'api_key' && c.expires <= now) continue;
    out.push({ profileId: id, kind: credentialAuthKind(c), secret });
  }
  return out;
}

export interface ProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** API keys: the billed 1-token check (`--spend`), which sees the balance. Tokens are checked as ever. */
  billed?: boolean;
}

/** Every target checked at once, one deadline each; the outcomes by profile id, in the targets' order. */
export async function probe(validator: Validator, targets: ProbeTarget[], opts: ProbeOptions): Promise<Record<string, ValidationOutcome>> {
  const results = await Promise.all(
    targets.map(async (t) => {
      const o = await validator.validate({
        kind: t.kind,
        secret: t.secret,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        ...(opts.billed && t.kind === 'api_key' ? { billed: true } : {}),
      });
      return [t.profileId, o] as const;
    }),
  );
  return Object.fromEntries(results);
}

/** An outcome as `models status` shows it: ms rounded, the HTTP status (null: nothing was sent), the words when the API itself gave none. */
export function toProbeResult(o: ValidationOutcome): ProbeResult {
  const sent = typeof o.httpStatus === 'number';
  return {
    verdict: o.verdict,
    requestId: o.requestId ?? null,
    ms: Math.round(o.ms),
    httpStatus: sent ? o.httpStatus! : null,
    ...(sent && o.verdict !== 'redirected' ? {} : { message: o.message }),
  };
}
