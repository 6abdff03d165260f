// Running `claude setup-token` in a pseudo-terminal clawdia owns (SPEC §6.2, shape 2): execa runs
// `script` around the child, keys go to it, its screen is read (screen.ts) into events and a result,
// and stopping reaches the child's own process group (script gives it a session of its own).
//
// execa is imported lazily (≈ 80 ms), when a session starts.
// Nothing here puts a secret, or a child's raw output, into a message or an event: the token leaves
// only through `result.token`, and execa's error messages (which embed output) are never surfaced.
import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ResultPromise } from 'execa';
import { checkShape, fingerprint, normalizeSecret } from '../../core/credentials.js';
import type { SetupTokenEvent, SetupTokenResult, SetupTokenSession } from '../../ports.js';
import { INSTALL_CLAUDE_CODE as INSTALL_HINT } from '../../core/copy.js';
import { formatDuration } from '../../core/duration.js';
import { PTY_COLS, PTY_ROWS, TextScreen, lastWords, readScreen } from './screen.js';

const PID_MARK = '__CLAWDIA_CHILD_PID=';
// Claude Code's input reads a multi-character chunk ending in \r as typed text: send Enter apart.
const ENTER_DELAY_MS = 100;
// The screen is read after this much quiet (frames arrive in bursts), and at least this often.
const SCAN_QUIET_MS = 30;
const SCAN_MAX_WAIT_MS = 250;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface RunOptions {
  bin: string | null;
  platform: NodeJS.Platform;
  env: () => Record<string, string>;
  timeoutMs: number;
  onEvent: (e: SetupTokenEvent) => void;
  killGraceMs: number;
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/** Alive and not a zombie (a zombie ignores signals and is reaped by its parent or init). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Linux: the children of `pid`, to reach the shell/claude before it printed its pid. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function runSetupToken(o: RunOptions): SetupTokenSession {
  let settle!: (r: SetupTokenResult) => void;
  const result = new Promise<SetupTokenResult>((r) => (settle = r));
  let done = false;
  let sub: ResultPromise | null = null;
  let scriptPid: number | undefined;
  let childPid: number | undefined;
  let stopReason: 'stopped' | 'timeout' | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const pending: string[] = [];

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const emit = (e: SetupTokenEvent) => {
    if (done) return;
    try {
      o.onEvent(e);
    } catch {
      // A throwing listener must not break reading the child (the data handler would crash).
    }
  };
  const exitHook = () => signalAll('SIGKILL');
  const finish = (r: SetupTokenResult) => {
    if (done) return;
    done = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    process.removeListener('exit', exitHook);
    settle(r);
  };

  // ---- what the child shows
  const screen = new TextScreen(PTY_COLS, PTY_ROWS);
  const decoder = new StringDecoder('utf8');
  let head = '';
  let lastUrl: string | undefined;
  let promptVisible = false;
  let rejectedVisible = false;
  let pendingSubmit = false;
  let oauthVisible: string | undefined;
  let lastOauthError: string | undefined;
  let token: string | undefined;
  let tokenSent = false;
  let expiresInMs: number | undefined;
  let scanTimer: NodeJS.Timeout | undefined;
  let burstStart = 0;

  const session: SetupTokenSession = {
    submitCode(code: string) {
      // Control characters would act as keys (a newline would submit half a code).
      const clean = code.replace(/[\u0000-\u001f\u007f]/g, '').trim();
      write(clean);
      later(ENTER_DELAY_MS, () => {
        pendingSubmit = true;
        write('\r');
      });
    },
    pressEnter() {
      write('\r');
    },
    stop() {
      requestStop('stopped');
    },
    result,
  };

  if (!o.bin) {
    finish({
      ok: false,
      failure: 'not_found',
      message: `Claude Code CLI not found. Install it with \`${INSTALL_HINT}\`, or paste a setup-token made on another machine.`,
    });
    return session;
  }
  const bin = o.bin;

  const scan = (final: boolean) => {
    const { lines, cursorRow } = screen.snapshot();
    const seen = readScreen(lines, final ? Infinity : cursorRow);
    // Once per URL: redraws repeat it; a retry after an OAuth error starts a new sign-in with a new
    // URL (2.1.197), and a code from the old one no longer works.
    const url = seen.url;
    if (url && url !== lastUrl) {
      lastUrl = url;
      emit({ type: 'url', url });
    }
    const prompt = seen.prompt;
    if (prompt && !promptVisible) emit({ type: 'awaiting-code' });
    promptVisible = prompt;

    const rejected = seen.rejected;
    // The same complaint again after a new code: Ink redraws it unchanged, so count a submitted code
    // whose input box has emptied again.
    const inputEmpty = seen.inputEmpty;
    if (rejected !== undefined && (!rejectedVisible || (pendingSubmit && inputEmpty))) {
      pendingSubmit = false;
      emit({ type: 'code-rejected', message: rejected });
    }
    rejectedVisible = rejected !== undefined;

    const oauth = seen.oauthError;
    if (oauth && oauth !== oauthVisible) {
      pendingSubmit = false;
      if (seen.invalidCode) {
        // Older releases loop on "Press Enter to retry" for an incomplete code: go back to the
        // code box for the caller, who sees it as a rejected code.
        emit({ type: 'code-rejected', message: oauth.endsWith('.') ? oauth : `${oauth}.` });
        later(ENTER_DELAY_MS, () => write('\r'));
      } else {
        lastOauthError = oauth;
        emit({ type: 'oauth-error', reason: oauth });
      }
    }
    oauthVisible = oauth;

    const t = seen.token;
    if (t) {
      token = t;
      if (!tokenSent) {
        tokenSent = true;
        emit({ type: 'token-captured', fingerprint: fingerprint(normalizeSecret(t).value) });
      }
    }
    if (seen.validForMs !== undefined) expiresInMs = seen.validForMs;
  };

  const onData = (chunk: Buffer) => {
    const s = decoder.write(chunk);
    if (childPid === undefined && head.length < 8192) {
      head += s;
      const m = new RegExp(`${PID_MARK}(\\d+)[\\r\\n]`).exec(head);
      if (m) childPid = Number(m[1]);
    }
    screen.write(s);
    // Read the screen once the child has finished drawing: a frame split across reads would show
    // the prompt erased-then-redrawn and fake a new `awaiting-code`.
    if (scanTimer) clearTimeout(scanTimer);
    else burstStart = Date.now();
    const wait = Math.max(0, Math.min(SCAN_QUIET_MS, burstStart + SCAN_MAX_WAIT_MS - Date.now()));
    scanTimer = setTimeout(() => {
      scanTimer = undefined;
      if (!done) scan(false);
    }, wait);
  };

  // ---- talking to and stopping the child
  function write(s: string) {
    if (done || stopReason) return;
    if (!sub) {
      pending.push(s);
      return;
    }
    try {
      sub.stdin?.write(s);
    } catch {
      // the child is gone; its exit decides the result
    }
  }

  function signalAll(sig: NodeJS.Signals) {
    // `script` puts the child in a session of its own: signalling script's group does not reach it.
    // Signal the child's group first; script then exits with it. util-linux script answers SIGTERM
    // itself by waiting seconds before it SIGKILLs the child, so script gets SIGTERM only while the
    // child is not found yet, and SIGKILL with everyone else at the end of the grace period.
    const kids = childPid !== undefined ? [childPid] : scriptPid !== undefined ? childrenOf(scriptPid) : [];
    const live = kids.filter(isRunning);
    for (const pid of live) killGroup(pid, sig);
    if (scriptPid !== undefined && (sig === 'SIGKILL' || live.length === 0)) killGroup(scriptPid, sig);
  }

  function requestStop(reason: 'stopped' | 'timeout') {
    if (done || stopReason) return;
    stopReason = reason;
    if (!sub) return; // not spawned yet: the launcher sees stopReason
    signalAll('SIGTERM');
    later(o.killGraceMs, () => signalAll('SIGKILL'));
  }

  async function ensureChildGone() {
    if (childPid === undefined) return;
    const deadline = Date.now() + o.killGraceMs + 2000;
    let killed = false;
    while (isRunning(childPid) && Date.now() < deadline) {
      if (!killed && Date.now() > deadline - 2000) {
        killed = true;
        killGroup(childPid, 'SIGKILL');
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const failureFor = (exitCode: number | undefined): SetupTokenResult => {
    if (stopReason === 'timeout') {
      return {
        ok: false,
        failure: 'timeout',
        message: `claude setup-token did not finish within ${formatDuration(o.timeoutMs, { style: 'long' })}; it was stopped.`,
        ...(oauthVisible ? { oauthError: oauthVisible } : {}),
      };
    }
    if (stopReason === 'stopped') {
      const reason = oauthVisible ?? lastOauthError;
      if (reason) return { ok: false, failure: 'oauth_error', message: `Claude Code could not sign in: ${reason}.`, oauthError: reason };
      return { ok: false, failure: 'stopped', message: 'claude setup-token was stopped.' };
    }
    if (token) {
      const value = normalizeSecret(token).value;
      const shape = checkShape(value, 'token');
      if (shape.ok) return { ok: true, token: value, ...(expiresInMs !== undefined ? { expiresInMs } : {}) };
      return {
        ok: false,
        failure: 'no_token',
        message: `claude setup-token printed a token that is not usable (${shape.fingerprint}): ${shape.message}`,
        ...(exitCode !== undefined ? { exitCode } : {}),
      };
    }
    if (exitCode === 127) {
      return {
        ok: false,
        failure: 'not_found',
        message: `Claude Code CLI could not be run (${bin}). Install it with \`${INSTALL_HINT}\`, or paste a setup-token made on another machine.`,
        exitCode,
      };
    }
    const said = lastWords(screen.snapshot().lines);
    const words = said.length ? { lastLines: said } : {};
    if (exitCode !== undefined && exitCode !== 0) {
      return { ok: false, failure: 'exit_code', message: `claude setup-token exited with code ${exitCode} without printing a token.`, exitCode, ...words };
    }
    return {
      ok: false,
      failure: 'no_token',
      message: 'claude setup-token ended without printing a token.',
      ...(exitCode !== undefined ? { exitCode } : {}),
      ...words,
    };
  };

  later(o.timeoutMs, () => requestStop('timeout'));

  void (async () => {
    let execa: typeof import('execa').execa;
    try {
      ({ execa } = await import('execa'));
    } catch {
      finish({ ok: false, failure: 'spawn_failed', message: 'Could not load execa to run claude setup-token.' });
      return;
    }
    if (stopReason) {
      finish(failureFor(undefined));
      return;
    }
    const env = o.env();
    // Any CI variable makes Ink draw only its last frame; the pty is ours, so the child is interactive.
    for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
    if (!env.TERM || env.TERM === 'dumb') env.TERM = 'xterm-256color';
    const userShell = env.SHELL;
    // util-linux script runs the command with $SHELL -c: make that a POSIX shell for `$$` and `2>`.
    env.SHELL = '/bin/sh';
    const inner =
      `stty cols ${PTY_COLS} rows ${PTY_ROWS} 2>/dev/null; echo ${PID_MARK}$$; ` +
      (userShell ? `SHELL=${shellQuote(userShell)}; export SHELL; ` : 'unset SHELL; ') +
      `exec ${shellQuote(bin)} setup-token`;
    const bsd = o.platform === 'darwin' || o.platform === 'freebsd' || o.platform === 'openbsd' || o.platform === 'netbsd';
    const args = bsd ? ['-q', '/dev/null', '/bin/sh', '-c', inner] : ['-qfec', inner, '/dev/null'];
    try {
      sub = execa('script', args, {
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
        buffer: false,
        reject: false,
        detached: true,
        cleanup: false,
        env,
        extendEnv: false,
      });
    } catch {
      finish({ ok: false, failure: 'spawn_failed', message: 'Could not start `script` to give claude setup-token a terminal.' });
      return;
    }
    scriptPid = sub.pid;
    sub.stdout?.on('data', onData);
    sub.stderr?.resume(); // script's own notices ("Session terminated…"): not shown
    sub.stdin?.on('error', () => {}); // EPIPE after the child died: its exit decides the result
    if (scriptPid !== undefined) {
      process.on('exit', exitHook);
      emit({ type: 'started' });
      for (const s of pending.splice(0)) write(s);
    }
    const r = await sub;
    if (scanTimer) clearTimeout(scanTimer);
    const rest = decoder.end();
    if (rest) screen.write(rest);
    scan(true);
    if (r.exitCode === undefined && !r.signal) {
      finish({
        ok: false,
        failure: 'spawn_failed',
        message: `Could not start \`script\` to give claude setup-token a terminal${r.code ? ` (${r.code})` : ''}. On Linux it comes with util-linux.`,
      });
      return;
    }
    // script is gone; make sure claude is too (it has its own session under script).
    await ensureChildGone();
    finish(failureFor(r.exitCode));
  })();

  return session;
}
