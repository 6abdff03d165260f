// Runs the machine: a tiny store (getState/subscribe/dispatch) that stamps each event with the
// clock, and an effect runner that starts each new effect through the ports and aborts the ones
// that leave `state.effects` (Esc while validating, Ctrl-C while `claude setup-token` runs).
// Every front end (Ink, --plain, --non-interactive) uses it; none of them runs an effect itself.
import { ClawdiaError } from '../core/errors.js';
import { clearCooldown } from '../core/save.js';
import { defaultAgent, listAgents } from '../core/migration.js';
import { checkAgentId } from '../core/paths.js';
import { activeProfileOf } from '../core/active-profile.js';
import { save, validate, type NewCredential } from '../app/credential-flow.js';
import { probe, statusEnv, statusInput } from '../app/status-input.js';
import type { Ports, SetupTokenSession } from '../ports.js';
import { createListeners } from './listeners.js';
import { reduce } from './machine.js';
import { isTerminal } from './selectors.js';
import {
  initialState,
  type AgentInfo,
  type ClearedSummary,
  type Effect,
  type EventBody,
  type LookData,
  type ProbeOutcome,
  type WizardOptions,
  type WizardState,
} from './state.js';

export interface WizardStore {
  getState(): WizardState;
  subscribe(listener: () => void): () => void;
  dispatch(event: EventBody): void;
  /** Resolves with the terminal state once every effect has settled (claude stopped, write done). */
  readonly finished: Promise<WizardState>;
}

export interface RunnerHooks {
  /** Aborted on SIGHUP/SIGTERM (and SIGINT outside raw mode): the run cancels with `signalExitCode()`. */
  signal?: AbortSignal;
  signalExitCode?: () => number;
  /** The final write: a signal arriving meanwhile waits for it (SPEC §9). */
  critical?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Read the macOS Keychain for Claude Code's login. */
  keychain?: boolean;
}

interface Running {
  abort: AbortController;
  session?: SetupTokenSession;
  settled: Promise<void>;
}

const errorText = (e: unknown): { message: string; hint?: string; exitCode?: number } => {
  if (e instanceof ClawdiaError) return { message: e.message, ...(e.hint ? { hint: e.hint } : {}), exitCode: e.exitCode };
  // Unknown errors may quote a file or a child's output: name them only (SPEC §9).
  const err = e as NodeJS.ErrnoException;
  return { message: `Unexpected failure (${err?.code ?? err?.name ?? 'unknown'}); nothing was written.`, hint: 'Run again with CLAWDIA_DEBUG=1 for details.' };
};

export function createWizard(ports: Ports, options: WizardOptions, hooks: RunnerHooks = {}): WizardStore {
  let state = initialState(options);
  const listeners = createListeners();
  const running = new Map<number, Running>();
  const queue: EventBody[] = [];
  let dispatching = false;
  let resolveFinished!: (s: WizardState) => void;
  const finished = new Promise<WizardState>((r) => (resolveFinished = r));
  let finishing = false;

  const critical = hooks.critical ?? (<T>(fn: () => Promise<T>) => fn());

  function dispatch(event: EventBody): void {
    queue.push(event);
    if (dispatching) return;
    dispatching = true;
    try {
      while (queue.length > 0) {
        const ev = queue.shift()!;
        const next = reduce(state, { ...ev, at: ports.clock.now() });
        if (next === state) continue;
        state = next;
        syncEffects(ev);
        listeners.notify();
      }
    } finally {
      dispatching = false;
    }
    if (isTerminal(state) && !finishing) {
      finishing = true;
      void settleAll().then(() => resolveFinished(state));
    }
  }

  async function settleAll(): Promise<void> {
    const pending = [...running.values()].map((r) => r.settled);
    if (pending.length === 0) return;
    // The child gets its SIGTERM → SIGKILL grace; never wait forever on a stuck one.
    await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, 3000).unref?.())]);
  }

  /** Start new effects, abort vanished ones, and pass commands to a running setup-token child. */
  function syncEffects(ev: EventBody): void {
    const ids = new Set(state.effects.map((e) => e.id));
    for (const [id, r] of running) {
      if (!ids.has(id) && !r.abort.signal.aborted) {
        r.abort.abort();
        r.session?.stop();
      }
    }
    for (const e of state.effects) if (!running.has(e.id)) start(e);
    if (ev.type === 'code-submitted' || ev.type === 'setup-token-retried') {
      for (const e of state.effects) {
        const session = e.type === 'setup-token' ? running.get(e.id)?.session : undefined;
        if (!session) continue;
        if (ev.type === 'code-submitted') session.submitCode(ev.code);
        else session.pressEnter();
      }
    }
  }

  function start(e: Effect): void {
    const abort = new AbortController();
    const r: Running = { abort, settled: Promise.resolve() };
    running.set(e.id, r);
    // validate, preview and save carry no secret (state.ts Effect): the new credential is the one in
    // the state that lists the effect, read now (start runs right after that state is set).
    const credential = state.flow.credential;
    const body = async (): Promise<void> => {
      try {
        await execute(e, r, credential);
      } catch (err) {
        if (!abort.signal.aborted) dispatch({ type: 'effect-failed', effectId: e.id, ...errorText(err) });
      } finally {
        running.delete(e.id);
      }
    };
    // Effects start after the current dispatch finishes (never re-entrantly inside reduce).
    r.settled = Promise.resolve().then(body);
  }

  async function execute(e: Effect, r: Running, held: WizardState['flow']['credential']): Promise<void> {
    const signal = r.abort.signal;
    switch (e.type) {
      case 'look': {
        const data = await look(ports, e.agentId, !!hooks.keychain);
        if (!signal.aborted) dispatch({ type: 'looked', effectId: e.id, data });
        return;
      }
      case 'probe': {
        const outcomes = await probe(ports.validator, e.targets, { timeoutMs: e.timeoutMs, signal });
        const results: Record<string, ProbeOutcome> = {};
        for (const [id, o] of Object.entries(outcomes)) results[id] = { verdict: o.verdict, requestId: o.requestId ?? null, ms: o.ms, detail: o.detail };
        if (!signal.aborted) dispatch({ type: 'probed', effectId: e.id, agentId: e.agentId, results });
        return;
      }
      case 'claude-status': {
        const status = await ports.claude.authStatus(5000).catch(() => null);
        if (!signal.aborted) dispatch({ type: 'claude-status-read', effectId: e.id, status });
        return;
      }
      case 'setup-token': {
        const session = ports.claude.startSetupToken({
          timeoutMs: e.timeoutMs,
          onEvent: (ev) => {
            if (!signal.aborted) dispatch({ type: 'setup-token-progressed', effectId: e.id, event: ev });
          },
        });
        r.session = session;
        if (signal.aborted) session.stop();
        const result = await session.result;
        if (!signal.aborted) dispatch({ type: 'setup-token-finished', effectId: e.id, result });
        return;
      }
      case 'validate': {
        const outcome = await validate(ports, newCredential(held), { timeoutMs: e.timeoutMs, signal, billed: e.billed });
        if (!signal.aborted) dispatch({ type: 'validated', effectId: e.id, outcome });
        return;
      }
      case 'save': {
        const summary = await critical(() => save(ports, { ...e.request, credential: newCredential(held) }));
        dispatch({ type: 'saved', effectId: e.id, summary });
        return;
      }
      case 'preview': {
        const summary = await save(ports, { ...e.request, credential: newCredential(held), dryRun: true });
        if (!signal.aborted) dispatch({ type: 'previewed', effectId: e.id, summary });
        return;
      }
      case 'clear-mark': {
        const summary = await critical(() => clearMark(ports, e));
        dispatch({ type: 'mark-cleared', effectId: e.id, summary });
        return;
      }
    }
  }

  if (hooks.signal) {
    const onAbort = () => dispatch({ type: 'cancelled', exitCode: hooks.signalExitCode?.() ?? 130 });
    if (hooks.signal.aborted) queueMicrotask(onAbort);
    else hooks.signal.addEventListener('abort', onAbort, { once: true });
    void finished.then(() => hooks.signal!.removeEventListener('abort', onAbort));
  }

  // The initial state already lists the `look` effect.
  queueMicrotask(() => {
    for (const e of state.effects) if (!running.has(e.id)) start(e);
  });

  return {
    getState: () => state,
    subscribe: listeners.subscribe,
    dispatch,
    finished,
  };
}

/** The credential a validate, preview or save effect acts on, as save() takes it (no fingerprint). */
function newCredential(c: WizardState['flow']['credential']): NewCredential {
  if (!c) throw new ClawdiaError('No credential to check or store (internal: an effect outlived it); nothing was written.');
  const { fingerprint: _shown, ...credential } = c;
  return credential;
}

/** Look first (SPEC §6 step 1): config (migrated in memory), the agent's store, every agent's profile ids, env, Claude Code. */
export async function look(ports: Ports, agentId: string | null, keychain: boolean): Promise<LookData> {
  const snap = ports.state.readConfig();
  const id = checkAgentId(agentId ?? defaultAgent(snap.config));
  const storeSnap = ports.state.readStore(id);
  const def = defaultAgent(snap.config);
  const ids = [...new Set([...listAgents(snap.config), def, id])];
  const listed = new Set(listAgents(snap.config));
  const agents: AgentInfo[] = ids.map((a) => {
    let profileIds: string[] = [];
    try {
      profileIds = Object.keys(a === id ? storeSnap.store.profiles : ports.state.readStore(a).store.profiles);
    } catch {
      // Another agent's unreadable store only matters when writing to it; the wizard names it then.
    }
    return { id: a, isDefault: a === def, listed: listed.has(a), profileIds };
  });
  const env = statusEnv(ports.env);
  const claudePath = ports.claude.locate();
  const claudeLogin = await ports.claude.readLogin({ keychain }).catch(() => null);
  return {
    agentId: id,
    config: snap.config,
    configPath: ports.state.paths.configPath,
    storePath: ports.state.paths.storePath(id),
    migrated: snap.migrated,
    store: storeSnap.store,
    storeExists: storeSnap.exists,
    configLoose: snap.loosePermissions,
    storeLoose: storeSnap.loosePermissions,
    agents,
    defaultAgent: def,
    env,
    claudePath,
    claudeLogin,
  };
}

/** Fix-it "clear the cooldown" (or a disabled mark): the same change as `models auth clear-cooldown`, plus look-first's probe verdicts. */
async function clearMark(ports: Ports, e: Extract<Effect, { type: 'clear-mark' }>): Promise<ClearedSummary> {
  let cleared: string[] = [];
  let active: string | null = null;
  const result = await ports.state.update(
    [e.agentId],
    (draft) => {
      const store = draft.stores[e.agentId]!;
      if (!store.profiles[e.profileId]) throw new ClawdiaError(`${e.profileId} is no longer stored for agent ${e.agentId}; nothing was changed.`);
      cleared = clearCooldown(store, e.profileId);
      for (const [id, rec] of Object.entries(e.records)) {
        if (store.profiles[id]) store.validation = { ...(store.validation ?? {}), [id]: rec };
      }
      // The agent's own store alone (no main merged in), as the wizard's view of it (wizard/machine.ts agentStatus).
      active = activeProfileOf(statusInput(ports, e.agentId, { config: draft.config, store, storeExists: true }));
    },
    { dryRun: e.dryRun },
  );
  return { agent: e.agentId, profileId: e.profileId, cleared, wrote: result.wrote, dryRun: e.dryRun, activeProfile: active };
}
