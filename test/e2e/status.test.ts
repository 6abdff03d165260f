// End to end: `clawdia models status` on seeded state — read-only, --json schema, --check codes,
// --probe against the loopback API, env shadowing, and the fix commands in the text view.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, configPath, findLeaks, makeSecret, runCli, snapshot, storePath, tempState, writeJson } from '../support/cli.js';

let api: FakeApi;
const secrets: string[] = [];
const outputs: string[] = [];
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const H = 3600_000;
function s(kind: 'api' | 'oat') {
  const v = makeSecret(kind);
  secrets.push(v);
  return v;
}
async function status(state: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = await runCli(['models', 'status', ...args], { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url, ...env }) });
  outputs.push(r.stdout, r.stderr);
  return r;
}
function seed(state: string, store: Record<string, unknown>, config: Record<string, unknown> = {}) {
  writeJson(configPath(state), { agents: { list: [{ id: 'main', default: true }] }, ...config });
  writeJson(storePath(state), { version: 1, ...store });
}

describe('models status --check', () => {
  it('0 when every profile is good', async () => {
    const state = tempState();
    seed(state, {
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: s('api') } },
      validation: { 'anthropic:default': { at: Date.now() - H, verdict: 'valid' } },
    });
    const r = await status(state, ['--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('anthropic:default  API key (usage-based billing)  ← active');
  });
  it('2 when a token expires within 24 h', async () => {
    const state = tempState();
    seed(state, { profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: s('oat'), expires: Date.now() + 3 * H } } });
    const r = await status(state, ['--check']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/expiring · expires in (2h 59m|3h)/);
    expect(r.stderr).toMatch(/check: main anthropic:claude-cli expiring/);
  });
  it('1 when expired, with the fix command', async () => {
    const state = tempState();
    seed(state, { profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: s('oat'), expires: Date.now() - H } } });
    const r = await status(state, ['--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('fix         clawdia models auth setup-token   # or: clawdia models auth paste-token');
  });
  it('1 when every profile is cooling down; text shows "cooldown 4m" and the clear-cooldown fix', async () => {
    const state = tempState();
    seed(state, {
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: s('api') } },
      usageStats: { 'anthropic:default': { cooldownUntil: Date.now() + 4 * 60_000 + 20_000 } },
    });
    const r = await status(state, ['--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cooldown · cooldown 4m/);
    expect(r.stdout).toContain('clawdia models auth clear-cooldown --profile-id anthropic:default');
    const j = JSON.parse((await status(state, ['--json'])).stdout);
    expect(j.auth.unusableProfiles[0]).toMatchObject({ profileId: 'anthropic:default', kind: 'cooldown', reason: 'rate_limit' });
  });
  it('1 with no profiles at all', async () => {
    const r = await status(tempState(), ['--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('fix: clawdia onboard');
  });
});

describe('models status --json', () => {
  it('matches the schema, holds no secret, and writes nothing', async () => {
    const state = tempState();
    const key = s('api');
    const tok = s('oat');
    seed(
      state,
      {
        profiles: {
          'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: tok, expires: Date.now() + 200 * 24 * H },
          'anthropic:default': { type: 'api_key', provider: 'anthropic', key },
        },
        order: { anthropic: ['anthropic:claude-cli', 'anthropic:default'] },
        validation: { 'anthropic:default': { at: 1000, verdict: 'valid', requestId: 'req_abc' } },
      },
      { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } }, list: [{ id: 'main', default: true }] } },
    );
    fs.chmodSync(storePath(state), 0o644);
    const before = snapshot(state);
    const r = await status(state, ['--json'], { ANTHROPIC_API_KEY: s('api') });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      schemaVersion: 1,
      agent: 'main',
      configPath: configPath(state),
      agentDir: path.dirname(storePath(state)),
      defaultModel: 'anthropic/claude-opus-4-5',
      auth: {
        storePath: storePath(state),
        order: { anthropic: ['anthropic:claude-cli', 'anthropic:default'] },
        activeProfile: { anthropic: 'anthropic:claude-cli' },
        unusableProfiles: [],
        // A stored profile resolves: the gateway reads ANTHROPIC_API_KEY only when none does.
        env: [{ name: 'ANTHROPIC_API_KEY', fingerprint: expect.stringMatching(/^sk-ant-api03-…/), shadows: null, use: 'fallback' }],
      },
    });
    expect(j.auth.profiles[1]).toMatchObject({
      profileId: 'anthropic:default',
      provider: 'anthropic',
      type: 'api_key',
      mode: 'api_key',
      fingerprint: `sk-ant-api03-…${key.slice(-4)} (108 chars)`,
      state: 'ok',
      expiresAt: null,
      remainingMs: null,
      cooldownUntil: null,
      lastValidation: { at: 1000, verdict: 'valid' },
      source: 'store',
      probe: null,
    });
    expect(j.auth.warnings.join('\n')).toMatch(/readable by other users/);
    expect(snapshot(state)).toEqual(before);
    expect(fs.statSync(storePath(state)).mode & 0o777).toBe(0o644); // status never fixes (never writes)
  });

  it('--all-agents covers every agent', async () => {
    const state = tempState();
    seed(
      state,
      { profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: s('api') } } },
      { agents: { list: [{ id: 'main', default: true }, { id: 'ops' }] } },
    );
    const r = await status(state, ['--all-agents', '--json', '--check']);
    const j = JSON.parse(r.stdout);
    expect(j.agents.map((a: { agent: string }) => a.agent)).toEqual(['main', 'ops']);
    // Issue 10 (newer than SPEC §1's "inherits nothing"): ops has no store of its own, and the gateway
    // copies main's into it on its first load, so it runs on main's key: --check 0, and status says so.
    expect(j.agents[1].auth.activeProfile).toEqual({ anthropic: 'anthropic:default' });
    expect(j.agents[1].gateway.inheritance).toBe('clone');
    expect(j.agents[1].auth.profiles[0]).toMatchObject({ profileId: 'anthropic:default', origin: 'clone' });
    expect(j.agents[1].auth.warnings.join('\n')).toContain('clawdia onboard --agent ops');
    expect(r.code).toBe(0);
  });
});

describe('models status --probe', () => {
  it('checks every profile live, side by side, records nothing, skips expired ones', async () => {
    const state = tempState();
    const good = s('api');
    const bad = s('oat');
    const old = s('oat');
    api.setBehavior(good, 'valid');
    api.setBehavior(bad, 'invalid');
    seed(state, {
      profiles: {
        'anthropic:default': { type: 'api_key', provider: 'anthropic', key: good },
        'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: bad, expires: Date.now() + 100 * 24 * H },
        'anthropic:old': { type: 'token', provider: 'anthropic', token: old, expires: Date.now() - H },
      },
      validation: { 'anthropic:claude-cli': { at: 1, verdict: 'valid' } },
    });
    const before = snapshot(state);
    api.reset();
    const r = await status(state, ['--probe', '--json', '--check']);
    expect(r.code).toBe(1);
    const byId = Object.fromEntries(JSON.parse(r.stdout).auth.profiles.map((p: { profileId: string }) => [p.profileId, p]));
    expect(byId['anthropic:default']).toMatchObject({ state: 'ok', probe: { verdict: 'valid', requestId: expect.stringMatching(/^req_/) } });
    expect(byId['anthropic:claude-cli']).toMatchObject({ state: 'invalid', probe: { verdict: 'invalid' } });
    expect(byId['anthropic:old']).toMatchObject({ state: 'expired', probe: null });
    expect(api.requests.length).toBe(2);
    expect(snapshot(state)).toEqual(before);
  });
});

describe('status text', () => {
  it('says what the gateway does with each env credential, and names a non-default base URL', async () => {
    const state = tempState();
    seed(state, { profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: s('api') } } });
    const r = await status(state, [], {
      CLAUDE_CODE_OAUTH_TOKEN: s('oat'),
      ANTHROPIC_API_KEY: s('api'),
      ANTHROPIC_AUTH_TOKEN: s('oat'),
      ANTHROPIC_BASE_URL: 'http://10.1.2.3:8080',
    });
    expect(r.stdout).toMatch(/CLAUDE_CODE_OAUTH_TOKEN sk-ant-oat01-….* — never read by the gateway/);
    expect(r.stdout).toMatch(/ANTHROPIC_API_KEY sk-ant-api03-….* — unused while a stored profile resolves/);
    expect(r.stdout).toMatch(/ANTHROPIC_AUTH_TOKEN sk-ant-oat01-….* — sent as a Bearer beside anthropic:default's key/);
    expect(r.stdout).toMatch(/plain http to a non-loopback host/);
    // No stored profile: the gateway runs on the env key, and status says so.
    const empty = tempState();
    const e = await status(empty, [], { ANTHROPIC_API_KEY: s('api') });
    expect(e.stdout).toMatch(/ANTHROPIC_API_KEY sk-ant-api03-….* — no stored profile resolves: the gateway uses this one/);
  });
  it('a corrupt config names file:line:col', async () => {
    const state = tempState();
    writeJson(configPath(state), '{\n  "agents": {\n    "list": [ }\n}\n');
    const r = await status(state);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/clawdia\.json:3:\d+: not valid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('redaction', () => {
  it('no status output held a secret', () => {
    expect(findLeaks(outputs.join('\n'), secrets)).toEqual([]);
  });
});

describe('a closed stdout (`clawdia … | head -1`)', () => {
  it.each([['models', 'status', '--all-agents'], ['--help'], ['agents', 'list', '--json']])(
    '%s %s ends with one plain line, no EPIPE stack trace',
    async (...args) => {
      const state = tempState();
      seed(state, { profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: s('api') } } });
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader is gone before the first write
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(stderr.split('\n').filter((l) => l.trim()).length).toBeLessThanOrEqual(1); // issue 9 §7: one line says the rest was dropped
      expect(code).toBe(0);
    },
  );
});
