// A live lock holder keeps its lock (issue 9 §2). A child running the real state adapter stops
// itself (SIGSTOP) or dies (SIGKILL) while it holds the locks, right before it replaces a file;
// the built CLI is the second writer. Checked:
// - a holder stopped for longer than the old 5 s staleness keeps its lock: the waiter names it
//   ("another clawdia, pid N, since …") and waits; after SIGCONT both credentials are there;
// - a waiter gives up after CLAWDIA_LOCK_WAIT_MS with exit 1 naming the holder, nothing written;
// - a dead holder's lock is taken over at once, also when its mtime is in the future (the clock
//   stepped back); a live holder's future-mtime lock is waited on, not taken; a lock not
//   refreshed for over a minute is taken, another host's fresh one is waited on;
// - a holder whose lock was taken over stops without writing;
// - a failed writer's rollback never undoes another writer's change.
// The tests run concurrently (each its own state dir and holder): most of their time is waiting
// (the 6 s a stopped holder keeps its lock, the 1.5 s lock waits), and the waits overlap.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, configPath, makeSecret, snapshot, storePath, writeJson } from '../support/cli.js';
import { bundleChild, checkInvariants, errorShape, freshState, leftovers, readState, secrets, spawnCli, tmpDir } from './helpers.js';

let child: string;
beforeAll(async () => {
  const dir = tmpDir('clawdia-lock-child-');
  child = path.join(dir, 'child.mjs');
  // argv: stateDir profileId secret mode(stop|kill|stop-then-enospc) atWrite
  await bundleChild(
    child,
    `
import fs from 'node:fs';
import { createStateStore } from './src/adapters/state.ts';
import { applyCredential } from './src/core/save.ts';
const [stateDir, profileId, secret, mode, at] = process.argv.slice(2);
let n = 0;
const state = createStateStore(stateDir, {
  beforeWrite: () => {
    if (++n !== Number(at)) return;
    fs.writeSync(1, 'held\\n');
    if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
    process.kill(process.pid, 'SIGSTOP');
    if (mode === 'stop-then-enospc') throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
  },
});
try {
  await state.update(['main'], (d) =>
    void applyCredential(d.config, d.stores.main, { agentId: 'main', profileId, credential: { type: 'api_key', provider: 'anthropic', key: secret }, validation: null }),
  );
  fs.writeSync(1, 'saved\\n');
} catch (e) {
  fs.writeSync(2, 'error: ' + e.message + '\\n');
  process.exitCode = 1;
}
`,
  );
});

interface Holder {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  done: Promise<number | null>;
}

function startHolder(state: string, profileId: string, secret: string, mode: 'stop' | 'kill' | 'stop-then-enospc', at = 1): Holder {
  const proc = spawn(process.execPath, [child, state, profileId, secret, mode, String(at)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const done = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, out: () => out, err: () => err, done };
}

async function until(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The process is stopped (state T in /proc/<pid>/stat). */
const stopped = (pid: number) => {
  try {
    return /^\d+ \(.*\) T /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

function seed(): string {
  const state = freshState();
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }] },
    auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
  });
  writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') } } });
  return state;
}

const lockDir = (state: string) => configPath(state) + '.lock';
const holderPid = (state: string): number | null => {
  try {
    return JSON.parse(fs.readFileSync(path.join(lockDir(state), 'holder.json'), 'utf8')).pid;
  } catch {
    return null;
  }
};

const paste = (state: string, id: string, secret: string, extra: Record<string, string> = {}) =>
  spawnCli(['models', 'auth', 'paste-api-key', '--skip-validation', '--profile-id', id], baseEnv(state, extra), secret);

describe.concurrent('a holder stopped inside its lock (SIGSTOP)', () => {
  it('keeps it for longer than the old 5 s staleness: the second writer names it and waits; after SIGCONT both credentials are saved', async () => {
    const state = seed();
    const before = secrets(readState(state));
    const a = makeSecret('api');
    const b = makeSecret('api');
    const holder = startHolder(state, 'anthropic:a', a, 'stop');
    try {
      await until('the holder to stop inside the lock', () => stopped(holder.proc.pid!));
      expect(holderPid(state)).toBe(holder.proc.pid);
      const waiter = paste(state, 'anthropic:b', b, { CLAWDIA_LOCK_WAIT_MS: '120000' });
      let stderr = '';
      waiter.child.stderr!.on('data', (d) => (stderr += d));
      await until('the waiter to name the holder', () => stderr.includes(`another clawdia, pid ${holder.proc.pid}, since `));
      expect(stderr).toMatch(/since \d\d:\d\d:\d\d/);
      // The lock has now gone unrefreshed for longer than the 5 s after which it used to be taken.
      await until('the lock to be 6 s unrefreshed', () => Date.now() - fs.statSync(lockDir(state)).mtimeMs > 6000);
      expect(waiter.child.exitCode).toBe(null);
      expect(holderPid(state)).toBe(holder.proc.pid);
      holder.proc.kill('SIGCONT');
      expect(await holder.done, holder.err()).toBe(0);
      const w = await waiter.done;
      expect(w.code, w.stderr).toBe(0);
      const view = readState(state);
      expect(secrets(view)).toEqual({ ...before, 'anthropic:a': a, 'anthropic:b': b });
      expect(checkInvariants(view)).toEqual([]);
      expect(leftovers(state)).toEqual([]);
    } finally {
      holder.proc.kill('SIGKILL');
    }
  }, 40_000);

  it('a waiter gives up after CLAWDIA_LOCK_WAIT_MS: exit 1 naming the holder, nothing written; the holder then finishes', async () => {
    const state = seed();
    const a = makeSecret('api');
    const holder = startHolder(state, 'anthropic:a', a, 'stop');
    try {
      await until('the holder to stop inside the lock', () => stopped(holder.proc.pid!));
      const before = snapshot(state);
      const r = await paste(state, 'anthropic:b', makeSecret('api'), { CLAWDIA_LOCK_WAIT_MS: '1500' }).done;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`pid ${holder.proc.pid}`);
      expect(r.stderr).toMatch(/nothing was written/);
      expect(errorShape(r.stderr)).toEqual([]);
      expect(snapshot(state)).toEqual(before);
      holder.proc.kill('SIGCONT');
      expect(await holder.done, holder.err()).toBe(0);
      expect(secrets(readState(state))['anthropic:a']).toBe(a);
      expect(leftovers(state)).toEqual([]);
    } finally {
      holder.proc.kill('SIGKILL');
    }
  }, 30_000);

  it('a holder whose lock was taken over while it was stopped stops without writing', async () => {
    const state = seed();
    const holder = startHolder(state, 'anthropic:a', makeSecret('api'), 'stop');
    try {
      await until('the holder to stop inside the lock', () => stopped(holder.proc.pid!));
      // Another process takes the lock over (as a waiter may after 60 s without a refresh).
      fs.rmSync(lockDir(state), { recursive: true });
      fs.mkdirSync(lockDir(state));
      fs.writeFileSync(path.join(lockDir(state), 'holder.json'), JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now(), token: 'other' }));
      const noTemps = (snap: Record<string, string>) =>
        Object.fromEntries(Object.entries(snap).filter(([f]) => !f.includes('.tmp-') && !f.includes('auth-profiles.json.lock')));
      const before = noTemps(snapshot(state));
      holder.proc.kill('SIGCONT');
      expect(await holder.done).toBe(1);
      expect(holder.err()).toMatch(/Lost the lock on .*clawdia\.json/);
      expect(holder.out()).not.toContain('saved');
      // Its files are untouched, its temp files gone, the new holder's lock left alone.
      expect(noTemps(snapshot(state))).toEqual(before);
      expect(Object.keys(snapshot(state)).filter((f) => f.includes('.tmp-'))).toEqual([]);
      expect(JSON.parse(fs.readFileSync(path.join(lockDir(state), 'holder.json'), 'utf8')).token).toBe('other');
    } finally {
      holder.proc.kill('SIGKILL');
    }
  }, 30_000);
});

describe.concurrent('a dead holder', () => {
  for (const future of [false, true]) {
    it(`killed inside its lock${future ? ', lock mtime an hour in the future (clock stepped back)' : ''}: taken over at once`, async () => {
      const state = seed();
      const holder = startHolder(state, 'anthropic:a', makeSecret('api'), 'kill');
      await holder.done;
      expect(holder.out()).toContain('held');
      expect(fs.existsSync(lockDir(state))).toBe(true);
      const t = new Date(Date.now() + (future ? 3_600_000 : 0));
      fs.utimesSync(lockDir(state), t, t);
      const b = makeSecret('api');
      const r = await paste(state, 'anthropic:b', b, { CLAWDIA_LOCK_WAIT_MS: '10000' }).done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/waiting for/);
      const view = readState(state);
      expect(secrets(view)['anthropic:b']).toBe(b);
      expect(checkInvariants(view)).toEqual([]);
      expect(leftovers(state)).toEqual([]);
    }, 30_000);
  }
});

describe.concurrent('a live holder whose lock mtime is in the future', () => {
  it('is judged by its pid: waited on (and named), not taken', async () => {
    const state = seed();
    fs.mkdirSync(lockDir(state), { mode: 0o700 });
    // The test runner itself is the live holder.
    fs.writeFileSync(path.join(lockDir(state), 'holder.json'), JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now(), token: 'runner' }));
    const t = new Date(Date.now() + 3_600_000);
    fs.utimesSync(lockDir(state), t, t);
    const before = snapshot(state);
    const r = await paste(state, 'anthropic:b', makeSecret('api'), { CLAWDIA_LOCK_WAIT_MS: '1500' }).done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`pid ${process.pid}`);
    expect(errorShape(r.stderr)).toEqual([]);
    expect(snapshot(state)).toEqual(before);
    fs.rmSync(lockDir(state), { recursive: true });
  }, 30_000);
});

describe.concurrent('a lock not refreshed for over a minute', () => {
  it('is taken over even though its pid is alive (a stuck or reused pid); one from another host and fresh is waited on', async () => {
    const state = seed();
    const makeLock = (holder: object, ageMs: number) => {
      fs.mkdirSync(lockDir(state), { mode: 0o700 });
      fs.writeFileSync(path.join(lockDir(state), 'holder.json'), JSON.stringify(holder));
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(lockDir(state), t, t);
    };
    makeLock({ pid: process.pid, host: os.hostname(), since: Date.now() - 120_000, token: 'stuck' }, 120_000);
    const b = makeSecret('api');
    const r = await paste(state, 'anthropic:b', b, { CLAWDIA_LOCK_WAIT_MS: '10000' }).done;
    expect(r.code, r.stderr).toBe(0);
    expect(secrets(readState(state))['anthropic:b']).toBe(b);
    expect(leftovers(state)).toEqual([]);

    makeLock({ pid: 1, host: 'another-host.example', since: Date.now(), token: 'remote' }, 0);
    const before = snapshot(state);
    const w = await paste(state, 'anthropic:c', makeSecret('api'), { CLAWDIA_LOCK_WAIT_MS: '1500' }).done;
    expect(w.code, w.stderr).toBe(1);
    expect(w.stderr).toContain('pid 1 on another-host.example');
    expect(snapshot(state)).toEqual(before);
    fs.rmSync(lockDir(state), { recursive: true });
  }, 30_000);
});

describe.concurrent('rollback', () => {
  it('a writer that fails after its config landed does not undo another writer’s config change', async () => {
    const state = seed();
    // Write 1 is the config, write 2 the store: stop before the store, then fail it (ENOSPC).
    const holder = startHolder(state, 'anthropic:a', makeSecret('api'), 'stop-then-enospc', 2);
    try {
      await until('the holder to stop between its two writes', () => stopped(holder.proc.pid!));
      const cfg = JSON.parse(fs.readFileSync(configPath(state), 'utf8'));
      expect(Object.keys(cfg.auth.profiles)).toContain('anthropic:a');
      // Someone else's change to the config meanwhile (a hand edit, or a writer that took a lock).
      cfg.auth.profiles['anthropic:other'] = { provider: 'anthropic', mode: 'api_key' };
      writeJson(configPath(state), JSON.stringify(cfg, null, 2) + '\n');
      holder.proc.kill('SIGCONT');
      expect(await holder.done).toBe(1);
      expect(holder.err()).toMatch(/no space left on device/);
      const after = JSON.parse(fs.readFileSync(configPath(state), 'utf8'));
      expect(Object.keys(after.auth.profiles)).toContain('anthropic:other');
      expect(leftovers(state)).toEqual([]);
    } finally {
      holder.proc.kill('SIGKILL');
    }
  }, 30_000);

  it('a writer that fails after its config landed puts its own change back', async () => {
    const state = seed();
    const before = snapshot(state);
    const holder = startHolder(state, 'anthropic:a', makeSecret('api'), 'stop-then-enospc', 2);
    try {
      await until('the holder to stop between its two writes', () => stopped(holder.proc.pid!));
      holder.proc.kill('SIGCONT');
      expect(await holder.done).toBe(1);
      expect(snapshot(state)).toEqual(before);
      expect(leftovers(state)).toEqual([]);
    } finally {
      holder.proc.kill('SIGKILL');
    }
  }, 30_000);
});
