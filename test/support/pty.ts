// End-to-end harness: run a command in a real pseudo-terminal (@lydell/node-pty) and read what a
// user would see through a headless xterm of the same size (@xterm/headless), so redraws, cursor
// moves and wrapping count exactly as on a screen.
//
//   const p = spawnPty(process.execPath, ['bin/clawdia.js', 'onboard'], { env: { ...process.env, HOME: tmp } });
//   await p.waitFor('Choose a method');
//   p.write(DOWN + ENTER);
//   expect((await p.exited).exitCode).toBe(0);
import fs from 'node:fs';
import ptyModule from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';

// Both are CommonJS: take the named exports from the default import.
const { spawn } = ptyModule;
const { Terminal } = xtermHeadless;

export { BACKSPACE, bracketedPaste, CTRL_C, CTRL_D, DOWN, ENTER, ESC, LEFT, RIGHT, TAB, UP } from './keys.js';

export interface SpawnPtyOptions {
  /** The child's whole environment (default `process.env`). `CI` vars are removed; TERM defaults to xterm-256color. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  cols?: number;
  rows?: number;
}

export interface PtyExit {
  exitCode: number;
  signal: number | undefined;
}

export interface PtyProcess {
  readonly pid: number;
  /** Type into the terminal (keys as bytes; see the constants above). */
  write(keys: string): void;
  /** The visible lines of the screen, trimmed right, joined by \n. */
  screen(): string;
  /** All raw output so far. */
  output(): string;
  /** Every line the terminal holds, scrollback first then the screen, joined by \n; a line the terminal soft-wrapped is joined back into one. */
  history(): string;
  /** Resolves with the screen once it contains `what` (looked at as each read is drawn, between frames); rejects with the current screen after `timeoutMs`. */
  waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Resolves as soon as the raw output contains `what` (checked as each read arrives, no screen
   * drawing): for typing at the very moment something is shown, or for text written above the app
   * in a write of its own, which can trail the frame by a read. Rejects after `timeoutMs`.
   */
  waitForOutput(what: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves once every byte received so far has been drawn on the screen. */
  settle(): Promise<void>;
  readonly exited: Promise<PtyExit>;
  /** Signal the child (default SIGTERM). */
  kill(signal?: string): void;
  resize(cols: number, rows: number): void;
  /** Kill the child if still running and free the terminal. */
  dispose(): void;
}

/** Ink draws only the last frame when any CI variable is set (even `CI=''`): never pass one on. */
export function ptyEnv(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) continue;
    out[k] = v;
  }
  if (!out.TERM) out.TERM = 'xterm-256color';
  return out;
}

export function spawnPty(cmd: string, args: string[], opts: SpawnPtyOptions = {}): PtyProcess {
  const cols = opts.cols ?? 100;
  const rows = opts.rows ?? 30;
  const term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  const child = spawn(cmd, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: opts.cwd ?? process.cwd(),
    env: ptyEnv(opts.env),
  });
  let raw = '';
  let running = true;
  // What the waits below look for, checked as output arrives (raw) and once it is drawn (screen):
  // no polling, so a wait costs nothing while the child works, and ends the moment the text shows.
  const onRaw = new Set<() => void>();
  const onDrawn = new Set<() => void>();
  const drawn = () => {
    for (const f of [...onDrawn]) f();
  };
  // Ink wraps each frame in a synchronized update (DEC mode 2026: ESC[?2026h … ESC[?2026l), which a
  // terminal shows only whole; a read can end inside one. `whole`: the screen as drawn so far holds
  // no half frame (the modes are 8 bytes, so 7 carried over find one split between reads).
  const SYNC_ON = '\u001b[?2026h';
  const SYNC_OFF = '\u001b[?2026l';
  let syncing = false;
  let carry = '';
  let whole = true;
  child.onData((d) => {
    raw += d;
    for (const f of [...onRaw]) f();
    const text = carry + d;
    const on = text.lastIndexOf(SYNC_ON);
    const off = text.lastIndexOf(SYNC_OFF);
    if (on !== off) syncing = on > off;
    carry = text.slice(-7);
    const after = !syncing;
    term.write(d, () => {
      whole = after;
      drawn();
    });
  });
  // A real terminal answers queries (cursor position, device attributes): pass the answers back.
  const answers = term.onData((d) => {
    if (running) child.write(d);
  });
  const exited = new Promise<PtyExit>((resolve) => {
    child.onExit(({ exitCode, signal }) => {
      running = false;
      resolve({ exitCode, signal: signal || undefined });
    });
  });

  const screen = (): string => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = buf.viewportY; y < buf.viewportY + term.rows; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  const history = (): string => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buf.length; y++) {
      const line = buf.getLine(y);
      const text = line?.translateToString(true) ?? '';
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.padEnd(term.cols) + text;
      else lines.push(text);
    }
    return lines.join('\n');
  };
  const settle = () => new Promise<void>((resolve) => term.write('', resolve));
  const matches = (text: string, what: string | RegExp) => (typeof what === 'string' ? text.includes(what) : what.test(text));
  /** Resolves once `look()` gives a value, checked now and then on every `on` call; rejects with `failure()` after `timeoutMs`. */
  const when = <T>(on: Set<() => void>, look: () => T | undefined, timeoutMs: number, failure: () => Error): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = look();
        if (v === undefined) return;
        done();
        resolve(v);
      };
      const timer = setTimeout(() => {
        done();
        reject(failure());
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        on.delete(check);
      };
      on.add(check);
      check();
    });

  return {
    pid: child.pid,
    write: (keys) => {
      if (running) child.write(keys);
    },
    screen,
    history,
    output: () => raw,
    settle,
    async waitFor(what, timeoutMs = 10_000) {
      await settle();
      const look = () => {
        if (!whole) return undefined;
        const s = screen();
        return matches(s, what) ? s : undefined;
      };
      return when(
        onDrawn,
        look,
        timeoutMs,
        () => new Error(`waitFor(${String(what)}) timed out after ${timeoutMs} ms${running ? '' : ' (the process has exited)'}; screen:\n${screen()}`),
      );
    },
    async waitForOutput(what, timeoutMs = 10_000) {
      const look = () => (matches(raw, what) ? true : undefined);
      await when(
        onRaw,
        look,
        timeoutMs,
        () => new Error(`waitForOutput(${String(what)}) timed out after ${timeoutMs} ms${running ? '' : ' (the process has exited)'}`),
      );
    },
    exited,
    kill: (signal = 'SIGTERM') => {
      if (running) child.kill(signal);
    },
    resize: (c, r) => {
      term.resize(c, r);
      if (running) child.resize(c, r);
      drawn();
    },
    dispose: () => {
      if (running) {
        // `claude setup-token` runs under `script` in a session of its own: a SIGKILL of clawdia
        // alone would leave it waiting for a code forever (dozens per suite run, seen here).
        const tree = [child.pid, ...descendants(child.pid)];
        for (const pid of tree) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      answers.dispose();
      term.dispose();
    },
  };
}

/** Every live descendant of `pid` (Linux /proc; empty elsewhere). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  let names: string[] = [];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(n), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parentOf) {
      if (pp === p && !out.includes(c)) {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(pid);
  return out;
}
