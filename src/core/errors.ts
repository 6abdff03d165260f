// Errors are values with a user message and a fix hint (STYLE: no stack traces reach users).
import { fingerprint } from './credentials.js';

export type ExitCode = 0 | 1 | 2 | 129 | 130 | 143;

const SECRET_LIKE = /sk-ant-[a-z]+\d*-[A-Za-z0-9_-]+/g;

/**
 * A secret typed where an id, a number or a name belongs (`--agent sk-ant-…`, `--provider sk-ant-…`)
 * is echoed by the message that refuses it: show it as a fingerprint instead (SPEC §3, §9).
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LIKE, (m) => fingerprint(m));
}

export class ClawdiaError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  constructor(message: string, opts: { hint?: string; exitCode?: ExitCode } = {}) {
    super(redactSecrets(message));
    this.name = 'ClawdiaError';
    this.hint = opts.hint === undefined ? undefined : redactSecrets(opts.hint);
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
