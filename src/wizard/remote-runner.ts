// Runs the `--remote` flow (remote-flow.ts): a tiny store (getState/subscribe/dispatch) whose one
// effect is `claude setup-token`, started exactly while the flow is on its step and stopped when it
// leaves it. The remote commands (commands/remote-wizard.ts) drive it; the screens
// (components/RemoteApp.tsx) render it. The sending (ssh) stays with the command, outside the UI.
import type { Ports, SetupTokenSession } from '../ports.js';
import { createListeners } from './listeners.js';
import { reduceRemote, type RemoteEvent, type RemoteFlowState } from './remote-flow.js';

export interface RemoteStore {
  getState(): RemoteFlowState;
  subscribe(l: () => void): () => void;
  dispatch(e: RemoteEvent): void;
}

export function createRemoteStore(ports: Pick<Ports, 'claude' | 'clock'>, initial: RemoteFlowState): RemoteStore & { stopChild(): Promise<void> } {
  let state = initial;
  const listeners = createListeners();
  let session: SetupTokenSession | null = null;
  let sessionDone: Promise<void> = Promise.resolve();
  const sync = () => {
    // The child runs exactly while the flow is on its step.
    if (state.step === 'running-setup-token' && !session) {
      const s = ports.claude.startSetupToken({
        timeoutMs: state.options.setupTokenTimeoutMs,
        onEvent: (ev) => session === s && dispatch({ type: 'setup-progressed', event: ev }),
      });
      session = s;
      sessionDone = s.result.then((result) => {
        if (session === s) {
          session = null;
          dispatch({ type: 'setup-finished', result });
        }
      });
    } else if (state.step !== 'running-setup-token' && session) {
      const s = session;
      session = null;
      s.stop();
    }
  };
  const dispatch = (e: RemoteEvent) => {
    const next = reduceRemote(state, e, ports.clock.now());
    if (e.type === 'code-submitted' && next !== state) session?.submitCode(e.code);
    if (e.type === 'setup-retried' && next !== state) session?.pressEnter();
    if (next === state) return;
    state = next;
    sync();
    listeners.notify();
  };
  queueMicrotask(sync);
  return {
    getState: () => state,
    subscribe: listeners.subscribe,
    dispatch,
    async stopChild() {
      if (session) {
        const s = session;
        session = null;
        s.stop();
      }
      await Promise.race([sessionDone, new Promise((r) => setTimeout(r, 3000).unref())]);
    },
  };
}
