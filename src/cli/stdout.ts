// stdout for the whole process: written to fd 1 directly until something asks for the stream, and
// a failing stdout (`| head -1` went away, `> /dev/full`, `>&-`) handled once, as one line on
// stderr and an exit code — never an uncaught exception, whose report quotes a line of the
// minified bundle.
//
// process.stdout costs 2–3 ms to create (a net.Socket or tty.WriteStream, with the stream
// machinery behind it); a command that only prints text does not need it. Until something asks for
// the stream, `writeOut` writes to fd 1 directly; after that, everything goes through the stream
// (so output stays in order), and only then does exit wait for it to drain.
import { writeSync } from 'node:fs';

/** process.stdout has been created (by us or by anyone who read it). */
let stdoutStream = false;
/**
 * Set once stdout cannot be written (`| head -1` went away: EPIPE; `> /dev/full`: ENOSPC; `>&-`:
 * EBADF; EIO…). The rest of the output is dropped and one line on stderr says so.
 */
let stdoutFailed: string | null = null;

/** Put the lazy getter on process.stdout. Called once, first thing, by cli.ts. */
export function installLazyStdout(): void {
  const d = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (d?.get && d.configurable) {
    const get = d.get;
    Object.defineProperty(process, 'stdout', {
      ...d,
      get: () => {
        const stream = get.call(process) as NodeJS.WriteStream;
        if (!stdoutStream) onStdoutError(stream);
        stdoutStream = true;
        return stream;
      },
    });
  } else {
    stdoutStream = true;
    onStdoutError(process.stdout);
  }
}

function stdoutFailure(e: unknown): void {
  if (stdoutFailed) return;
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  stdoutFailed = code;
  if (code === 'EPIPE') {
    // `| head -1`: the reader chose to stop; no errno, no alarm — only what happened.
    say('clawdia: the reader of stdout went away (a closed pipe); the rest of the output was dropped.\n');
    return;
  }
  const why = code === 'ENOSPC' ? 'no space left on the device' : code === 'EBADF' ? 'stdout is closed' : 'a write error';
  say(`clawdia: could not write to stdout (${code}: ${why}); the rest of the output was dropped.\n`);
}

function say(line: string): void {
  try {
    process.stderr.write(line);
  } catch {
    // stderr is gone too: nothing left to tell
  }
}

/** The exit code once stdout failed: a reader that left keeps the command's code; lost output is a failure. */
export function exitAfterStdout(code: number): number {
  return stdoutFailed && stdoutFailed !== 'EPIPE' && code === 0 ? 1 : code;
}

function onStdoutError(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    stdoutFailure(e);
    // Ink or a prompt may still be drawing to it: end now, with the command's code so far.
    process.exit(exitAfterStdout(typeof process.exitCode === 'number' ? process.exitCode : 0));
  });
}

/** Write to stdout (fd 1 until the stream exists); dropped once stdout has failed. */
export function writeOut(text: string): void {
  if (stdoutFailed) return;
  if (!stdoutStream) {
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(1, buf, off);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
        stdoutFailure(e);
        return;
      }
      // EAGAIN (a non-blocking pipe is full): the stream handles it as it always did.
      text = buf.subarray(off).toString();
    }
  }
  try {
    process.stdout.write(text);
  } catch (e) {
    // A file or device stdout (SyncWriteStream) throws instead of emitting 'error'.
    stdoutFailure(e);
  }
}

/** Before exit: wait for the stream to drain, if it was ever created and still works. */
export async function drainStdout(): Promise<void> {
  if (stdoutStream && !stdoutFailed) await new Promise<void>((r) => process.stdout.write('', () => r()));
}
