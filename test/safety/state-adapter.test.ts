// The state adapter under failure, deterministically (issue 5 §1, §4, §5):
// - a crash at every boundary between two file writes (a child running the real adapter SIGKILLs
//   itself from `hooks.beforeWrite`): both files parse, nothing is lost, every stored profile stays
//   declared (SPEC §9: config first; a removal must not leave an undeclared secret either);
// - a full disk (ENOSPC), a read-only file system (EROFS) and a permission error (EACCES) at each
//   write, simulated through the port's hook: a clear ClawdiaError, and nothing written — a write
//   that already landed is put back;
// - every file is created under umask 077 (0600 from the first byte).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../src/adapters/state.js';
import { ClawdiaError } from '../../src/core/errors.js';
import { applyCredential } from '../../src/core/save.js';
import { configPath, makeSecret, snapshot, storePath, writeJson } from '../support/cli.js';
import { bundleChild, checkInvariants, freshState, leftovers, readState, secrets, tmpDir } from './helpers.js';
import { agentsOf, mutate, OPS, type Op } from './state-ops.js';

let child: string;
beforeAll(async () => {
  const dir = tmpDir('clawdia-adapter-child-');
  child = path.join(dir, 'child.mjs');
  await bundleChild(
    child,
    `
import { createStateStore } from './src/adapters/state.ts';
import { agentsOf, mutate } from './test/safety/state-ops.ts';
const [stateDir, op, killAt, secret] = process.argv.slice(2);
let n = 0;
const state = createStateStore(stateDir, {
  beforeWrite: () => {
    if (++n === Number(killAt)) process.kill(process.pid, 'SIGKILL');
  },
});
await state.update(agentsOf(op), (d) => mutate(op, d, secret));
process.stdout.write(String(n));
`,
  );
});

/** A state dir as clawdia leaves it: main with two profiles, optionally work, optionally a config needing migration. */
function seed(op: Op): string {
  const state = freshState();
  const agents = op === 'two-agents' ? [{ id: 'main', default: true }, { id: 'work' }] : [{ id: 'main', default: true }];
  writeJson(configPath(state), {
    agents: { list: agents },
    auth: {
      profiles: {
        'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
        'anthropic:claude-cli': { provider: 'anthropic', mode: op === 'migrate-add' ? 'token' : 'oauth' },
      },
    },
  });
  writeJson(storePath(state), {
    version: 1,
    profiles: {
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
      'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: makeSecret('oat'), expires: Date.now() + 86400_000 },
    },
    order: { anthropic: ['anthropic:claude-cli', 'anthropic:default'] },
  });
  if (op === 'two-agents') writeJson(storePath(state, 'work'), { version: 1, profiles: {} });
  return state;
}

/** The secrets an agent holds once `op` has fully happened. */
function expected(op: Op, before: Record<string, string>, secret: string): Record<string, string> {
  const out = { ...before };
  if (op === 'add' || op === 'two-agents') out['anthropic:new'] = secret;
  if (op === 'replace') out['anthropic:default'] = secret;
  if (op === 'remove') delete out['anthropic:default'];
  if (op === 'migrate-add') out['anthropic:claude-cli'] = secret;
  return out;
}

function run(args: string[]): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

describe('a crash between any two writes (SIGKILL from the write hook, in a child)', () => {
  // All boundaries of all ops side by side: each kill leaves a lock the next write waits out (5 s).
  it('every boundary of every op leaves parseable files, nothing lost, nothing undeclared; the next write completes it', async () => {
    const cases = await Promise.all(
      OPS.map(async (op) => {
        const secret = op === 'migrate-add' ? makeSecret('oat') : makeSecret('api');
        const full = await run([seed(op), op, '0', secret]);
        expect(full.status, full.stderr).toBe(0);
        return { op, secret, writes: Number(full.stdout) };
      }),
    );
    for (const { op, writes } of cases) expect(writes, op).toBeGreaterThanOrEqual(op === 'migrate-add' || op === 'two-agents' ? 3 : 2);
    let kills = 0;
    await Promise.all(
      cases.flatMap(({ op, secret, writes }) =>
        Array.from({ length: writes }, async (_, i) => {
          const k = i + 1;
          const state = seed(op);
          const before = Object.fromEntries(agentsOf(op).map((a) => [a, secrets(readState(state, a))]));
          const r = await run([state, op, String(k), secret]);
          expect(r.signal, `${op}: kill at write ${k}`).toBe('SIGKILL');
          kills++;
          for (const agent of agentsOf(op)) {
            const where = `${op}, SIGKILL before write ${k} of ${writes}, agent ${agent}`;
            const after = readState(state, agent); // throws if torn
            expect(checkInvariants(after, agent), where).toEqual([]);
            const now = secrets(after);
            const done = expected(op, before[agent]!, secret);
            // Each profile holds its old or its new secret; nothing else, nothing lost.
            for (const id of new Set([...Object.keys(before[agent]!), ...Object.keys(done)])) {
              expect([before[agent]![id], done[id]], `${where}: ${id}`).toContain(now[id]);
            }
          }
          // The next write completes it: stale locks taken over, temps swept.
          const next = await run([state, op, '0', secret]);
          expect(next.status, next.stderr).toBe(0);
          for (const agent of agentsOf(op)) expect(secrets(readState(state, agent))).toEqual(expected(op, before[agent]!, secret));
          expect(leftovers(state)).toEqual([]);
        }),
      ),
    );
    expect(kills).toBeGreaterThanOrEqual(12);
  }, 60_000);
});

describe('full disk, read-only file system, permission denied (through the write hook)', () => {
  const codes = [
    ['ENOSPC', /no space left on device/],
    ['EROFS', /read-only file system/],
    ['EACCES', /permission denied/],
  ] as const;
  for (const op of OPS) {
    for (const [code, text] of codes) {
      it(`${op} / ${code} at every write: one clear error, nothing written`, async () => {
        const secret = op === 'migrate-add' ? makeSecret('oat') : makeSecret('api');
        let writes = 0;
        {
          const s = seed(op);
          await createStateStore(s, { beforeWrite: () => void writes++ }).update(agentsOf(op), (d) => mutate(op, d, secret));
        }
        for (let k = 1; k <= writes; k++) {
          const state = seed(op);
          const before = snapshot(state);
          let n = 0;
          const store = createStateStore(state, {
            beforeWrite: () => {
              if (++n === k) throw Object.assign(new Error(`${code}: simulated`), { code });
            },
          });
          const err = await store
            .update(agentsOf(op), (d) => mutate(op, d, secret))
            .then(
              () => null,
              (e: unknown) => e,
            );
          expect(err, `${op} ${code} at write ${k}`).toBeInstanceOf(ClawdiaError);
          expect((err as ClawdiaError).message).toMatch(text);
          expect((err as ClawdiaError).message).not.toMatch(/\n/);
          expect((err as ClawdiaError).message).not.toContain('simulated');
          expect(snapshot(state), `${op} ${code} at write ${k}: files changed`).toEqual(before);
          expect(leftovers(state)).toEqual([]);
        }
      });
    }
  }
});

describe('file modes', () => {
  it('every write happens under umask 077, and leaves 0600 files in 0700 dirs', async () => {
    const state = freshState();
    const masks: number[] = [];
    const store = createStateStore(state, {
      beforeWrite: () => {
        const m = process.umask(0o077); // reading the umask means setting it; put the same one back
        masks.push(m);
      },
    });
    const before = process.umask(0o022);
    process.umask(before);
    await store.update(['main', 'work'], (d) => {
      applyCredential(d.config, d.stores.main!, {
        agentId: 'main',
        profileId: 'anthropic:default',
        credential: { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
        validation: null,
      });
      applyCredential(d.config, d.stores.work!, {
        agentId: 'work',
        profileId: 'anthropic:default',
        credential: { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
        validation: null,
      });
    });
    expect(masks).toEqual([0o077, 0o077, 0o077]);
    expect(process.umask(before)).toBe(before);
    for (const f of [configPath(state), storePath(state), storePath(state, 'work')]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    for (const d of [
      state,
      path.join(state, 'agents'),
      path.join(state, 'agents', 'main'),
      path.dirname(storePath(state)),
      path.dirname(storePath(state, 'work')),
    ]) {
      expect(fs.statSync(d).mode & 0o777, d).toBe(0o700);
    }
  });
});
