// Reading secrets: a masked prompt on a TTY, stdin otherwise (its own path, not a prompt fed by
// a pipe — USERS.md), never argv. Refuses at once when neither is possible.
import { ClawdiaError, CancelledError } from '../core/errors.js';
import { MAX_SECRET_INPUT, type ExpectedKind } from '../core/credentials.js';
import type { CommandContext } from './context.js';

export async function readStdin(stdin: NodeJS.ReadableStream, signal: AbortSignal, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = () => stdin.emit('error', new CancelledError());
  signal.addEventListener('abort', onAbort, { once: true });
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
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) {
    throw new ClawdiaError(`stdin was empty; expected ${what}.`, { hint: `Pipe it in, e.g. printf '%s' "$TOKEN" | clawdia …, or run the command in a terminal to be prompted.` });
  }
  return text;
}

/** A masked prompt on a TTY; stdin when it is piped; a clear refusal when neither. */
export async function readSecret(
  ctx: CommandContext,
  opts: { what: string; message: string; stdinForm: string; expected: ExpectedKind; note?: string; forceStdin?: boolean },
): Promise<{ raw: string; source: string }> {
  if (!opts.forceStdin && ctx.interactive) {
    const { promptSecret } = await import('./prompt-secret.js');
    return { raw: await promptSecret(ctx, { label: opts.message, expected: opts.expected, note: opts.note }), source: 'prompt' };
  }
  if (ctx.stdin.isTTY) {
    throw new ClawdiaError(`No ${opts.what} to read: stdin is a terminal but this is not an interactive session.`, { hint: `Pipe it on stdin: ${opts.stdinForm}` });
  }
  return { raw: await readStdin(ctx.stdin, ctx.signal, opts.what), source: 'stdin' };
}

export async function confirm(ctx: CommandContext, message: string, def: boolean): Promise<boolean> {
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask({ message, default: def }, { input: ctx.stdin, output: ctx.stdout, signal: ctx.signal });
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError' || (e as Error)?.name === 'AbortPromptError' || ctx.signal.aborted) throw new CancelledError();
    throw e;
  }
}

/** `365d`, `12h`, `30m`, `1y`, `2w`, or plain ms. */
export function parseDuration(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?$/i.exec(s.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const mult: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 };
  const v = Math.round(n * mult[unit]!);
  return v > 0 ? v : null;
}
