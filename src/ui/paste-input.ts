// Reading secrets: a masked prompt on a TTY, stdin otherwise (its own path, not a prompt fed by
// a pipe — USERS.md), never argv. Refuses at once when neither is possible.
import { ClawdiaError, CancelledError } from '../core/errors.js';
import { MAX_SECRET_INPUT, type ExpectedKind } from '../core/credentials.js';
import { formatDuration } from '../core/duration.js';
import type { TerminalIo } from './terminal.js';

const SIGNAL_EXIT: Record<string, 129 | 130 | 143> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The cancel a signal makes: exit 128 + its number (SIGTERM 143, SIGHUP 129, SIGINT 130). */
export function cancelledBy(signal: AbortSignal): CancelledError {
  return new CancelledError('Cancelled. Nothing was written.', SIGNAL_EXIT[String(signal.reason)] ?? 130);
}

/**
 * All of stdin, up to 1 MiB. A pipe that never closes (a `cat` left open, a stuck producer) ends
 * after `timeoutMs` (--timeout) with a clear error instead of waiting forever.
 */
export async function readStdin(stdin: NodeJS.ReadableStream, signal: AbortSignal, what: string, timeoutMs?: number): Promise<string> {
  if (signal.aborted) throw cancelledBy(signal);
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = () => stdin.emit('error', cancelledBy(signal));
  signal.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          stdin.emit(
            'error',
            new ClawdiaError(
              `stdin did not end within ${formatDuration(timeoutMs, { style: 'long' })} (--timeout): no ${what} was read, nothing was written.`,
              {
                hint: `clawdia reads ${what} until stdin closes: pipe it and close it, e.g. printf '%s' "$TOKEN" | clawdia …; or raise --timeout.`,
              },
            ),
          );
        }, timeoutMs);
  timer?.unref();
  try {
    for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > MAX_SECRET_INPUT) {
        throw new ClawdiaError(`stdin holds more than 1 MiB; that is not ${what}.`, { hint: `Pipe only ${what}, e.g. printf '%s' "$TOKEN" | clawdia …` });
      }
      chunks.push(b);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) {
    throw new ClawdiaError(`stdin was empty; expected ${what}.`, {
      hint: `Pipe it in, e.g. printf '%s' "$TOKEN" | clawdia …, or run the command in a terminal to be prompted.`,
    });
  }
  return text;
}

/** A masked prompt on a TTY; stdin when it is piped; a clear refusal when neither. */
export async function readSecret(
  ctx: TerminalIo & { /** stdin and stdout are TTYs (and CI unset): a prompt is allowed. */ interactive: boolean },
  opts: {
    what: string;
    message: string;
    stdinForm: string;
    expected: ExpectedKind;
    note?: string;
    forceStdin?: boolean /** How long a piped stdin may stay open. */;
    timeoutMs?: number;
  },
): Promise<{ raw: string; source: string }> {
  if (!opts.forceStdin && ctx.interactive) {
    const { promptSecret } = await import('./prompt-secret.js');
    return { raw: await promptSecret(ctx, { label: opts.message, expected: opts.expected, note: opts.note }), source: 'prompt' };
  }
  if (ctx.stdin.isTTY) {
    throw new ClawdiaError(`No ${opts.what} to read: stdin is a terminal but this is not an interactive session.`, {
      hint: `Pipe it on stdin: ${opts.stdinForm}`,
    });
  }
  return { raw: await readStdin(ctx.stdin, ctx.signal, opts.what, opts.timeoutMs), source: 'stdin' };
}
