// The --plain / TERM=dumb conversation's terminal I/O: whole lines out, whole lines in, nothing
// else. A screen reader (or a dumb terminal) gets no cursor movement, no redraw, no colour: the
// prompt library's list prompt redraws itself with cursor-up/erase sequences, so plain mode reads
// lines itself. Text is word-wrapped here (never a line break inside a word), continuation lines
// indented under their label. One reader stays on stdin for the whole run, so a line typed ahead
// waits for its question instead of being dropped.

/** Word-wrap `text` to `width` columns; continuation lines get `indent` spaces. Words longer than a line stay whole. */
export function wrapWords(text: string, width: number, indent = 0): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = /^\s*/.exec(para)![0];
    const words = para.slice(lead.length).split(/ +/).filter(Boolean);
    const pad = ' '.repeat(Math.max(indent, 0));
    let line = lead;
    let fresh = true;
    for (const w of words) {
      if (!fresh && line.length + 1 + w.length > width) {
        out.push(line);
        line = pad + w;
        continue;
      }
      line += (fresh ? '' : ' ') + w;
      fresh = false;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The width to wrap to: the terminal's columns less one (so a full line never wraps by itself). */
export function lineWidth(out: NodeJS.WritableStream): number {
  const cols = (out as NodeJS.WriteStream).columns;
  return Math.max(30, (cols && cols > 0 ? cols : 80) - 1);
}

export class Cancelled extends Error {
  override name = 'PlainCancelled';
}

/** Lines from stdin, one question at a time; `secret()` reads one with echo off. */
export class LineReader {
  private buf = '';
  /** Inside a bracketed paste at the start of `buf` (each scan starts from there). */
  private inPaste = false;
  private waiter: { hidden: boolean; resolve: (v: string) => void; reject: (e: Error) => void } | null = null;
  private ended = false;
  private readonly onData = (d: Buffer | string) => {
    this.buf += typeof d === 'string' ? d : d.toString('utf8');
    this.pump();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.pump();
  };

  constructor(private readonly stdin: NodeJS.ReadStream) {
    stdin.on('data', this.onData);
    stdin.on('end', this.onEnd);
    stdin.resume();
  }

  /** A line as typed (the terminal echoes it); Ctrl-C is the terminal's own (SIGINT). */
  line(signal: AbortSignal): Promise<string> {
    return this.wait(false, signal);
  }

  /**
   * A line with echo off (raw mode): for secrets. Ctrl-C rejects with Cancelled. `prompt` is shown
   * once echo is off: a paste that arrives the moment the question appears is never echoed.
   */
  async secret(signal: AbortSignal, prompt?: () => void): Promise<string> {
    const raw = this.stdin.isTTY === true;
    if (raw) this.stdin.setRawMode(true);
    try {
      prompt?.();
      return await this.wait(true, signal);
    } finally {
      if (raw && !this.stdin.destroyed) this.stdin.setRawMode(false);
    }
  }

  close(): void {
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.pause();
  }

  private wait(hidden: boolean, signal: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (signal.aborted) return reject(new Cancelled('aborted'));
      const onAbort = () => {
        this.waiter = null;
        reject(new Cancelled('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        hidden,
        resolve: (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      this.pump();
    });
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    let value = '';
    let i = 0;
    const s = this.buf;
    const startPaste = this.inPaste;
    let inPaste = startPaste;
    for (; i < s.length; i++) {
      const rest = s.slice(i);
      const marker = /^\u001b\[20([01])~/.exec(rest);
      if (marker) {
        inPaste = marker[1] === '0';
        i += marker[0].length - 1;
        continue;
      }
      const seq = /^(?:\u001b\[[0-9;]*[A-Za-z~]|\u001bO[A-Za-z])/.exec(rest);
      if (seq) {
        i += seq[0].length - 1;
        continue;
      }
      const c = s[i]!;
      if (c === '\r' || c === '\n') {
        // Inside a bracketed paste a line break is part of a wrapped token, not Enter.
        if (inPaste) continue;
        this.inPaste = inPaste;
        const skip = c === '\r' && s[i + 1] === '\n' ? 1 : 0;
        this.buf = s.slice(i + 1 + skip);
        this.waiter = null;
        w.resolve(value);
        return;
      }
      if (w.hidden) {
        if (c === '\u0003') {
          this.buf = s.slice(i + 1);
          this.inPaste = false;
          this.waiter = null;
          w.reject(new Cancelled('ctrl-c'));
          return;
        }
        if (c === '\u007f' || c === '\b') {
          value = value.slice(0, -1);
          continue;
        }
        if (c === '\u0015') {
          value = '';
          continue;
        }
        if (c < ' ') continue;
      }
      value += c;
    }
    if (this.ended) {
      this.buf = '';
      this.inPaste = false;
      this.waiter = null;
      // End of input: a last line without its line end counts; nothing left ends the conversation.
      if (value !== '') w.resolve(value);
      else w.reject(new Cancelled('eof'));
    }
  }
}
