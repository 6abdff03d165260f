// The interactive wizard as `onboard` and `models auth setup-token` both run it: the flags every
// wizard run checks first, the front end (Ink, or --plain / TERM=dumb lines, both in ui/), then
// the report (onboard-report.ts). Its own file so that one command does not import another.
import { checkAgentId, checkProfileId } from '../core/paths.js';
import { runInk } from '../ui/ink.js';
import type { WizardOptions, WizardState } from '../wizard/state.js';
import { createWizard } from '../wizard/runner.js';
import type { CommandContext } from './context.js';
import { report } from './onboard-report.js';

export function checkCommonFlags(o: { agent?: string; profileId?: string; copyFrom?: string }): void {
  if (o.agent !== undefined) checkAgentId(o.agent);
  if (o.profileId !== undefined) checkProfileId(o.profileId);
  if (o.copyFrom !== undefined) checkAgentId(o.copyFrom);
}

/** Run the interactive wizard (Ink, or --plain), then report. */
export async function runWizard(options: WizardOptions, ctx: CommandContext, o: { json: boolean; plain: boolean }): Promise<number> {
  const hooks = { signal: ctx.signal, signalExitCode: () => ctx.signalExitCode(), critical: <T>(fn: () => Promise<T>) => ctx.critical(fn), keychain: true };
  let final: WizardState;
  if (o.plain) {
    const { runPlain } = await import('../ui/plain.js');
    final = await runPlain(createWizard(ctx.ports, options, hooks), ctx, { json: o.json, dumb: ctx.ports.env.get('TERM') === 'dumb' });
  } else {
    final = await runInk(createWizard(ctx.ports, options, hooks), ctx, { json: o.json, clock: ctx.ports.clock });
  }
  return report(final, ctx, { json: o.json, printSummary: o.plain });
}
