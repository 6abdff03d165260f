// Crash safety (issue 5 §1, SPEC §2 "Every write…"): SIGKILL writing commands at random moments —
// anywhere in their run, and right after they took the config lock (the write window) — and check
// after each kill that both files still parse, hold every profile they held (old or new content,
// never torn), declare every stored profile, and that the next write succeeds, taking over the
// stale lock and sweeping temp files within a few seconds.
//
// Lanes (each its own state dir) run a few at a time: a dead holder's lock is taken over at once
// (judged by its pid, lock.test.ts), so there is no staleness to wait out, and on two CPUs more
// lanes side by side only make start-up times erratic — kills land less often (a run that finishes
// before its kill is one more spawn) and the next write's time tells less.
// Replay a failing run with SAFETY_SEED=<seed printed below>.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, makeSecret, storePath, writeJson } from '../support/cli.js';
import { checkInvariants, freshState, leftovers, prng, readState, ROOT, secrets, SEED, spawnCli } from './helpers.js';

const LANES = 26;
const KILLS_PER_LANE = 2; // 52 kills in all
const LANES_AT_ONCE = 4;
const HAS_ONBOARD = ['onboard.ts', 'onboard.tsx'].some((f) => fs.existsSync(path.join(ROOT, 'src', 'commands', f)));
/** "A few seconds": a dead holder's lock is taken over at once (by its pid); the rest is slack for a loaded 2-core machine. */
// Waiting on a dead holder's lock would take the whole 30 s lock wait; a loaded host's start-up is seconds.
const NEXT_WRITE_LIMIT_MS = 25_000;

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

type Op = 'paste-token' | 'paste-api-key' | 'clear-cooldown' | 'order-set' | 'remove' | 'onboard';

interface KillRecord {
  lane: number;
  op: Op;
  mode: 'anytime' | 'in-lock';
  afterMs: number;
  landed: boolean;
  lockLeft: boolean;
  tempLeft: boolean;
  nextWriteMs: number;
}

function waitForLock(stateDir: string, timeoutMs: number): { promise: Promise<boolean>; cancel: () => void } {
  let watcher: fs.FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<boolean>((resolve) => {
    watcher = fs.watch(stateDir, (_e, f) => {
      if (f === 'clawdia.json.lock') resolve(true);
    });
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return {
    promise,
    cancel: () => {
      watcher?.close();
      clearTimeout(timer);
    },
  };
}

/** How long the next writer holds the config lock (appear → disappear), or null if not seen. */
function watchLockHold(stateDir: string): { stop: () => number | null } {
  let appeared: number | null = null;
  let held: number | null = null;
  const w = fs.watch(stateDir, (_e, f) => {
    if (f !== 'clawdia.json.lock') return;
    const exists = fs.existsSync(path.join(stateDir, f));
    if (exists && appeared === null) appeared = performance.now();
    else if (!exists && appeared !== null) held = performance.now() - appeared;
  });
  return {
    stop: () => {
      w.close();
      return held;
    },
  };
}

async function lane(n: number): Promise<KillRecord[]> {
  const rnd = prng(SEED * 1000 + n);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const state = freshState();
  fs.mkdirSync(state, { mode: 0o700 });
  const agent = n % 4 === 0 ? `bot-${n}` : 'main';
  const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
  const agentArgs = agent === 'main' ? [] : ['--agent', agent];
  let fresh = 0;
  const records: KillRecord[] = [];

  // Seed: two profiles, as clawdia writes them.
  writeJson(configPath(state), {
    agents: { list: [{ id: agent, default: true }] },
    auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' }, 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' } } },
  });
  writeJson(storePath(state, agent), {
    version: 1,
    profiles: {
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
      'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: makeSecret('oat'), expires: Date.now() + 365 * 86400_000 },
    },
    order: { anthropic: ['anthropic:claude-cli', 'anthropic:default'] },
  });
  // Kill times adapt to how long this lane's un-killed writes take on this (loaded) machine.
  let runMs = 150;
  let holdMs = 30;

  let attempts = 0;
  const misses: string[] = [];
  while (records.length < KILLS_PER_LANE) {
    if (++attempts > KILLS_PER_LANE * 25) {
      throw new Error(`lane ${n} seed ${SEED}: could not land ${KILLS_PER_LANE} kills in ${attempts - 1} attempts; missed: ${misses.join(', ')}`);
    }
    const ops: Op[] = ['paste-token', 'paste-api-key', 'clear-cooldown', 'order-set', 'remove'];
    if (HAS_ONBOARD) ops.push('onboard');
    const op = pick(ops);
    // Prepare what the op needs, written by the test (nothing else runs in this lane now).
    const pre = readState(state, agent);
    const ids = Object.keys(pre.store.profiles);
    if (op === 'clear-cooldown') {
      const id = pick(ids);
      pre.store.usageStats = { ...(pre.store.usageStats ?? {}), [id]: { errorCount: 3, cooldownUntil: Date.now() + 3_600_000 } };
      writeJson(storePath(state, agent), pre.store);
    }
    if (rnd() < 0.2 && pre.config.auth.profiles['anthropic:claude-cli']) {
      // A config that needs the mode migration: the write also makes clawdia.json.bak.
      pre.config.auth.profiles['anthropic:claude-cli'].mode = 'token';
      writeJson(configPath(state), pre.config);
    }
    const before = readState(state, agent);
    const beforeSecrets = secrets(before);

    let args: string[];
    let stdin = '';
    let target: string | null = null;
    let newSecret: string | null = null;
    switch (op) {
      case 'paste-token':
      case 'paste-api-key':
      case 'onboard': {
        const kind = op === 'paste-token' ? 'oat' : op === 'paste-api-key' ? 'api' : pick(['oat', 'api'] as const);
        const same = ids.filter((id) => (before.store.profiles[id].type === 'api_key') === (kind === 'api'));
        target = same.length && rnd() < 0.4 ? pick(same) : `anthropic:k${n}-${fresh++}`;
        newSecret = stdin = makeSecret(kind);
        const validate = rnd() < 0.25;
        if (validate) api.setBehavior(newSecret, 'valid', { delayMs: Math.floor(rnd() * 40) });
        args =
          op === 'onboard'
            ? ['onboard', '--non-interactive', '--auth-choice', kind === 'api' ? 'api-key' : 'paste-token', '--token-stdin', '--profile-id', target]
            : ['models', 'auth', op, '--profile-id', target];
        if (!validate) args.push('--skip-validation');
        break;
      }
      case 'clear-cooldown':
        args = ['models', 'auth', 'clear-cooldown'];
        break;
      case 'order-set': {
        const perm = [...ids].sort(() => rnd() - 0.5);
        args = ['models', 'auth', 'order', 'set', '--provider', 'anthropic', ...perm];
        break;
      }
      case 'remove':
        if (ids.length < 2) {
          misses.push('remove with one profile left');
          continue;
        }
        target = pick(ids);
        args = ['models', 'auth', 'remove', target];
        break;
    }
    args.push(...agentArgs);

    const mode = rnd() < 0.6 ? 'in-lock' : 'anytime';
    const lock = mode === 'in-lock' ? waitForLock(state, 10_000) : null;
    const t0 = performance.now();
    const run = spawnCli(args, env, stdin);
    if (lock) {
      const seen = await Promise.race([lock.promise, run.done.then(() => false)]);
      lock.cancel();
      if (seen) await new Promise((r) => setTimeout(r, Math.floor(holdMs * (0.2 + rnd()))));
    } else {
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * runMs * 1.1)));
    }
    const afterMs = performance.now() - t0;
    const killed = run.child.exitCode === null && run.child.signalCode === null && run.child.kill('SIGKILL');
    const res = await run.done;
    if (!killed || res.signal !== 'SIGKILL') {
      // It finished first: not a kill. It must still have succeeded; aim earlier next time.
      expect(res.code, `${op}: ${res.stderr}`).toBe(0);
      misses.push(`${op} ${mode} done in ${Math.round(res.ms)} ms before the kill at ${Math.round(afterMs)} ms`);
      if (mode === 'in-lock') holdMs = Math.max(5, holdMs * 0.85);
      else runMs = res.ms * 0.9;
      continue;
    }

    // --- after the kill: both files parse, nothing lost, nothing undeclared
    const where = `lane ${n} (${agent}) seed ${SEED}: SIGKILL of \`${args.join(' ')}\` at ${Math.round(afterMs)} ms (${mode})`;
    const after = readState(state, agent); // throws if torn
    expect(after.config, where).not.toBeNull();
    expect(after.store, where).not.toBeNull();
    const afterSecrets = secrets(after);
    for (const [id, s] of Object.entries(beforeSecrets)) {
      if (op === 'remove' && id === target) continue;
      if (id === target && afterSecrets[id] === newSecret) continue;
      expect(afterSecrets[id], `${where}: ${id} lost or changed`).toBe(s);
    }
    for (const [id, s] of Object.entries(afterSecrets)) {
      if (id in beforeSecrets) continue;
      expect(id, `${where}: unexpected new profile`).toBe(target);
      expect(s, `${where}: new profile holds a partial secret`).toBe(newSecret);
    }
    expect(checkInvariants(after, agent), where).toEqual([]);
    const left = leftovers(state);
    const landed = after.configText !== before.configText || after.storeText !== before.storeText;

    // --- the next write succeeds within a few seconds, taking over any stale lock
    const nextId = `anthropic:v${n}-${fresh++}`;
    const nextKey = makeSecret('api');
    const hold = watchLockHold(state);
    const next = await spawnCli(['models', 'auth', 'paste-api-key', '--skip-validation', '--profile-id', nextId, ...agentArgs], env, nextKey).done;
    const held = hold.stop();
    if (held !== null && next.ms < 3000) {
      holdMs = held;
      runMs = next.ms;
    }
    expect(next.code, `${where}; next write: ${next.stderr}`).toBe(0);
    expect(next.ms, `${where}; next write took ${Math.round(next.ms)} ms`).toBeLessThan(NEXT_WRITE_LIMIT_MS);
    const final = readState(state, agent);
    expect(secrets(final), where).toEqual({ ...afterSecrets, [nextId]: nextKey });
    expect(checkInvariants(final, agent), where).toEqual([]);
    expect(leftovers(state), `${where}: left behind after the next write`).toEqual([]);

    records.push({
      lane: n,
      op,
      mode,
      afterMs: Math.round(afterMs),
      landed,
      lockLeft: left.some((p) => p.endsWith('.lock')),
      tempLeft: left.some((p) => p.includes('.tmp-')),
      nextWriteMs: Math.round(next.ms),
    });
  }
  missed += misses.length;
  return records;
}
let missed = 0;

describe('crash safety: SIGKILL at random moments', () => {
  it(`${LANES * KILLS_PER_LANE} kills of writing commands lose nothing, tear nothing, block nothing`, async () => {
    const all: KillRecord[] = [];
    let nextLane = 0;
    await Promise.all(
      Array.from({ length: LANES_AT_ONCE }, async () => {
        while (nextLane < LANES) all.push(...(await lane(nextLane++)));
      }),
    );
    const count = (f: (r: KillRecord) => boolean) => all.filter(f).length;
    const byOp = Object.fromEntries(
      ['paste-token', 'paste-api-key', 'clear-cooldown', 'order-set', 'remove', 'onboard'].map((op) => [op, count((r) => r.op === op)]),
    );
    console.log(
      `crash: seed ${SEED}, ${all.length} kills ${JSON.stringify(byOp)}; landed ${count((r) => r.landed)}, ` +
        `lock left ${count((r) => r.lockLeft)}, temp left ${count((r) => r.tempLeft)}, ` +
        `slowest next write ${Math.max(...all.map((r) => r.nextWriteMs))} ms, ${missed} runs finished before their kill${HAS_ONBOARD ? '' : ' (onboard not built yet: not in the mix)'}`,
    );
    expect(all.length).toBeGreaterThanOrEqual(50);
    // The kills must actually hit the write window, or this test proves little.
    expect(count((r) => r.lockLeft)).toBeGreaterThanOrEqual(5);
  }, 150_000);
});
