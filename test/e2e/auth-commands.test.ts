// End to end: the built `clawdia` as a child process, real files in a temp state dir, and the
// loopback fake Anthropic API (the real SDK talks to it through ANTHROPIC_BASE_URL).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { parseJsonFile } from '../../src/core/jsonc.js';
import {
  baseEnv,
  checksPath,
  configPath,
  findLeaks,
  makeSecret,
  readChecks,
  readJson,
  runCli,
  snapshot,
  storePath,
  tempState,
  writeJson,
} from '../support/cli.js';

let api: FakeApi;
const secrets: string[] = [];
const outputs: string[] = [];
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'invalid' });
});
afterAll(async () => {
  await api.close();
});

function secret(kind: 'api' | 'oat' | 'ort', behavior?: Parameters<FakeApi['setBehavior']>[1], opts?: Parameters<FakeApi['setBehavior']>[2]) {
  const s = makeSecret(kind);
  secrets.push(s);
  if (behavior) api.setBehavior(s, behavior, opts);
  return s;
}

async function cli(state: string, args: string[], stdin?: string | null, env: Record<string, string | undefined> = {}) {
  const r = await runCli(args, { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url, ...env }), stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

describe('paste-token / paste-api-key', () => {
  it('stores a token wrapped over two lines as one token, 0600 in 0700 dirs', async () => {
    const state = tempState();
    const t = secret('oat', 'valid');
    const r = await cli(state, ['models', 'auth', 'paste-token', '--provider', 'anthropic'], `${t.slice(0, 80)}\n${t.slice(80)}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('joined 2 lines');
    expect(r.stdout).toContain(`Saved anthropic:claude-cli for agent main: sk-ant-oat01-…${t.slice(-4)} (108 chars)`);
    const store = readJson(storePath(state));
    expect(store.profiles['anthropic:claude-cli']).toMatchObject({ type: 'token', provider: 'anthropic', token: t });
    expect(store.profiles['anthropic:claude-cli'].expires).toBeGreaterThan(Date.now() + 364 * 86400_000);
    // The check goes beside the store, keyed by the credential (issue 10): the gateway's writes drop a `validation` block.
    expect(store.validation).toBeUndefined();
    expect(readChecks(state)['anthropic:claude-cli']).toMatchObject({
      verdict: 'valid',
      requestId: expect.stringMatching(/^req_/),
      credential: expect.stringMatching(/^sha256:[0-9a-f]{24}$/),
    });
    expect(fs.statSync(checksPath(state)).mode & 0o777).toBe(0o600);
    expect(readJson(configPath(state)).auth.profiles['anthropic:claude-cli']).toEqual({ provider: 'anthropic', mode: 'oauth' });
    expect(fs.statSync(storePath(state)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(configPath(state)).mode & 0o777).toBe(0o600);
    for (const d of [state, path.dirname(storePath(state)), path.join(state, 'agents', 'main')]) expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    // The request used Bearer + the oauth beta.
    const req = api.requests.find((q) => q.credential?.endsWith(`${t.slice(-4)} (108 chars)`));
    expect(req).toMatchObject({ auth: 'bearer', method: 'POST' });
    expect(req!.headers['anthropic-beta']).toContain('oauth-2025-04-20');
  });

  it('stores an API key checked with GET /v1/models', async () => {
    const state = tempState();
    const k = secret('api', 'valid');
    const r = await cli(state, ['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--json'], `export ANTHROPIC_API_KEY="${k}";\n`);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ agent: 'main', profileId: 'anthropic:default', type: 'api_key', verdict: 'valid', billing: 'usage-based (API key)' });
    expect(readJson(storePath(state)).profiles['anthropic:default'].key).toBe(k);
    const req = api.requests.find((q) => q.credential?.endsWith(`${k.slice(-4)} (108 chars)`));
    expect(req).toMatchObject({ method: 'GET', auth: 'x-api-key' });
  });

  it('refuses a truncated token and writes nothing', async () => {
    const state = tempState();
    const t = secret('oat', 'valid');
    const r = await cli(state, ['models', 'auth', 'paste-token'], t.slice(0, 60));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: That looks truncated: 60 chars/);
    expect(fs.existsSync(state)).toBe(false);
  });

  it('refuses a refresh token, and an API key pasted as a token', async () => {
    const state = tempState();
    const a = await cli(state, ['models', 'auth', 'paste-token'], secret('ort'));
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('refresh token');
    const b = await cli(state, ['models', 'auth', 'paste-token'], secret('api'));
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('paste-api-key');
    const c = await cli(state, ['models', 'auth', 'paste-api-key'], secret('oat'));
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('paste-token');
    expect(fs.existsSync(state)).toBe(false);
  });

  it('invalid (401) leaves the store byte-identical', async () => {
    const state = tempState();
    const good = secret('oat', 'valid');
    expect((await cli(state, ['models', 'auth', 'paste-token'], good)).code).toBe(0);
    const before = snapshot(state);
    const bad = secret('oat', 'invalid');
    const r = await cli(state, ['models', 'auth', 'paste-token'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Nothing was stored/);
    expect(snapshot(state)).toEqual(before);
  });

  it('429 stores with a cooldown from retry-after and exits 0 with a warning', async () => {
    const state = tempState();
    const k = secret('api', 'rate_limited', { retryAfter: 120 });
    const t0 = Date.now();
    const r = await cli(state, ['models', 'auth', 'paste-api-key'], k);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*cooling down/);
    const stats = readJson(storePath(state)).usageStats['anthropic:default'];
    expect(stats.cooldownUntil).toBeGreaterThanOrEqual(t0 + 119_000);
    expect(stats.cooldownUntil).toBeLessThanOrEqual(Date.now() + 121_000);
    const s = await cli(state, ['models', 'status', '--json']);
    expect(JSON.parse(s.stdout).auth.profiles[0].state).toBe('cooldown');
  });

  it('offline (connection refused) stores nothing unless --save-unverified', async () => {
    const state = tempState();
    const port = await new Promise<number>((res) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => res(p));
      });
    });
    const k = secret('api');
    const r = await cli(state, ['models', 'auth', 'paste-api-key'], k, { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--save-unverified/);
    expect(fs.existsSync(storePath(state))).toBe(false);
    const s = await cli(state, ['models', 'auth', 'paste-api-key', '--save-unverified'], k, { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` });
    expect(s.code).toBe(0);
    expect(readChecks(state)['anthropic:default'].verdict).toBe('offline');
    expect(JSON.parse((await cli(state, ['models', 'status', '--json'])).stdout).auth.profiles[0].state).toBe('unverified');
  });

  it('a hanging API ends at --timeout as offline', async () => {
    const state = tempState();
    const k = secret('api', 'hang');
    const r = await cli(state, ['models', 'auth', 'paste-api-key', '--timeout', '800'], k);
    expect(r.code).toBe(1);
    expect(r.stderr.toLowerCase()).toMatch(/time|offline|reach/);
    expect(fs.existsSync(storePath(state))).toBe(false);
  });

  it('empty stdin fails at once naming the stdin form', async () => {
    const state = tempState();
    const r = await cli(state, ['models', 'auth', 'paste-token'], '');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stdin was empty/);
    expect(r.stderr).toMatch(/hint: .*printf/);
  });

  it('--skip-validation stores as unverified and warns', async () => {
    const state = tempState();
    const r = await cli(state, ['models', 'auth', 'paste-token', '--skip-validation', '--expires-in', '30d'], secret('oat'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: Stored without checking/);
    const store = readJson(storePath(state));
    expect(readChecks(state)['anthropic:claude-cli'].verdict).toBe('unverified');
    expect(store.profiles['anthropic:claude-cli'].expires).toBeLessThan(Date.now() + 31 * 86400_000);
  });

  it('rejects an unknown provider and a bad profile id as usage errors', async () => {
    const state = tempState();
    expect((await cli(state, ['models', 'auth', 'paste-token', '--provider', 'openai'], 'x')).code).toBe(2);
    expect((await cli(state, ['models', 'auth', 'paste-token', '--profile-id', 'nope'], secret('oat', 'valid'))).code).toBe(2);
    expect((await cli(state, ['models', 'auth', 'paste-token', '--agent', '../x'], secret('oat', 'valid'))).code).toBe(2);
    expect(fs.existsSync(state)).toBe(false);
  });
});

describe('per-agent isolation', () => {
  // Issue 10 (newer than SPEC §1's "a new agent inherits nothing"): the gateway merges main's
  // profiles into every agent's view and copies main's store into an agent that has none.
  it("a new agent runs on main's credentials, and status says so; agents list counts each agent's own profiles", async () => {
    const state = tempState();
    expect((await cli(state, ['models', 'auth', 'paste-api-key'], secret('api', 'valid'))).code).toBe(0);
    expect((await cli(state, ['models', 'auth', 'paste-token', '--agent', 'work'], secret('oat', 'valid'))).code).toBe(0);
    const work = readJson(storePath(state, 'work'));
    expect(Object.keys(work.profiles)).toEqual(['anthropic:claude-cli']);
    const empty = await cli(state, ['models', 'status', '--agent', 'fresh', '--json', '--check']);
    // An agent nobody created is an error naming the known ones (issue 11 item 9), not an empty agent.
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no agent named fresh.');
    expect(empty.stderr).toContain('Known agents: main, work.');
    expect(fs.existsSync(path.join(state, 'agents', 'fresh'))).toBe(false);
    // work has an order of its own (its token): main's key is in its view but never tried.
    const w = JSON.parse((await cli(state, ['models', 'status', '--agent', 'work', '--json'])).stdout);
    expect(w.auth.activeProfile.anthropic).toBe('anthropic:claude-cli');
    expect(w.auth.profiles.find((p: { profileId: string }) => p.profileId === 'anthropic:default')).toMatchObject({
      origin: 'main',
      gateway: { tried: false, notTried: 'not-in-order' },
    });
    const list = JSON.parse((await cli(state, ['agents', 'list', '--json'])).stdout);
    expect(list.agents).toMatchObject([
      { id: 'main', default: true, profiles: 1 },
      { id: 'work', default: false, profiles: 1 },
    ]);
    const text = await cli(state, ['agents', 'list']);
    expect(text.stdout).toMatch(/main\s+1 profile\s+\(default\)/);
  });
});

describe('order, clear-cooldown, remove', () => {
  it('order get/set, clear-cooldown and remove keep the files consistent', async () => {
    const state = tempState();
    await cli(state, ['models', 'auth', 'paste-api-key'], secret('api', 'valid'));
    await cli(state, ['models', 'auth', 'paste-token'], secret('oat', 'valid'));
    expect((await cli(state, ['models', 'auth', 'order', 'get', '--provider', 'anthropic'])).stdout.trim().split('\n')).toEqual([
      'anthropic:claude-cli',
      'anthropic:default',
    ]);
    expect((await cli(state, ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:default', 'anthropic:claude-cli'])).code).toBe(0);
    expect(readJson(storePath(state)).order.anthropic).toEqual(['anthropic:default', 'anthropic:claude-cli']);
    expect((await cli(state, ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:ghost'])).code).toBe(1);

    const store = readJson(storePath(state));
    store.usageStats['anthropic:default'] = { cooldownUntil: Date.now() + 3600_000, errorCount: 2 };
    writeJson(storePath(state), store);
    const cc = await cli(state, ['models', 'auth', 'clear-cooldown', '--profile-id', 'anthropic:default']);
    expect(cc.stdout).toContain('Cleared cooldown for anthropic:default');
    expect(readJson(storePath(state)).usageStats['anthropic:default'].cooldownUntil).toBeUndefined();

    expect((await cli(state, ['models', 'auth', 'remove', 'anthropic:default'])).code).toBe(0);
    const after = readJson(storePath(state));
    expect(Object.keys(after.profiles)).toEqual(['anthropic:claude-cli']);
    expect(after.order.anthropic).toEqual(['anthropic:claude-cli']);
    expect(readJson(configPath(state)).auth.profiles['anthropic:default']).toBeUndefined();
    expect((await cli(state, ['models', 'auth', 'remove', 'anthropic:default'])).code).toBe(1);
  });
});

describe('sync-claude-cli', () => {
  it("copies Claude Code's login as type oauth, refresh token kept", async () => {
    const state = tempState();
    const access = secret('oat', 'valid');
    const refresh = secret('ort');
    const expiresAt = Date.now() + 6 * 3600_000;
    writeJson(path.join(state, '..', 'claude-config', '.credentials.json'), {
      claudeAiOauth: { accessToken: access, refreshToken: refresh, expiresAt, scopes: ['user:inference'], subscriptionType: 'max' },
    });
    const r = await cli(state, ['models', 'auth', 'sync-claude-cli']);
    expect(r.code).toBe(0);
    expect(readJson(storePath(state)).profiles['anthropic:claude-cli']).toMatchObject({ type: 'oauth', access, refresh, expires: expiresAt });
    expect(readJson(configPath(state)).auth.profiles['anthropic:claude-cli'].mode).toBe('oauth');
  });
  it('refuses an expired Claude Code login with the claude-then-sync fix', async () => {
    const state = tempState();
    writeJson(path.join(state, '..', 'claude-config', '.credentials.json'), {
      claudeAiOauth: { accessToken: secret('oat', 'valid'), refreshToken: secret('ort'), expiresAt: Date.now() - 60_000 },
    });
    const r = await cli(state, ['models', 'auth', 'sync-claude-cli']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hint: Run `claude`.*sync-claude-cli/);
  });
  it('says where it looked when there is no login', async () => {
    const state = tempState();
    const r = await cli(state, ['models', 'auth', 'sync-claude-cli']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No Claude Code login found/);
    expect(r.stderr).toMatch(/paste-token/);
  });
});

describe('files that do not parse, and migration', () => {
  it('a corrupt store stops every command with file and line, and is never overwritten', async () => {
    const state = tempState();
    const k = secret('api', 'valid');
    writeJson(storePath(state), `{\n  "version": 1,\n  "profiles": {\n    "anthropic:default": { "type": "api_key", "key": "${k}" \n  }\n`);
    const before = snapshot(state);
    const s = await cli(state, ['models', 'status']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(new RegExp(`error: ${storePath(state).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: not valid JSON`));
    const p = await cli(state, ['models', 'auth', 'paste-api-key'], secret('api', 'valid'));
    expect(p.code).toBe(1);
    expect(snapshot(state)).toEqual(before);
  });

  it('legacy mode "token" is migrated by a writing command (notice, .bak, rewrite) and read as oauth by status', async () => {
    const state = tempState();
    const legacy = `{\n  // hand-edited\n  "auth": { "profiles": { "anthropic:claude-cli": { "provider": "anthropic", "mode": "token" } } },\n  "custom": { "keep": true },\n}\n`;
    writeJson(configPath(state), legacy);
    writeJson(storePath(state), { version: 1, profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: secret('oat') } } });
    const s = await cli(state, ['models', 'status', '--json']);
    expect(JSON.parse(s.stdout).auth.profiles[0].mode).toBe('oauth');
    expect(fs.readFileSync(configPath(state), 'utf8')).toBe(legacy); // read-only: untouched
    expect(fs.existsSync(configPath(state) + '.bak')).toBe(false);
    const w = await cli(state, ['models', 'auth', 'paste-api-key'], secret('api', 'valid'));
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/migrated anthropic:claude-cli .* from mode "token" to "oauth"/);
    expect(fs.readFileSync(configPath(state) + '.bak', 'utf8')).toBe(legacy);
    // Edited in place (issue 10): the comment survives (jsonc-parser reformats only the lines it edits, and their neighbours).
    const text = fs.readFileSync(configPath(state), 'utf8');
    expect(text).toMatch(/^\{\n {2}\/\/ hand-edited\n {2}"auth": \{\n/);
    const cfg = parseJsonFile(text, configPath(state), { comments: true }) as any;
    expect(cfg.auth.profiles['anthropic:claude-cli'].mode).toBe('oauth');
    expect(cfg.auth.profiles['anthropic:default'].mode).toBe('api_key');
    expect(cfg.custom).toEqual({ keep: true });
  });

  it('a failed write does not save the migration either', async () => {
    const state = tempState();
    const legacy = `{ "auth": { "profiles": { "anthropic:claude-cli": { "provider": "anthropic", "mode": "token" } } } }`;
    writeJson(configPath(state), legacy);
    const r = await cli(state, ['models', 'auth', 'paste-api-key'], secret('api', 'invalid'));
    expect(r.code).toBe(1);
    expect(fs.readFileSync(configPath(state), 'utf8')).toBe(legacy);
    expect(fs.existsSync(configPath(state) + '.bak')).toBe(false);
  });

  it('unknown fields in both files survive a rewrite', async () => {
    const state = tempState();
    writeJson(configPath(state), { agents: { list: [{ id: 'main', default: true, color: 'blue' }] }, gateway: { port: 1 } });
    writeJson(storePath(state), { version: 1, profiles: {}, extra: [1, 2], usageStats: { 'anthropic:x': { lastUsed: 3 } } });
    expect((await cli(state, ['models', 'auth', 'paste-api-key'], secret('api', 'valid'))).code).toBe(0);
    expect(readJson(configPath(state))).toMatchObject({ agents: { list: [{ id: 'main', default: true, color: 'blue' }] }, gateway: { port: 1 } });
    expect(readJson(storePath(state))).toMatchObject({ extra: [1, 2], usageStats: { 'anthropic:x': { lastUsed: 3 } } });
  });
});

describe('secrets never leave the files', () => {
  it('no output of this file held a secret (or any 16-char run of one)', () => {
    expect(outputs.length).toBeGreaterThan(20);
    expect(findLeaks(outputs.join('\n'), secrets)).toEqual([]);
  });
});
