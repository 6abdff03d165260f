// What `onboard` and `onboard --non-interactive` share: the wizard's options from the flags, and
// the report after the run. Its own file so that onboard.ts and onboard-auto.ts (which it loads
// lazily) do not import each other.
import { activeWarningLine } from '../core/active-profile.js';
import { modelRef } from '../core/save.js';
import { migrationNotice } from '../core/migration.js';
import type { WizardOptions, WizardState } from '../wizard/state.js';
import { summaryModel } from '../wizard/summary.js';
import type { CommandContext } from './context.js';
import type { OnboardOptions } from './options.js';

export function wizardOptions(opts: OnboardOptions, extra: Partial<WizardOptions> = {}): WizardOptions {
  return {
    mode: 'onboard',
    ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
    ...(opts.profileId !== undefined ? { profileId: opts.profileId } : {}),
    ...(opts.authChoice ? { authChoice: opts.authChoice } : {}),
    ...(opts.model ? { model: opts.model } : {}),
    ...(opts.cacheTtl ? { cacheTtl: opts.cacheTtl } : {}),
    ...(opts.copyFrom ? { copyFrom: opts.copyFrom } : {}),
    skipValidation: opts.skipValidation,
    saveUnverified: opts.saveUnverified,
    yes: opts.yes,
    dryRun: opts.dryRun,
    timeoutMs: opts.timeoutMs,
    setupTokenTimeoutMs: opts.setupTokenTimeoutMs,
    probe: true,
    verbose: !!opts.verbose,
    ...(opts.checkBilling ? { checkBilling: true } : {}),
    ...extra,
  };
}

/** After the run: migration notice, warnings (stderr), the JSON or text summary (stdout), the exit code. */
export async function report(s: WizardState, ctx: CommandContext, o: { json: boolean; printSummary: boolean }): Promise<number> {
  const code = s.exitCode ?? 1;
  const r = s.result;
  if (r?.type === 'saved') {
    if (r.summary.migrated.length && r.summary.wrote.length) ctx.err(migrationNotice(r.summary.migrated, r.summary.configPath));
    // The warnings are in the summary the screen showed (or prints below): said once.
  }
  if (o.json && s.flow.step === 'done' && r) {
    if (r.type === 'saved') {
      const { summaryJson } = await import('./auth-common.js');
      ctx.out(JSON.stringify({ ...summaryJson(r.summary), model: s.flow.model ? modelRef(s.flow.model) : null, cacheTtl: s.flow.cacheTtl }, null, 2));
    } else {
      ctx.out(
        JSON.stringify(
          {
            agent: r.summary.agent,
            profileId: r.summary.profileId,
            cleared: r.summary.cleared,
            activeProfile: r.summary.activeProfile,
            wrote: r.summary.wrote,
            dryRun: r.summary.dryRun,
          },
          null,
          2,
        ),
      );
    }
  } else if (o.printSummary) {
    const { summaryText } = await import('../wizard/summary.js');
    const { lineWidth, wrapWords } = await import('../ui/plain-io.js');
    const m = summaryModel(s, ctx.ports.clock.now());
    // On a terminal, word-wrapped here (continuation lines indented), never cut inside a word.
    const fitText = (text: string, stream: NodeJS.WriteStream) =>
      stream.isTTY
        ? text
            .split('\n')
            .map((l) => wrapWords(l, lineWidth(stream), /^\s*/.exec(l)![0].length + 2))
            .join('\n')
        : text;
    if (s.flow.step === 'done') {
      ctx.out(fitText(summaryText(m, { warnings: false }).trimEnd(), ctx.stdout));
      for (const l of m.warnings) ctx.err(fitText(`warning: ${l}`, ctx.stderr));
    } else {
      ctx.err(`${s.flow.step === 'cancelled' ? '' : 'error: '}${m.title}`);
      for (const b of m.blocks) for (const l of b.lines) ctx.err(`hint: ${l}`);
    }
  }
  // JSON on stdout: the summary's warning about which profile is in use goes to stderr.
  if (r?.type === 'saved' && o.json) {
    const w = activeWarningLine(r.summary);
    if (w) ctx.err(`warning: ${w}`);
  }
  return code;
}
