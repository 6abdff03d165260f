// The Ink front ends mounted on the terminal: the onboarding wizard (components/App.tsx) and the
// `--remote` screens (components/RemoteApp.tsx). Raw mode is held before the first frame and the
// terminal put back after (terminal.ts); with --json the screens go to stderr, keeping stdout for
// the JSON. Ink and React load here, lazily, only when a screen is drawn.
import type { Instance } from 'ink';
import type { RemoteStoreView } from '../../components/RemoteApp.js';
import { ClawdiaError } from '../core/errors.js';
import type { Clock } from '../ports.js';
import type { WizardState } from '../wizard/state.js';
import type { WizardStore } from '../wizard/runner.js';
import { holdRawMode, restoreTerminal, type TerminalIo } from './terminal.js';

/** How both apps are drawn: on `ui`, keys from stdin, Ctrl-C and console left to the run (it owns the signals). */
function renderOptions(io: TerminalIo, ui: NodeJS.WriteStream) {
  return { stdin: io.stdin, stdout: ui, stderr: io.stderr, exitOnCtrlC: false, patchConsole: false, interactive: true };
}

/** The wizard's screens until the run ends; its final state. A render error cancels the run and says so. */
export async function runInk(store: WizardStore, io: TerminalIo, o: { json: boolean; clock: Clock }): Promise<WizardState> {
  // --json keeps stdout for the JSON alone: the screens go to stderr (a terminal too).
  const ui = o.json ? io.stderr : io.stdout;
  holdRawMode(io.stdin);
  let app: Instance | undefined;
  try {
    const [{ render }, { appElement }] = await Promise.all([import('ink'), import('../../components/App.js')]);
    app = render(appElement({ store, clock: o.clock, animate: true }), renderOptions(io, ui));
    // The app ends itself on a terminal step. If it ends first (a render error), stop the run:
    // cancel (nothing is written unless the final write already started) and say so.
    const ended = app.waitUntilExit().then(
      () => ({ crashed: null as unknown }),
      (e: unknown) => ({ crashed: e ?? new Error('render failed') }),
    );
    const first = await Promise.race([store.finished.then((s) => ({ s })), ended]);
    if ('s' in first) {
      await ended;
      return first.s;
    }
    store.dispatch({ type: 'cancelled', exitCode: 1 });
    const final = await store.finished;
    if (first.crashed) {
      throw new ClawdiaError(
        `The wizard's screen failed (${(first.crashed as Error)?.name ?? 'error'}); ${final.result ? 'the credential was saved before it did' : 'nothing was written'}.`,
        {
          hint: 'Run it again with --plain, or script it with --non-interactive; CLAWDIA_DEBUG=1 shows details.',
        },
      );
    }
    return final;
  } finally {
    app?.unmount();
    restoreTerminal(io.stdin, ui);
  }
}

/** One stretch of the `--remote` screens: until the flow leaves them (to send, or at the end). */
export async function runRemoteScreens(store: RemoteStoreView, io: TerminalIo, o: { json: boolean; clock: Clock }): Promise<void> {
  const ui = o.json ? io.stderr : io.stdout;
  holdRawMode(io.stdin);
  const [{ render }, { remoteAppElement }] = await Promise.all([import('ink'), import('../../components/RemoteApp.js')]);
  const app = render(remoteAppElement({ store, clock: o.clock, animate: true }), renderOptions(io, ui));
  try {
    await app.waitUntilExit().catch(() => store.dispatch({ type: 'cancelled', exitCode: 1 }));
  } finally {
    app.unmount();
    // The terminal back to cooked mode before ssh may ask on it; stdin no longer read.
    restoreTerminal(io.stdin, ui);
  }
}
