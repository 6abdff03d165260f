// `clawdia onboard`: picks the front end (Ink TUI, --plain, --non-interactive) for the one wizard
// machine (src/wizard/machine.ts), and reports the result. Ink, React and @inquirer/prompts are
// imported here only when a UI is drawn, so `--version` and `models status` never load them.
import { ClawdiaError, UsageError } from '../core/errors.js';
import { checkAgentId, checkProfileId } from '../core/paths.js';
import type { Instance } from 'ink';
import type { WizardOptions, WizardState } from '../wizard/state.js';
import { createWizard, type WizardStore } from '../wizard/runner.js';
import type { CommandContext } from './context.js';
import type { OnboardOptions } from './options.js';
import { holdRawMode, releaseRawMode } from './raw-mode.js';
import { report, wizardOptions } from './onboard-report.js';

export const NON_INTERACTIVE_FORMS = [
  `printf '%s' "$ANTHROPIC_API_KEY" | clawdia onboard --non-interactive --auth-choice api-key --token-stdin`,
  `printf '%s' "$SETUP_TOKEN" | clawdia onboard --non-interactive --auth-choice paste-token --token-stdin`,
  `clawdia onboard --non-interactive --auth-choice claude-cli      (reuse Claude Code's login on this host)`,
];

export function checkCommonFlags(o: { agent?: string; profileId?: string; copyFrom?: string }): void {
  if (o.agent !== undefined) checkAgentId(o.agent);
  if (o.profileId !== undefined) checkProfileId(o.profileId);
  if (o.copyFrom !== undefined) checkAgentId(o.copyFrom);
}

export async function runOnboard(opts: OnboardOptions, ctx: CommandContext): Promise<number> {
  checkCommonFlags(opts);
  if (opts.cacheTtl && opts.authChoice && opts.authChoice !== 'api-key') {
    throw new UsageError('--cache-ttl applies to API keys only (OAuth and setup-tokens ignore the cache TTL).');
  }
  // A secret piped on stdin is a scripted run: it cannot also be the keyboard.
  if (opts.nonInteractive || opts.tokenStdin) {
    const { runNonInteractive } = await import('./onboard-auto.js');
    return runNonInteractive(opts, ctx);
  }
  if (!ctx.interactive) {
    throw new UsageError('clawdia onboard is interactive and needs a terminal (stdin and stdout must be TTYs, and CI unset).', `Script it instead, e.g.:\n  ${NON_INTERACTIVE_FORMS.join('\n  ')}`);
  }
  return runWizard(wizardOptions(opts), ctx, { json: opts.json, plain: opts.plain || ctx.plain });
}

/** Run the interactive wizard (Ink, or --plain), then report. Shared with `models auth setup-token`. */
export async function runWizard(options: WizardOptions, ctx: CommandContext, o: { json: boolean; plain: boolean }): Promise<number> {
  const hooks = { signal: ctx.signal, signalExitCode: () => ctx.signalExitCode(), critical: <T,>(fn: () => Promise<T>) => ctx.critical(fn), keychain: true };
  let final: WizardState;
  if (o.plain) {
    const { runPlain } = await import('./onboard-plain.js');
    final = await runPlain(createWizard(ctx.ports, options, hooks), ctx, { json: o.json });
  } else {
    final = await runInk(createWizard(ctx.ports, options, hooks), ctx, { json: o.json });
  }
  return report(final, ctx, { json: o.json, printSummary: o.plain });
}

async function runInk(store: WizardStore, ctx: CommandContext, o: { json: boolean }): Promise<WizardState> {
  // --json keeps stdout for the JSON alone: the screens go to stderr (a terminal too).
  const ui = o.json ? ctx.stderr : ctx.stdout;
  holdRawMode(ctx.stdin);
  let app: Instance | undefined;
  try {
    const [{ render }, { appElement }] = await Promise.all([import('ink'), import('../../components/App.js')]);
    app = render(appElement({ store, clock: ctx.ports.clock, animate: true }), {
      stdin: ctx.stdin,
      stdout: ui,
      stderr: ctx.stderr,
      exitOnCtrlC: false,
      patchConsole: false,
      interactive: true,
    });
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
      throw new ClawdiaError(`The wizard's screen failed (${(first.crashed as Error)?.name ?? 'error'}); ${final.result ? 'the credential was saved before it did' : 'nothing was written'}.`, {
        hint: 'Run it again with --plain, or script it with --non-interactive; CLAWDIA_DEBUG=1 shows details.',
      });
    }
    return final;
  } finally {
    app?.unmount();
    restoreTerminal(ctx, ui);
  }
}

/** Belt and braces after Ink's own cleanup: raw mode off, bracketed paste and focus reports off, cursor on. */
export function restoreTerminal(ctx: CommandContext, ui: NodeJS.WriteStream): void {
  releaseRawMode(ctx.stdin);
  if (ui.isTTY && !ui.destroyed) ui.write('\u001b[?2004l\u001b[?1004l\u001b[?25h');
  ctx.stdin.pause();
}
