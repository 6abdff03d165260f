// Smaller holes (issue 9 §7), one test each, against the built CLI: a shared state dir is refused and
// never chmodded; --expires-in 999999999y is a usage error before anything is written; stdout on a
// full disk or a closed pipe ends with one line on stderr (never a dump of the minified bundle); a
// stdin that never closes ends after --timeout; SIGTERM/SIGHUP while reading stdin exit 143/129;
// `status --probe` says "the API answered" only for what was sent; one bad agent id does not break
// `agents list`; `--check` exits 1, never 2, for a config it cannot use.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, configPath, makeSecret, runCli, snapshot, storePath, writeJson } from '../support/cli.js';
import { errorShape, freshState, tmpDir } from './helpers.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const DAY = 86_400_000;
const PASTE_KEY = ['models', 'auth', 'paste-api-key', '--provider', 'anthropic'];
const PASTE_TOKEN = ['models', 'auth', 'paste-token', '--provider', 'anthropic'];
/** No stack frame, no `file:///…dist/cli.js:38` source line of the bundle. */
const NO_DUMP = /^\s+at |file:\/\/|dist\/cli\.js|node:internal|\^$/m;

function seeded(): string {
  const state = freshState();
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }] },
    auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
  });
  writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') } } });
  return state;
}

/** Spawn the CLI with stdin left open (the caller decides when, or whether, it ends). */
function spawnOpen(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  child.stdin!.on('error', () => undefined);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Wait until the process handles `signals` itself (SigCgt in /proc): before that, one would kill it outright. */
async function handles(pid: number, signals: number[]): Promise<void> {
  for (;;) {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = BigInt('0x' + (/^SigCgt:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0'));
    if (signals.every((s) => (mask >> BigInt(s - 1)) & 1n)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a shared directory as the state dir', () => {
  it('mode 1777 is refused with one error, never chmodded, and nothing is written in it', async () => {
    const shared = path.join(tmpDir('clawdia-shared-'), 'drop');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o1777);
    const r = await runCli([...PASTE_KEY, '--skip-validation'], { env: baseEnv(shared, { ANTHROPIC_BASE_URL: api.url }), stdin: makeSecret('api') });
    expect(r.code).toBe(1);
    expect(errorShape(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/is a shared directory \(mode 1777\)/);
    expect(fs.statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(fs.readdirSync(shared)).toEqual([]);
  });

  it('an other-writable dir (0777) is refused too; one of ours that is only group-writable is still ours (set to 0700)', async () => {
    const root = tmpDir('clawdia-shared-');
    const open = path.join(root, 'open');
    const group = path.join(root, 'group');
    for (const [d, m] of [
      [open, 0o777],
      [group, 0o770],
    ] as const) {
      fs.mkdirSync(d);
      fs.chmodSync(d, m);
    }
    const refused = await runCli([...PASTE_KEY, '--skip-validation'], { env: baseEnv(open), stdin: makeSecret('api') });
    expect(refused.code).toBe(1);
    expect(fs.statSync(open).mode & 0o7777).toBe(0o777);
    expect(fs.readdirSync(open)).toEqual([]);
    const ours = await runCli([...PASTE_KEY, '--skip-validation'], { env: baseEnv(group), stdin: makeSecret('api') });
    expect(ours.code, ours.stderr).toBe(0);
    expect(fs.statSync(group).mode & 0o7777).toBe(0o700);
  });

  it.runIf(process.getuid?.() === 0)('a dir owned by another user is refused, never chowned or chmodded (needs root to make one)', async () => {
    const theirs = path.join(tmpDir('clawdia-shared-'), 'theirs');
    fs.mkdirSync(theirs, { mode: 0o755 });
    fs.chownSync(theirs, 65534, 65534);
    const r = await runCli([...PASTE_KEY, '--skip-validation'], { env: baseEnv(theirs), stdin: makeSecret('api') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/owned by uid 65534, not you/);
    const st = fs.statSync(theirs);
    expect([st.uid, st.mode & 0o7777]).toEqual([65534, 0o755]);
    expect(fs.readdirSync(theirs)).toEqual([]);
  });
});

it('--expires-in 999999999y is a usage error (exit 2) before anything is read or written', async () => {
  const state = seeded();
  const before = snapshot(state);
  const r = await runCli([...PASTE_TOKEN, '--expires-in', '999999999y', '--skip-validation'], { env: baseEnv(state), stdin: makeSecret('oat') });
  expect(r.code).toBe(2);
  expect(errorShape(r.stderr)).toEqual([]);
  expect(r.stderr).toMatch(/--expires-in must be at most 10y/);
  expect(snapshot(state)).toEqual(before);
  // The largest lifetime taken still stores a real date.
  const ok = await runCli([...PASTE_TOKEN, '--expires-in', '10y', '--skip-validation', '--json'], { env: baseEnv(state), stdin: makeSecret('oat') });
  expect(ok.code, ok.stderr).toBe(0);
  expect(new Date(JSON.parse(ok.stdout).expiresAt).getUTCFullYear()).toBeGreaterThan(new Date().getUTCFullYear() + 9);
});

describe('stdout that cannot be written', () => {
  const run = (args: string[], stdout: 'full' | 'closed-pipe', env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const fd = stdout === 'full' ? fs.openSync('/dev/full', 'w') : 'pipe';
      const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', fd, 'pipe'] });
      if (typeof fd === 'number') fs.closeSync(fd);
      // The reader goes away before the child (still starting node) writes a byte.
      else child.stdout!.destroy();
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });

  it.runIf(fs.existsSync('/dev/full'))('a full disk (/dev/full): one line on stderr, exit 1, for text, --json and --help', async () => {
    const env = baseEnv(seeded());
    for (const args of [['models', 'status'], ['models', 'status', '--json'], ['--help'], ['agents', 'list']]) {
      const r = await run(args, 'full', env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).not.toMatch(NO_DUMP);
      const lines = r.stderr.split('\n').filter((l) => l.trim());
      expect(lines.filter((l) => /could not write to stdout \(ENOSPC/.test(l))).toHaveLength(1);
      expect(lines.filter((l) => !/^(warning|note): /.test(l))).toHaveLength(1);
    }
  });

  // (`>&-` is no fault: node reopens a closed fd 1 on /dev/null at start.)
  it('a pipe whose reader left (| head -1): one line on stderr, the command keeps its code, never a dump', async () => {
    const env = baseEnv(seeded());
    for (const args of [['models', 'status', '--json'], ['--help']]) {
      const left = await run(args, 'closed-pipe', env);
      expect(left.code, args.join(' ')).toBe(0);
      expect(left.stderr).not.toMatch(NO_DUMP);
      expect(left.stderr).not.toMatch(/EPIPE/);
      expect(left.stderr.split('\n').filter((l) => l.trim())).toEqual([
        'clawdia: the reader of stdout went away (a closed pipe); the rest of the output was dropped.',
      ]);
    }
  });
});

describe('stdin that stays open', () => {
  it('paste-* ends after --timeout with a clear error, nothing written', async () => {
    const state = seeded();
    const before = snapshot(state);
    const { child, done } = spawnOpen([...PASTE_KEY, '--timeout', '300'], baseEnv(state, { ANTHROPIC_BASE_URL: api.url }));
    child.stdin!.write(makeSecret('api')); // the whole key, but the pipe is never closed
    const r = await done;
    child.stdin!.destroy();
    expect(r.code).toBe(1);
    expect(errorShape(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/^error: stdin did not end within 0\.3 s \(--timeout\)/m);
    expect(snapshot(state)).toEqual(before);
    expect(api.requests.filter((q) => q.auth !== 'none').length).toBe(0);
  });

  it('onboard --token-stdin too', async () => {
    const state = seeded();
    const { child, done } = spawnOpen(['onboard', '--non-interactive', '--token-stdin', '--timeout', '300'], baseEnv(state, { ANTHROPIC_BASE_URL: api.url }));
    const r = await done;
    child.stdin!.destroy();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stdin did not end within 0\.3 s/);
  });

  for (const [sig, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${sig} while reading stdin exits ${code}, nothing written`, async () => {
      const state = seeded();
      const before = snapshot(state);
      const { child, done } = spawnOpen(PASTE_TOKEN, baseEnv(state, { ANTHROPIC_BASE_URL: api.url }));
      await handles(child.pid!, [1, 15]);
      child.kill(sig);
      const r = await done;
      child.stdin!.destroy();
      expect([r.code, r.signal]).toEqual([code, null]);
      expect(r.stderr).toMatch(/Cancelled\. Nothing was written\./);
      expect(r.stderr).not.toMatch(NO_DUMP);
      expect(snapshot(state)).toEqual(before);
    });
  }
});

describe('status --probe says "the API answered" only for what was sent', () => {
  it('a stored value no header can carry, an expired token, a refused base URL: never "answered 401 just now"', async () => {
    const state = freshState();
    const odd = makeSecret('api').slice(0, 60) + 'é' + makeSecret('api').slice(61);
    const expired = makeSecret('oat');
    const refused = makeSecret('api');
    writeJson(configPath(state), {
      agents: { list: [{ id: 'main', default: true }] },
      auth: {
        profiles: {
          'anthropic:odd': { provider: 'anthropic', mode: 'api_key' },
          'anthropic:old': { provider: 'anthropic', mode: 'oauth' },
          'anthropic:bad': { provider: 'anthropic', mode: 'api_key' },
        },
      },
    });
    writeJson(storePath(state), {
      version: 1,
      profiles: {
        'anthropic:odd': { type: 'api_key', provider: 'anthropic', key: odd },
        'anthropic:old': { type: 'token', provider: 'anthropic', token: expired, expires: Date.now() - DAY },
        'anthropic:bad': { type: 'api_key', provider: 'anthropic', key: refused },
      },
    });
    api.setBehavior(refused, 'invalid');
    api.reset();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const json = await runCli(['models', 'status', '--probe', '--json'], { env });
    const text = await runCli(['models', 'status', '--probe'], { env });
    expect(json.code, json.stderr).toBe(0);
    const byId = Object.fromEntries(JSON.parse(json.stdout).auth.profiles.map((p: any) => [p.profileId, p]));
    expect(byId['anthropic:odd'].probe).toMatchObject({ verdict: 'invalid', httpStatus: null });
    expect(byId['anthropic:odd'].problem).toMatch(/^not sent: /);
    expect(byId['anthropic:old'].probe).toBeNull(); // expired: not probed at all
    // Positive control: what the API did refuse is said so.
    expect(byId['anthropic:bad'].problem).toBe('the API answered 401 (invalid) just now');
    expect(api.requests.map((q) => q.credential)).toHaveLength(2); // bad, twice (json + text); never odd or old
    const oddLines = text.stdout.split('\n\n').find((b) => b.includes('anthropic:odd')) ?? '';
    expect(oddLines).toContain('not sent');
    expect(oddLines).not.toMatch(/answered 40\d/);

    // A refused plain-http base URL: nothing is sent and nothing is said to have been answered.
    api.reset();
    const insecure = await runCli(['models', 'status', '--probe'], { env: baseEnv(state, { ANTHROPIC_BASE_URL: `http://0.0.0.0:${api.port}` }) });
    expect(insecure.code).toBe(1);
    expect(insecure.stdout + insecure.stderr).not.toMatch(/answered 40\d/);
    expect(api.requests).toEqual([]);
  });
});

describe('a config with a bad agent id', () => {
  function config(list: unknown[]): string {
    const state = freshState();
    writeJson(configPath(state), { agents: { list }, auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } });
    for (const id of ['main', 'work'])
      writeJson(storePath(state, id), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') } } });
    return state;
  }

  it('agents list reports it and still lists the others (text and --json), exit 1', async () => {
    const state = config([{ id: 'main', default: true }, { id: 'Bad Id' }, { id: 'work' }]);
    const text = await runCli(['agents', 'list'], { env: baseEnv(state) });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^main\s+1 profile\s+\(default\)$/m);
    expect(text.stdout).toMatch(/^work\s+1 profile$/m);
    expect(text.stderr).toMatch(/^error: .*clawdia\.json: agents\.list holds an invalid agent id "Bad Id"/m);
    const json = await runCli(['agents', 'list', '--json'], { env: baseEnv(state) });
    expect(json.code).toBe(1);
    const rows = JSON.parse(json.stdout).agents;
    expect(rows.map((r: any) => [r.id, r.profiles])).toEqual([
      ['main', 1],
      ['Bad Id', null],
      ['work', 1],
    ]);
    expect(rows[1].error).toMatch(/invalid agent id/);
  });

  it('models status --check exits 1 (broken), never 2 (expiring), for a config it cannot use; a bad --agent in argv stays a usage error', async () => {
    const state = config([{ id: 'Bad Id', default: true }, { id: 'main' }]);
    // The gateway normalizes a default id ("Bad Id" → bad-id, agent-scope.js) and runs that agent on
    // main's merged profiles (issue 10), so `--check` for the default agent answers for bad-id; every
    // agent (`--all-agents`) includes the one clawdia cannot name: broken, 1.
    for (const args of [
      ['models', 'status', '--check'],
      ['models', 'status', '--check', '--json'],
      ['models', 'status', '--check', '--all-agents'],
    ]) {
      const r = await runCli(args, { env: baseEnv(state) });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(2);
      if (args.includes('--all-agents')) expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(NO_DUMP);
    }
    const corrupt = freshState();
    fs.mkdirSync(corrupt, { recursive: true });
    fs.writeFileSync(configPath(corrupt), '{ "agents": ');
    expect((await runCli(['models', 'status', '--check'], { env: baseEnv(corrupt) })).code).toBe(1);
    expect((await runCli(['models', 'status', '--check', '--agent', 'Bad Id'], { env: baseEnv(seeded()) })).code).toBe(2);
  });
});
