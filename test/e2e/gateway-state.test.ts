// End to end, on a Clawdbot gateway's state layout (issue 10): where clawdia looks, what it writes
// where, JSON5 config, custom agentDir, setup-tokens kept away from the gateway's Claude Code sync,
// and check results that survive a gateway rewrite of the store. (The real gateway judges the same
// in test/interop/gateway.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, findLeaks, makeSecret, readChecks, readJson, runCli, tempState, writeJson } from '../support/cli.js';

let api: FakeApi;
const secrets: string[] = [];
const outputs: string[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function s(kind: 'api' | 'oat') {
  const v = makeSecret(kind);
  secrets.push(v);
  return v;
}

/** A temp root with `home/`; the gateway's state at `home/.clawdbot` (found without any variable). */
function gatewayHome() {
  const state = tempState();
  const root = path.dirname(state);
  dirs.push(root);
  const home = path.join(root, 'home');
  return { root, home, state: path.join(home, '.clawdbot') };
}

async function cli(home: string, args: string[], stdin?: string, env: Record<string, string | undefined> = {}) {
  const r = await runCli(args, {
    env: baseEnv('/unused', { CLAWDIA_STATE_DIR: undefined, HOME: home, ANTHROPIC_BASE_URL: api.url, ...env }),
    ...(stdin !== undefined ? { stdin } : {}),
  });
  outputs.push(r.stdout, r.stderr);
  return r;
}

const JSON5_CONFIG = `// the gateway's config, hand-written
{
  gateway: { port: 18789 },
  agents: {
    list: [
      { id: 'main', default: true },
      { id: 'ops', agentDir: '~/ops-agent' }, // its own dir
    ],
  },
}
`;

describe('a gateway state: ~/.clawdbot, clawdbot.json (JSON5), a custom agentDir', () => {
  it('status finds them, names them and why; a write goes to the agentDir and rewrites the JSON5 config with a notice and a .bak', async () => {
    const { home, state } = gatewayHome();
    writeJson(path.join(state, 'clawdbot.json'), JSON5_CONFIG);
    const key = s('api');
    writeJson(path.join(home, 'ops-agent', 'auth-profiles.json'), {
      version: 1,
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key } },
    });

    const st = await cli(home, ['models', 'status', '--agent', 'ops', '--json']);
    expect(st.code).toBe(0);
    const j = JSON.parse(st.stdout);
    expect(j).toMatchObject({
      configPath: path.join(state, 'clawdbot.json'),
      agentDir: path.join(home, 'ops-agent'),
      state: { stateDir: state, stateDirFrom: expect.stringContaining('~/.clawdbot'), gateway: true },
      auth: { storePath: path.join(home, 'ops-agent', 'auth-profiles.json'), activeProfile: { anthropic: 'anthropic:default' } },
    });
    const text = await cli(home, ['models', 'status', '--agent', 'ops']);
    expect(text.stdout).toContain(`  state   ${state}  (~/.clawdbot exists (the gateway's))`);
    expect(text.stdout).toContain(`  config  ${path.join(state, 'clawdbot.json')}  (the gateway's clawdbot.json is there)`);

    const w = await cli(home, ['models', 'auth', 'paste-token', '--agent', 'ops', '--profile-id', 'anthropic:work'], s('oat'));
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/uses JSON5 syntax .* rewritten as plain JSON .* kept as clawdbot\.json\.bak/);
    expect(fs.readFileSync(path.join(state, 'clawdbot.json.bak'), 'utf8')).toBe(JSON5_CONFIG);
    const cfg = readJson(path.join(state, 'clawdbot.json'));
    expect(cfg.gateway).toEqual({ port: 18789 });
    expect(cfg.agents.list).toEqual([
      { id: 'main', default: true },
      { id: 'ops', agentDir: '~/ops-agent' },
    ]);
    expect(cfg.auth.profiles['anthropic:work']).toEqual({ provider: 'anthropic', mode: 'token' });
    const store = readJson(path.join(home, 'ops-agent', 'auth-profiles.json'));
    expect(Object.keys(store.profiles).sort()).toEqual(['anthropic:default', 'anthropic:work']);
    expect(readJson(path.join(home, 'ops-agent', 'clawdia-checks.json')).checks['anthropic:work'].verdict).toBe('valid');
    expect(fs.existsSync(path.join(state, 'agents', 'ops'))).toBe(false);
  });

  it('$CLAWDBOT_STATE_DIR is used when $CLAWDIA_STATE_DIR is not set; ~/.clawdia when neither, nor ~/.clawdbot', async () => {
    const { root, home } = gatewayHome();
    const gw = path.join(root, 'gw');
    const r = await cli(home, ['models', 'auth', 'paste-api-key', '--skip-validation'], s('api'), { CLAWDBOT_STATE_DIR: gw });
    expect(r.code).toBe(0);
    expect(readJson(path.join(gw, 'clawdbot.json')).auth.profiles['anthropic:default'].mode).toBe('api_key');
    expect(fs.existsSync(path.join(gw, 'agents', 'main', 'agent', 'auth-profiles.json'))).toBe(true);
    const own = await cli(home, ['models', 'auth', 'paste-api-key', '--skip-validation'], s('api'));
    expect(own.code).toBe(0);
    expect(fs.existsSync(path.join(home, '.clawdia', 'clawdia.json'))).toBe(true);
  });
});

describe("main's profiles in another agent's order", () => {
  it("order set takes main's profiles for another agent (the gateway merges them in); the gateway's order follows", async () => {
    const { home, state } = gatewayHome();
    fs.mkdirSync(state, { recursive: true });
    expect((await cli(home, ['models', 'auth', 'paste-api-key', '--skip-validation'], s('api'))).code).toBe(0);
    expect((await cli(home, ['models', 'auth', 'paste-api-key', '--skip-validation', '--agent', 'ops', '--profile-id', 'anthropic:ops'], s('api'))).code).toBe(
      0,
    );
    let j = JSON.parse((await cli(home, ['models', 'status', '--agent', 'ops', '--json'])).stdout);
    expect(j.gateway.order.anthropic).toEqual(['anthropic:ops']); // its own order leaves main's key out
    const r = await cli(home, ['models', 'auth', 'order', 'set', '--provider', 'anthropic', '--agent', 'ops', 'anthropic:ops', 'anthropic:default']);
    expect(r.code).toBe(0);
    j = JSON.parse((await cli(home, ['models', 'status', '--agent', 'ops', '--json'])).stdout);
    expect(j.gateway.order.anthropic).toEqual(['anthropic:ops', 'anthropic:default']);
    expect(j.auth.profiles.find((p: { profileId: string }) => p.profileId === 'anthropic:default')).toMatchObject({
      origin: 'main',
      gateway: { tried: true, rank: 1 },
    });
    const bad = await cli(home, ['models', 'auth', 'order', 'set', '--provider', 'anthropic', '--agent', 'ops', 'anthropic:nowhere']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Not in agent ops's store nor in main's: anthropic:nowhere.");
  });
});

describe('a setup-token survives the gateway', () => {
  it('with a Claude Code login on the host it is stored as anthropic:setup-token, first, declared "token", and says why', async () => {
    const { home, state } = gatewayHome();
    fs.mkdirSync(state, { recursive: true });
    writeJson(path.join(home, '.claude', '.credentials.json'), {
      claudeAiOauth: { accessToken: s('oat'), refreshToken: 'sk-ant-ort01-x', expiresAt: Date.now() + 8 * 3600_000 },
    });
    expect((await cli(home, ['models', 'auth', 'paste-api-key'], s('api'))).code).toBe(0);
    const r = await cli(home, ['models', 'auth', 'paste-token'], s('oat'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Stored as anthropic:setup-token, not anthropic:claude-cli: this host has a Claude Code login/);
    expect(r.stdout).toContain('Saved anthropic:setup-token for agent main');
    const store = readJson(path.join(state, 'agents', 'main', 'agent', 'auth-profiles.json'));
    expect(Object.keys(store.profiles).sort()).toEqual(['anthropic:default', 'anthropic:setup-token']);
    expect(store.order.anthropic[0]).toBe('anthropic:setup-token');
    expect(readJson(path.join(state, 'clawdbot.json')).auth.profiles['anthropic:setup-token']).toEqual({ provider: 'anthropic', mode: 'token' });
  });

  it('a setup-token already under anthropic:claude-cli is reported by status with the fix', async () => {
    const { home, state } = gatewayHome();
    writeJson(path.join(state, 'agents', 'main', 'agent', 'auth-profiles.json'), {
      version: 1,
      profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: s('oat'), expires: Date.now() + 300 * 24 * 3600_000 } },
    });
    writeJson(path.join(home, '.claude', '.credentials.json'), { claudeAiOauth: { accessToken: s('oat'), expiresAt: Date.now() + 3600_000 } });
    const r = await cli(home, ['models', 'status']);
    expect(r.stdout).toMatch(
      /warning: anthropic:claude-cli holds a setup-token; the gateway replaces that entry with Claude Code's login on its next load .*clawdia models auth paste-token --profile-id anthropic:setup-token/,
    );
  });
});

describe("clawdia's checks survive the gateway's rewrite of the store", () => {
  it('a store rewritten without `validation` still shows the last check; a replaced credential shows none', async () => {
    const { home, state } = gatewayHome();
    fs.mkdirSync(state, { recursive: true });
    expect((await cli(home, ['models', 'auth', 'paste-api-key'], s('api'))).code).toBe(0);
    const file = path.join(state, 'agents', 'main', 'agent', 'auth-profiles.json');
    // What every gateway write keeps (store.js saveAuthProfileStore): version, profiles, order, lastGood, usageStats.
    const { version, profiles, order, lastGood, usageStats } = readJson(file);
    writeJson(file, { version, profiles, order, lastGood, usageStats: { ...usageStats, 'anthropic:default': { lastUsed: Date.now() } } });
    let j = JSON.parse((await cli(home, ['models', 'status', '--json'])).stdout);
    expect(j.auth.profiles[0].lastValidation).toMatchObject({ verdict: 'valid' });
    profiles['anthropic:default'].key = s('api');
    writeJson(file, { version, profiles });
    j = JSON.parse((await cli(home, ['models', 'status', '--json'])).stdout);
    expect(j.auth.profiles[0].lastValidation).toBeNull();
    expect(readChecks(state)['anthropic:default'].verdict).toBe('valid'); // kept on disk, not shown: it was about the old key
  });

  it('an old `validation` block in the store is read, and moved beside it by the next write', async () => {
    const { home, state } = gatewayHome();
    const file = path.join(state, 'agents', 'main', 'agent', 'auth-profiles.json');
    writeJson(path.join(state, 'clawdbot.json'), { agents: { list: [{ id: 'main', default: true }] } });
    writeJson(file, {
      version: 1,
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: s('api') } },
      validation: { 'anthropic:default': { at: 1000, verdict: 'valid', requestId: 'req_old' } },
    });
    expect(JSON.parse((await cli(home, ['models', 'status', '--json'])).stdout).auth.profiles[0].lastValidation).toMatchObject({
      at: 1000,
      requestId: 'req_old',
    });
    expect((await cli(home, ['models', 'auth', 'paste-api-key', '--profile-id', 'anthropic:work'], s('api'))).code).toBe(0);
    expect(readJson(file).validation).toBeUndefined();
    expect(readChecks(state)['anthropic:default']).toMatchObject({ at: 1000, verdict: 'valid', requestId: 'req_old' });
  });
});

describe('redaction', () => {
  it('no output held a secret', () => {
    expect(findLeaks(outputs.join('\n'), secrets)).toEqual([]);
  });
});
