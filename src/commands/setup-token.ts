// `clawdia models auth setup-token`: SPEC §6.2 outside the wizard — the same machine in its
// `setup-token` mode (straight to the child; URL, masked code, validate, store, summary), drawn by
// the same Ink screens (or --plain / TERM=dumb lines). It needs a terminal: the sign-in reads a
// code from the keyboard; without one it says so and names the paste-token form.
import { UsageError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import type { SetupTokenOptions } from './options.js';
import { checkCommonFlags, runWizard } from './run-wizard.js';

export async function runSetupToken(opts: SetupTokenOptions, ctx: CommandContext): Promise<number> {
  checkCommonFlags(opts);
  if (!ctx.interactive) {
    throw new UsageError(
      '`clawdia models auth setup-token` needs a terminal: `claude setup-token` signs in through a browser and reads a code from the keyboard.',
      'On a host without one, run `claude setup-token` on a machine with a browser and store the token here: printf \'%s\' "$SETUP_TOKEN" | clawdia models auth paste-token --provider anthropic',
    );
  }
  return runWizard(
    {
      mode: 'setup-token',
      ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
      ...(opts.profileId !== undefined ? { profileId: opts.profileId } : {}),
      skipValidation: opts.skipValidation,
      saveUnverified: opts.saveUnverified,
      yes: opts.yes,
      dryRun: false,
      timeoutMs: opts.timeoutMs,
      setupTokenTimeoutMs: opts.setupTokenTimeoutMs,
      probe: false,
      verbose: !!opts.verbose,
    },
    ctx,
    { json: opts.json, plain: ctx.plain },
  );
}
