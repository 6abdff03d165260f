// `clawdia onboard`: picks the front end (Ink TUI, --plain, --non-interactive) for the one wizard
// machine (src/wizard/machine.ts), and reports the result. Ink, React and @inquirer/prompts are
// imported only when a UI is drawn (ui/), so `--version` and `models status` never load them.
import { UsageError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import type { OnboardOptions } from './options.js';
import { wizardOptions } from './onboard-report.js';
import { checkCommonFlags, runWizard } from './run-wizard.js';

export const NON_INTERACTIVE_FORMS = [
  `printf '%s' "$ANTHROPIC_API_KEY" | clawdia onboard --non-interactive --auth-choice api-key --token-stdin`,
  `printf '%s' "$SETUP_TOKEN" | clawdia onboard --non-interactive --auth-choice paste-token --token-stdin`,
  `clawdia onboard --non-interactive --auth-choice claude-cli      (reuse Claude Code's login on this host)`,
];

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
    throw new UsageError(
      'clawdia onboard is interactive and needs a terminal (stdin and stdout must be TTYs, and CI unset).',
      `Script it instead, e.g.:\n  ${NON_INTERACTIVE_FORMS.join('\n  ')}`,
    );
  }
  return runWizard(wizardOptions(opts), ctx, { json: opts.json, plain: opts.plain || ctx.plain });
}
