// The StatusInput for one agent (core/status.ts), assembled in one place: its paths from the state
// port, the env values status reads, the clock, and main's store as the gateway merges it into
// every other agent's view. `models status`, the credential write (app/credential-flow.ts) and the
// wizard's clear-mark build theirs here. Ports in, a value out.
import { ENV_CREDENTIALS, type StatusInput } from '../core/status.js';
import type { AuthStore, ClawdiaConfig } from '../core/types.js';
import type { Env, Ports, StateStore, StoreSnapshot } from '../ports.js';

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
