// Errors are values with a user message and a fix hint (STYLE: no stack traces reach users).
import { redact } from './redact.js';

export type ExitCode = 0 | 1 | 2 | 129 | 130 | 143;

export class ClawdiaError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  constructor(message: string, opts: { hint?: string; exitCode?: ExitCode } = {}) {
    // A secret typed where an id or a name belongs (`--agent sk-ant-…`) is echoed by the message that
    // refuses it: masked here too, not only where it is printed (SPEC §3, §9).
    super(redact(message));
    this.name = 'ClawdiaError';
    this.hint = opts.hint === undefined ? undefined : redact(opts.hint);
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** A flag or argument out of range: exit 2. */
export class UsageError extends ClawdiaError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** The user cancelled (Ctrl-C, Esc at the first step): exit 130, nothing written. */
export class CancelledError extends ClawdiaError {
  constructor(message = 'Cancelled. Nothing was written.', exitCode: ExitCode = 130) {
    super(message, { exitCode });
    this.name = 'CancelledError';
  }
}

/** A file that does not parse: named with line and column, never overwritten. */
export class FileParseError extends ClawdiaError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly what: string,
    opts: { hint?: string } = {},
  ) {
    // The hint names only files that exist: the adapter adds a `.bak` it has seen (withBackupHint).
    super(`${file}:${line}:${column}: ${what}; clawdia will not read or overwrite it.`, {
      hint: opts.hint ?? 'Fix or move the file by hand, then run the command again.',
    });
    this.name = 'FileParseError';
  }
}
