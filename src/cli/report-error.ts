// Errors → stderr and an exit code (SPEC §5). A ClawdiaError says its message, its hint and its own
// exit code; anything else is named only (its message may carry a child's output or a file's
// text). Every line passes the one redaction (core/redact.ts); stacks only with CLAWDIA_DEBUG=1.
import { ClawdiaError } from '../core/errors.js';
import { redact } from '../core/redact.js';

export function reportError(e: unknown): number {
  const say = (t: string) => void process.stderr.write(redact(t));
  if (e instanceof ClawdiaError) {
    say(`error: ${e.message}\n`);
    if (e.hint) say(`hint: ${e.hint}\n`);
    if (process.env.CLAWDIA_DEBUG === '1' && e.stack) say(e.stack + '\n');
    return e.exitCode;
  }
  // Unknown errors may carry a child's output or a file's text in their message: name them only.
  const err = e as NodeJS.ErrnoException;
  say(`error: unexpected failure (${err?.code ?? err?.name ?? 'unknown'}); nothing was written.\n`);
  say('hint: run again with CLAWDIA_DEBUG=1 for details, and report it if it persists.\n');
  if (process.env.CLAWDIA_DEBUG === '1' && err?.stack) say(err.stack + '\n');
  return 1;
}
