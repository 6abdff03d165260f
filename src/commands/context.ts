// What every command gets from the composition root (built in cli/context.ts): ports, streams, terminal facts,
// and the process-wide cancellation signal. Commands return an exit code; they never call
// process.exit themselves.
import type { Ports } from '../ports.js';

export interface CommandContext {
  ports: Ports;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** stdin and stdout are TTYs and CI is not set: prompts and the Ink UI are allowed. */
  interactive: boolean;
  /** --plain or TERM=dumb: linear, no redraws, no spinners. */
  plain: boolean;
  /** NO_COLOR unset and stdout a TTY. */
  color: boolean;
  /** Aborted on SIGINT (outside raw mode), SIGTERM and SIGHUP; `reason` is the signal name. */
  signal: AbortSignal;
  /** Exit code for the signal that aborted `signal` (130, 143, 129). */
  signalExitCode(): number;
  /** Run the final write: a signal arriving meanwhile waits for it to finish (SPEC §9). */
  critical<T>(fn: () => Promise<T>): Promise<T>;
  /** Print one line to stdout / stderr. */
  out(text: string): void;
  err(text: string): void;
}

export type Command<O> = (opts: O, ctx: CommandContext) => Promise<number>;
