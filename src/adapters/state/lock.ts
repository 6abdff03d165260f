// The inter-process lock around every write (issue 9 §2). A lock is the directory `<file>.lock`
// (the place proper-lockfile used) holding `holder.json`: pid, host, the time it was taken and a
// random token. It is made as `<file>.lock.tmp-<pid>-<token>/holder.json` and renamed into place
// (atomic; fails while a lock with a holder is there), so a lock never lacks its holder record. The holder refreshes the directory's mtime every few
// seconds while it works and checks, right before each file it replaces, that the lock is still
// its own; if not, it stops and writes nothing more.
//
// A waiting writer may take a lock over only when
// - its holder is dead: same host, and kill(pid, 0) says no such process; or
// - it was not refreshed for STALE_MS (60 s) by the wall clock, and its mtime is not in the future
//   (a clock stepped back is judged by the pid alone, never waited out); or
// - it has no holder.json (an older clawdia's lock, refreshed every second while it lives) and its
//   mtime did not change for 3 s while we watched.
// A takeover runs under a second, short-lived lock (`<file>.takeover.lock`), so two waiters can
// never both remove a lock and one of them remove the other's fresh one.
// Otherwise the waiter says who holds the lock (once, after a second) and gives up after
// $CLAWDIA_LOCK_WAIT_MS (default 30 s) with exit 1, naming the holder.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClawdiaError } from '../../core/errors.js';
import { errnoCode, errnoHint, errnoWords } from './errno.js';

export const STALE_MS = 60_000;
const UPDATE_MS = 5_000;
const NO_INFO_STALE_MS = 3_000;
const DEFAULT_WAIT_MS = 30_000;
const SAY_WAITING_AFTER_MS = 1_000;
const TAKEOVER_STALE_MS = 5_000;

export interface Holder {
  pid: number;
  host: string;
  /** Epoch ms when the lock was taken. */
  since: number;
  token: string;
}

export interface Lock {
  readonly file: string;
  readonly dir: string;
  /** Throws a ClawdiaError if the lock is no longer ours (taken over, removed). */
  assertHeld(): void;
  release(): void;
}

export interface LockOptions {
  /** Bound on the wait for a live holder; default $CLAWDIA_LOCK_WAIT_MS, else 30 s. */
  waitMs?: number;
  /** Told once, after a second of waiting, who holds the lock. */
  onWait?: (message: string) => void;
}

export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.CLAWDIA_LOCK_WAIT_MS);
  return Number.isFinite(v) && v >= 0 ? v : DEFAULT_WAIT_MS;
}

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

export function describeHolder(h: Holder | null): string {
  if (!h) return 'another clawdia';
  const where = h.host === os.hostname() ? '' : ` on ${h.host}`;
  return `another clawdia, pid ${h.pid}${where}, since ${clock(h.since)}`;
}

function readHolder(dir: string): Holder | null {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(dir, 'holder.json'), 'utf8')) as Partial<Holder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string' || typeof h.since !== 'number' || typeof h.token !== 'string') return null;
    return h as Holder;
  } catch {
    return null;
  }
}

/** true: running; false: gone; null: cannot tell (another host). */
function alive(h: Holder): boolean | null {
  if (h.host !== os.hostname()) return null;
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function lockError(e: unknown, file: string): ClawdiaError {
  const code = errnoCode(e);
  return new ClawdiaError(`Could not lock ${file}: ${errnoWords(code)}; nothing was written.`, { hint: errnoHint(code, file) });
}

type Verdict = { take: true; why: string } | { take: false };

/** What a waiter may do with the lock it found, judged from its holder and mtime. */
function judge(dir: string, seen: Map<string, number>): Verdict {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return { take: false }; // gone: the next mkdir decides
  }
  const holder = readHolder(dir);
  const mtime = st.mtimeMs;
  const now = Date.now();
  if (holder) {
    const live = alive(holder);
    if (live === false) return { take: true, why: 'holder is gone' };
    if (mtime <= now && now - mtime > STALE_MS) return { take: true, why: 'not refreshed for a minute' };
    return { take: false };
  }
  // No holder.json: judge by whether its mtime moves while we watch (our own monotonic clock).
  const key = `${st.ino}:${mtime}`;
  const first = seen.get(key);
  if (first === undefined) {
    seen.clear();
    seen.set(key, performance.now());
    if (mtime <= now && now - mtime > NO_INFO_STALE_MS) return { take: true, why: 'not refreshed' };
    return { take: false };
  }
  return performance.now() - first > NO_INFO_STALE_MS ? { take: true, why: 'not refreshed' } : { take: false };
}

/** Remove `dir` if it is still the lock we judged takeable, under the takeover lock. */
function takeOver(dir: string, judged: Holder | null, seen: Map<string, number>): void {
  const guard = dir.replace(/\.lock$/, '') + '.takeover.lock';
  try {
    fs.mkdirSync(guard, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return;
    // A waiter killed inside its takeover (microseconds) leaves the guard: clear it when old.
    try {
      const age = Math.abs(Date.now() - fs.statSync(guard).mtimeMs);
      if (age > TAKEOVER_STALE_MS) fs.rmdirSync(guard);
    } catch {
      // gone already
    }
    return;
  }
  try {
    const now = readHolder(dir);
    if ((now?.token ?? null) !== (judged?.token ?? null)) return; // changed hands meanwhile
    if (!judge(dir, seen).take) return;
    try {
      fs.rmSync(path.join(dir, 'holder.json'), { force: true });
      fs.rmdirSync(dir);
    } catch {
      // someone else's files in it, or gone: the next mkdir decides
    }
  } finally {
    try {
      fs.rmdirSync(guard);
    } catch {
      // removed as stale by another waiter
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A staged lock: `<file>.lock.tmp-<pid>-<hex>/holder.json`, renamed to `<file>.lock` to take it. */
function stage(file: string, dir: string): { path: string; me: Holder } {
  const me: Holder = { pid: process.pid, host: os.hostname(), since: Date.now(), token: randomBytes(8).toString('hex') };
  const staged = `${dir}.tmp-${process.pid}-${me.token}`;
  try {
    fs.mkdirSync(staged, { mode: 0o700 });
    fs.writeFileSync(path.join(staged, 'holder.json'), JSON.stringify(me) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    unstage(staged);
    throw lockError(e, file);
  }
  return { path: staged, me };
}

function unstage(staged: string): void {
  try {
    fs.rmSync(path.join(staged, 'holder.json'), { force: true });
    fs.rmdirSync(staged);
  } catch {
    // gone already
  }
}

/** Staged locks left by a writer killed while it tried to take the lock (its pid is gone). */
function sweepStaged(dir: string): void {
  const parent = path.dirname(dir);
  const prefix = path.basename(dir) + '.tmp-';
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && alive({ pid, host: os.hostname(), since: 0, token: '' }) === false) unstage(path.join(parent, n));
  }
}

export async function acquireLock(file: string, opts: LockOptions = {}): Promise<Lock> {
  const dir = `${file}.lock`;
  const waitMs = opts.waitMs ?? lockWaitMs();
  const started = performance.now();
  const seen = new Map<string, number>();
  let told = false;
  let delay = 15;
  sweepStaged(dir);
  for (;;) {
    // The holder record goes in with the lock, in one rename: a lock of ours never lacks it, so a
    // writer killed at any moment leaves a lock judged by its (dead) pid.
    // (rename would also replace an empty directory: an older clawdia's live lock is one, so the
    // rename is tried only when nothing is there.)
    if (!fs.existsSync(dir)) {
      const staged = stage(file, dir);
      try {
        fs.renameSync(staged.path, dir);
        return hold(file, dir, staged.me);
      } catch (e) {
        unstage(staged.path);
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'ENOTDIR') throw lockError(e, file);
      }
    }
    const holder = readHolder(dir);
    const verdict = judge(dir, seen);
    if (verdict.take) {
      takeOver(dir, holder, seen);
      continue;
    }
    const waited = performance.now() - started;
    if (!told && waited >= SAY_WAITING_AFTER_MS && holder) {
      told = true;
      opts.onWait?.(`clawdia: waiting for ${describeHolder(holder)}, which is writing ${file}.`);
    }
    if (waited >= waitMs) {
      const who = describeHolder(holder);
      throw new ClawdiaError(`${who[0]!.toUpperCase()}${who.slice(1)} is writing ${file}; gave up after ${Math.round(waitMs / 1000)} s, nothing was written.`, {
        hint: holder
          ? `Let it finish, then run the command again. If pid ${holder.pid} is not a clawdia (ps -p ${holder.pid}), remove ${dir} first.`
          : `Let it finish, then run the command again. If no clawdia is running, remove ${dir} first.`,
      });
    }
    await sleep(Math.min(delay * (1 + Math.random()), Math.max(1, waitMs - waited)));
    delay = Math.min(250, delay * 1.3);
  }
}

function hold(file: string, dir: string, me: Holder): Lock {
  // Taken now; \`since\` in the record is when this attempt was staged (milliseconds earlier).
  const t = new Date();
  try {
    fs.utimesSync(dir, t, t);
  } catch {
    // the refresh below retries
  }
  let lost: string | null = null;
  let released = false;
  let lastRefresh = performance.now();
  const refresh = () => {
    if (released || lost) return;
    if (readHolder(dir)?.token !== me.token) {
      lost = 'another process took it over';
      return;
    }
    try {
      const t = new Date();
      fs.utimesSync(dir, t, t);
      lastRefresh = performance.now();
    } catch (e) {
      lost = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it was removed' : `it could not be refreshed (${(e as NodeJS.ErrnoException).code})`;
    }
  };
  const timer = setInterval(refresh, UPDATE_MS);
  timer.unref();
  return {
    file,
    dir,
    assertHeld() {
      // A pause longer than the refresh interval (Ctrl-Z, a slow disk): check and refresh now.
      if (performance.now() - lastRefresh > UPDATE_MS) refresh();
      else if (!lost && readHolder(dir)?.token !== me.token) lost = 'another process took it over';
      if (lost) {
        throw new ClawdiaError(`Lost the lock on ${file} while writing (${lost}); stopped before writing more.`, {
          hint: 'Run `clawdia models status` to see what was saved, then run the command again.',
        });
      }
    },
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (readHolder(dir)?.token !== me.token) return; // not ours any more: leave it alone
      try {
        fs.rmSync(path.join(dir, 'holder.json'), { force: true });
        fs.rmdirSync(dir);
      } catch {
        // already gone
      }
    },
  };
}
