// A short write never becomes the file (issue 9 §1). A real process under `ulimit -f 8` (the
// kernel refuses bytes past 8 KiB: a short write, then EFBIG, with SIGXFSZ) writing into a store
// and a config larger than that; and the state adapter with a fault-injecting file system (its
// `fs` port): ENOSPC, EDQUOT, EFBIG, a short write that then writes nothing, a size that does not
// match after fsync. Every one ends in "nothing was written", exit 1, the previous files
// byte-identical and no temp file left. And a hint names only files that exist.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../src/adapters/state.js';
import type { WriteFs } from '../../src/adapters/state/write.js';
import { ClawdiaError } from '../../src/core/errors.js';
import { BIN, baseEnv, configPath, findLeaks, makeSecret, snapshot, storePath, writeJson } from '../support/cli.js';
import { errorShape, freshState, leftovers } from './helpers.js';
import { agentsOf, mutate, OPS } from './state-ops.js';

/** A state dir whose config and store are each well over 8 KiB (`profiles` profiles). */
function bigState(profiles = 120): { state: string; secrets: string[] } {
  const state = freshState();
  const declared: Record<string, unknown> = {};
  const stored: Record<string, unknown> = {};
  const secrets: string[] = [];
  if (profiles < 10) {
    // Small: the two profiles the state-ops mutations expect.
    declared['anthropic:default'] = { provider: 'anthropic', mode: 'api_key' };
    declared['anthropic:claude-cli'] = { provider: 'anthropic', mode: 'oauth' };
    stored['anthropic:default'] = { type: 'api_key', provider: 'anthropic', key: makeSecret('api') };
    stored['anthropic:claude-cli'] = { type: 'token', provider: 'anthropic', token: makeSecret('oat') };
  }
  for (let i = 0; i < profiles; i++) {
    const id = `anthropic:p${i}`;
    const key = makeSecret('api');
    secrets.push(key);
    declared[id] = { provider: 'anthropic', mode: 'api_key' };
    stored[id] = { type: 'api_key', provider: 'anthropic', key };
  }
  writeJson(configPath(state), JSON.stringify({ agents: { list: [{ id: 'main', default: true }] }, auth: { profiles: declared } }, null, 2) + '\n');
  writeJson(storePath(state), JSON.stringify({ version: 1, profiles: stored, order: { anthropic: Object.keys(stored) } }, null, 2) + '\n');
  return { state, secrets };
}

/** The built CLI under `ulimit -f <kib>` (bash's unit: 1024 bytes). */
function runLimited(kib: number, args: string[], env: Record<string, string>, stdin: string) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const c = spawn('bash', ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    c.stdin.end(stdin);
  });
}

describe('ulimit -f 8: a real process cannot write past 8 KiB', () => {
  for (const [what, args] of [
    ['paste-api-key', ['models', 'auth', 'paste-api-key', '--skip-validation', '--profile-id', 'anthropic:new']],
    [
      'onboard --non-interactive',
      ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--skip-validation', '--profile-id', 'anthropic:new'],
    ],
  ] as const) {
    it(`${what} into a 20 KiB store: exit 1, "nothing was written", files byte-identical`, async () => {
      const { state, secrets } = bigState();
      expect(fs.statSync(storePath(state)).size).toBeGreaterThan(8 * 1024);
      expect(fs.statSync(configPath(state)).size).toBeGreaterThan(8 * 1024);
      const before = snapshot(state);
      const secret = makeSecret('api');
      const r = await runLimited(8, [...args], baseEnv(state), secret);
      expect(r.signal, r.stderr).toBe(null);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/nothing was written/);
      expect(r.stderr).toContain(state); // names the file
      expect(r.stderr).toMatch(/file too large|ulimit -f/);
      expect(r.stdout).not.toMatch(/Saved/);
      expect(errorShape(r.stderr)).toEqual([]);
      expect(findLeaks(r.stdout + r.stderr, [secret, ...secrets])).toEqual([]);
      expect(snapshot(state)).toEqual(before);
      expect(leftovers(state)).toEqual([]);
      // And with the limit lifted, the same command saves, and every credential is still there.
      const ok = await runLimited(1024, [...args], baseEnv(state), secret);
      expect(ok.code, ok.stderr).toBe(0);
      const store = JSON.parse(fs.readFileSync(storePath(state), 'utf8'));
      expect(Object.keys(store.profiles)).toHaveLength(121);
      expect(store.profiles['anthropic:new'].key).toBe(secret);
    }, 30_000);
  }

  it('a store that still fits is written whole under the limit (the limit alone is no failure)', async () => {
    const state = freshState();
    const secret = makeSecret('api');
    const r = await runLimited(8, ['models', 'auth', 'paste-api-key', '--skip-validation'], baseEnv(state), secret);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(storePath(state), 'utf8')).profiles['anthropic:default'].key).toBe(secret);
  }, 30_000);
});

type Fault = { name: string; text: RegExp; fs: (armed: () => boolean) => Partial<WriteFs> };

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

const FAULTS: Fault[] = [
  ...(['ENOSPC', 'EDQUOT', 'EFBIG'] as const).map((code) => ({
    name: `${code} after the first bytes`,
    text: { ENOSPC: /no space left on device/, EDQUOT: /disk quota exceeded/, EFBIG: /file too large/ }[code],
    // The disk takes 100 bytes of the temp file, then refuses the rest (as the kernel does).
    fs: (armed: () => boolean): Partial<WriteFs> => {
      let taken = 0;
      return {
        writeSync: (fd, buf, off, len) => {
          if (!armed()) return fs.writeSync(fd, buf, off, len);
          if (taken >= 100) throw errno(code);
          const n = fs.writeSync(fd, buf, off, Math.min(len, 100 - taken));
          taken += n;
          return n;
        },
      };
    },
  })),
  {
    name: 'a short write, then 0 bytes',
    text: /fewer bytes/,
    fs: (armed) => ({
      writeSync: (fd, buf, off, len) => (armed() ? (off === 0 ? fs.writeSync(fd, buf, off, Math.min(len, 10)) : 0) : fs.writeSync(fd, buf, off, len)),
    }),
  },
  {
    name: 'a size after fsync that is not what was written',
    text: /fewer bytes/,
    fs: (armed) => ({
      fstatSync: (fd) => (armed() ? { size: fs.fstatSync(fd).size - 1 } : fs.fstatSync(fd)),
    }),
  },
  {
    name: 'ENOSPC at fsync',
    text: /no space left on device/,
    fs: (armed) => ({
      fsyncSync: (fd) => {
        if (armed()) throw errno('ENOSPC');
        fs.fsyncSync(fd);
      },
    }),
  },
];

describe('a fault-injecting file system under the state adapter', () => {
  for (const op of OPS) {
    it(`${op}: every fault at every file it writes ends in "nothing was written", files byte-identical`, async () => {
      const seedOp = () => {
        const { state } = bigState(3);
        if (op === 'two-agents') writeJson(storePath(state, 'work'), { version: 1, profiles: {} });
        if (op === 'migrate-add') {
          const cfg = JSON.parse(fs.readFileSync(configPath(state), 'utf8'));
          cfg.auth.profiles['anthropic:claude-cli'] = { provider: 'anthropic', mode: 'token' };
          writeJson(configPath(state), cfg);
        }
        return state;
      };
      const probe = seedOp();
      // How many files does the op write (opening temp files counts them)?
      let files = 0;
      await createStateStore(probe, { fs: { openSync: (f, fl, m) => (files++, fs.openSync(f, fl, m)) } }).update(agentsOf(op), (d) =>
        mutate(op, d, makeSecret('api')),
      );
      expect(files).toBeGreaterThanOrEqual(op === 'migrate-add' ? 3 : 1);
      for (const fault of FAULTS) {
        for (let k = 1; k <= files; k++) {
          const state = seedOp();
          const before = snapshot(state);
          let opened = 0;
          const injected = fault.fs(() => opened === k);
          const store = createStateStore(state, {
            fs: {
              ...injected,
              openSync: (f, fl, m) => {
                opened++;
                return fs.openSync(f, fl, m);
              },
            },
          });
          const where = `${op}, ${fault.name}, file ${k} of ${files}`;
          const err = await store
            .update(agentsOf(op), (d) => mutate(op, d, makeSecret('api')))
            .then(
              () => null,
              (e: unknown) => e,
            );
          expect(err, where).toBeInstanceOf(ClawdiaError);
          const e = err as ClawdiaError;
          expect(e.exitCode, where).toBe(1);
          expect(e.message, where).toMatch(fault.text);
          expect(e.message, where).toMatch(/nothing was written/);
          expect(e.message, where).toContain(state);
          expect(e.message, where).not.toContain('simulated');
          expect(snapshot(state), `${where}: files changed`).toEqual(before);
          expect(leftovers(state), where).toEqual([]);
        }
      }
    });
  }
});

describe('a hint names only files that exist', () => {
  it('a torn config: the hint names no .bak when there is none, and names it when there is one', async () => {
    const { state } = bigState(5);
    const text = fs.readFileSync(configPath(state), 'utf8');
    fs.writeFileSync(configPath(state), text.slice(0, 300));
    const { runCli } = await import('../support/cli.js');
    for (const args of [
      ['models', 'status'],
      ['models', 'auth', 'paste-api-key', '--skip-validation'],
    ]) {
      const r = await runCli(args, { env: baseEnv(state), stdin: makeSecret('api') });
      expect(r.code).toBe(1);
      const hint = r.stderr.split('\n').find((l) => l.startsWith('hint:')) ?? '';
      for (const p of hint.match(/\/[^\s,()]+/g) ?? []) expect(fs.existsSync(p.replace(/[.:;]$/, '')), `${args.join(' ')}: hint names ${p}`).toBe(true);
      expect(hint).not.toContain('.bak');
    }
    fs.writeFileSync(configPath(state) + '.bak', text);
    const r = await runCli(['models', 'status'], { env: baseEnv(state) });
    expect(r.stderr).toContain(`${configPath(state)}.bak`);
  });
});
