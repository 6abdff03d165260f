// The gateway's resolution rules (src/core/gateway.ts), each as clawdbot 2026.1.24 applies it
// (test/interop/gateway.test.ts checks the same against the real gateway), and how status reports them.
import { describe, expect, it } from 'vitest';
import { agentView, claudeLoginTheGatewaySyncs, configuredAgentDir, gatewayDefaultAgent, resolveGatewayView, resolveProvider } from '../../src/core/gateway.js';
import { checkCode, computeStatus, type StatusInput } from '../../src/core/status.js';
import { migrateConfig } from '../../src/core/migration.js';
import { applyCredential } from '../../src/core/save.js';
import type { AuthStore, ClawdiaConfig } from '../../src/core/types.js';
import { makeSecret } from '../support/cli.js';

const NOW = 1_800_000_000_000;
const H = 3600_000;
const key = () => ({ type: 'api_key' as const, provider: 'anthropic', key: makeSecret('api') });
const tok = (expires?: number) => ({ type: 'token' as const, provider: 'anthropic', token: makeSecret('oat'), ...(expires ? { expires } : {}) });
const oauth = (expires: number) => ({ type: 'oauth' as const, provider: 'anthropic', access: makeSecret('oat'), refresh: makeSecret('ort'), expires });
const store = (s: Partial<AuthStore>): AuthStore => ({ version: 1, profiles: {}, ...s });

describe('order (order.js resolveAuthProfileOrder)', () => {
  it('an explicit order locks rotation: a profile left out is never tried', () => {
    const r = resolveProvider(
      {},
      store({ profiles: { 'anthropic:a': key(), 'anthropic:b': tok(NOW + 100 * H) }, order: { anthropic: ['anthropic:a'] } }),
      'anthropic',
      NOW,
    );
    expect(r.order).toEqual(['anthropic:a']);
    expect(r.active).toBe('anthropic:a');
    expect(r.profiles.find((p) => p.profileId === 'anthropic:b')).toMatchObject({ eligible: false, why: 'not-in-order' });
  });
  it("the store's order wins over the config's", () => {
    const r = resolveProvider(
      { auth: { order: { anthropic: ['anthropic:a'] } } },
      store({ profiles: { 'anthropic:a': key(), 'anthropic:b': key() }, order: { anthropic: ['anthropic:b'] } }),
      'anthropic',
      NOW,
    );
    expect([r.orderSource, r.order]).toEqual(['store', ['anthropic:b']]);
  });
  it('no order: oauth > token > api_key, then least recently used', () => {
    const s = store({
      profiles: { 'anthropic:default': key(), 'anthropic:t1': tok(NOW + 100 * H), 'anthropic:t2': tok(NOW + 100 * H), 'anthropic:o': oauth(NOW + 100 * H) },
      usageStats: { 'anthropic:t1': { lastUsed: NOW - 1000 }, 'anthropic:t2': { lastUsed: NOW - 5000 } },
    });
    const r = resolveProvider({}, s, 'anthropic', NOW);
    expect(r.orderSource).toBe('rank');
    expect(r.order).toEqual(['anthropic:o', 'anthropic:t2', 'anthropic:t1', 'anthropic:default']);
  });
  it('no order but declared profiles: only the declared ones are tried', () => {
    const cfg: ClawdiaConfig = { auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } };
    const r = resolveProvider(cfg, store({ profiles: { 'anthropic:default': key(), 'anthropic:claude-cli': oauth(NOW + 5 * H) } }), 'anthropic', NOW);
    expect(r.order).toEqual(['anthropic:default']);
    expect(r.profiles.find((p) => p.profileId === 'anthropic:claude-cli')!.why).toBe('not-declared');
  });
  it('declared mode must fit: "oauth" takes a token, "token" does not take an oauth login', () => {
    const cfg: ClawdiaConfig = {
      auth: { profiles: { 'anthropic:a': { provider: 'anthropic', mode: 'oauth' }, 'anthropic:b': { provider: 'anthropic', mode: 'token' } } },
    };
    const r = resolveProvider(cfg, store({ profiles: { 'anthropic:a': tok(NOW + 100 * H), 'anthropic:b': oauth(NOW + 100 * H) } }), 'anthropic', NOW);
    expect(r.order).toEqual(['anthropic:a']);
    expect(r.profiles.find((p) => p.profileId === 'anthropic:b')!.why).toBe('mode-mismatch');
  });
  it('an expired token is skipped; an expired OAuth login is still tried (the gateway refreshes it)', () => {
    const r = resolveProvider({}, store({ profiles: { 'anthropic:t': tok(NOW - 1), 'anthropic:o': oauth(NOW - 1) } }), 'anthropic', NOW);
    expect(r.order).toEqual(['anthropic:o']);
    expect(r.profiles.find((p) => p.profileId === 'anthropic:t')!.why).toBe('expired');
  });
  it('cooling-down or disabled profiles go last, soonest back first; the active one is the first not cooling down', () => {
    const s = store({
      profiles: { 'anthropic:a': key(), 'anthropic:b': key(), 'anthropic:c': key() },
      order: { anthropic: ['anthropic:a', 'anthropic:b', 'anthropic:c'] },
      usageStats: { 'anthropic:a': { disabledUntil: NOW + 2 * H }, 'anthropic:b': { cooldownUntil: NOW + H } },
    });
    const r = resolveProvider({}, s, 'anthropic', NOW);
    expect(r.order).toEqual(['anthropic:c', 'anthropic:b', 'anthropic:a']);
    expect(r.active).toBe('anthropic:c');
  });
  it('every profile cooling down: none active', () => {
    const r = resolveProvider({}, store({ profiles: { 'anthropic:a': key() }, usageStats: { 'anthropic:a': { cooldownUntil: NOW + H } } }), 'anthropic', NOW);
    expect([r.order, r.active]).toEqual([['anthropic:a'], null]);
  });
  it('expiring: oauth and token within 24 h', () => {
    const r = resolveProvider(
      {},
      store({ profiles: { 'anthropic:o': oauth(NOW + 8 * H), 'anthropic:t': tok(NOW + 25 * H), 'anthropic:k': key() } }),
      'anthropic',
      NOW,
    );
    expect(Object.fromEntries(r.profiles.map((p) => [p.profileId, p.expiring]))).toEqual({ 'anthropic:o': true, 'anthropic:t': false, 'anthropic:k': false });
  });
});

describe("main's store in every agent's view (store.js ensureAuthProfileStore)", () => {
  const main = store({ profiles: { 'anthropic:default': key() } });
  it("an agent with its own store sees main's profiles merged under its own", () => {
    const v = agentView({ store: store({ profiles: { 'anthropic:work': tok(NOW + 100 * H) } }), isMainStore: false }, main);
    expect(v.inheritance).toBe('merged');
    expect(v.origin).toEqual({ 'anthropic:default': 'main', 'anthropic:work': 'own' });
  });
  it("an agent without a store gets a copy of main's", () => {
    const v = agentView({ store: null, isMainStore: false }, main);
    expect([v.inheritance, Object.keys(v.store.profiles)]).toEqual(['clone', ['anthropic:default']]);
  });
  it("the agent's own order and usage stats win over main's", () => {
    const own = store({ profiles: { 'anthropic:work': key() }, order: { anthropic: ['anthropic:work'] } });
    const g = resolveGatewayView({ config: {}, agents: { ops: { store: own, isMainStore: false }, main: { store: main, isMainStore: true } }, main, now: NOW });
    expect(g.ops!.providers.anthropic!.order).toEqual(['anthropic:work']);
    expect(g.main!.providers.anthropic!.active).toBe('anthropic:default');
  });
  it('the stored fields the gateway drops on its next write are not in the view', () => {
    const v = agentView(
      { store: store({ profiles: { 'anthropic:a': key() }, validation: { 'anthropic:a': { at: 1, verdict: 'valid' } } }), isMainStore: true },
      null,
    );
    expect(Object.keys(v.store)).not.toContain('validation');
  });
});

describe('declared modes', () => {
  it('a setup-token under its own id is declared "token"; anthropic:claude-cli stays "oauth" (the gateway fills it with an OAuth login)', () => {
    const config: ClawdiaConfig = {};
    const s = store({});
    applyCredential(config, s, { agentId: 'main', profileId: 'anthropic:setup-token', credential: tok(NOW + 100 * H), validation: null });
    applyCredential(config, s, { agentId: 'main', profileId: 'anthropic:claude-cli', credential: tok(NOW + 100 * H), validation: null });
    expect(config.auth!.profiles).toEqual({
      'anthropic:setup-token': { provider: 'anthropic', mode: 'token' },
      'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' },
    });
  });
  it("the token → oauth migration touches anthropic:claude-cli only, as the gateway's own (legacy.migrations.part-3.js)", () => {
    const { config, migrated } = migrateConfig({
      auth: {
        profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'token' }, 'anthropic:setup-token': { provider: 'anthropic', mode: 'token' } },
      },
    });
    expect(migrated).toEqual(['anthropic:claude-cli']);
    expect(config.auth!.profiles!['anthropic:setup-token']!.mode).toBe('token');
  });
  it('an explicit order stays locked when a profile is replaced or added', () => {
    const config: ClawdiaConfig = {};
    const s = store({ profiles: { 'anthropic:a': key(), 'anthropic:b': key(), 'anthropic:c': key() }, order: { anthropic: ['anthropic:b', 'anthropic:a'] } });
    applyCredential(config, s, { agentId: 'main', profileId: 'anthropic:a', credential: key(), validation: null });
    expect(s.order!.anthropic).toEqual(['anthropic:b', 'anthropic:a']); // c stays out
    applyCredential(config, s, { agentId: 'main', profileId: 'anthropic:d', credential: key(), validation: null });
    expect(s.order!.anthropic).toEqual(['anthropic:d', 'anthropic:b', 'anthropic:a']);
  });
});

describe('agents and Claude Code (agent-scope.js, cli-credentials.js)', () => {
  it('default agent: the first default:true, else the first listed, else main', () => {
    expect(gatewayDefaultAgent({})).toBe('main');
    expect(gatewayDefaultAgent({ agents: { list: [{ id: 'ops' }, { id: 'main' }] } })).toBe('ops');
    expect(gatewayDefaultAgent({ agents: { list: [{ id: 'ops' }, { id: 'main', default: true }] } })).toBe('main');
  });
  it('listing a first agent other than main keeps main listed first, as the default (an empty list means main)', () => {
    const config: ClawdiaConfig = {};
    applyCredential(config, store({}), { agentId: 'ops', profileId: 'anthropic:default', credential: key(), validation: null });
    expect(config.agents!.list).toEqual([{ id: 'main', default: true }, { id: 'ops' }]);
    expect(gatewayDefaultAgent(config)).toBe('main');
  });
  it('agentDir from agents.list, trimmed', () => {
    expect(configuredAgentDir({ agents: { list: [{ id: 'ops', agentDir: '  ~/ops-agent ' }] } }, 'ops')).toBe('~/ops-agent');
    expect(configuredAgentDir({ agents: { list: [{ id: 'ops' }] } }, 'ops')).toBeNull();
  });
  it('a Claude Code login the gateway syncs: accessToken and a positive expiresAt', () => {
    expect(claudeLoginTheGatewaySyncs(JSON.stringify({ claudeAiOauth: { accessToken: 'x', refreshToken: 'y', expiresAt: 5 } }))).toEqual({
      type: 'oauth',
      expires: 5,
    });
    expect(claudeLoginTheGatewaySyncs(JSON.stringify({ claudeAiOauth: { accessToken: 'x', expiresAt: 5 } }))).toEqual({ type: 'token', expires: 5 });
    expect(claudeLoginTheGatewaySyncs(JSON.stringify({ claudeAiOauth: { accessToken: 'x' } }))).toBeNull();
    expect(claudeLoginTheGatewaySyncs('{')).toBeNull();
    expect(claudeLoginTheGatewaySyncs(null)).toBeNull();
  });
});

function input(agent: string, own: Partial<AuthStore> | null, main: Partial<AuthStore> | null, config: ClawdiaConfig = {}): StatusInput {
  return {
    agent,
    configPath: '/s/clawdbot.json',
    agentDir: `/s/agents/${agent}/agent`,
    storePath: `/s/agents/${agent}/agent/auth-profiles.json`,
    config,
    store: store(own ?? {}),
    storeExists: own !== null,
    env: {},
    now: NOW,
    mainStore: main ? store(main) : null,
    isMainStore: agent === 'main',
  };
}

describe('status says what the gateway does, and what to do about it', () => {
  it("an agent with no store of its own: active is main's profile, --check 0, and the advice names both", () => {
    const s = computeStatus(input('ops', null, { profiles: { 'anthropic:default': key() } }));
    expect(s.auth.activeProfile.anthropic).toBe('anthropic:default');
    expect(s.auth.profiles[0]).toMatchObject({ profileId: 'anthropic:default', origin: 'clone', state: 'ok' });
    expect(s.gateway!.inheritance).toBe('clone');
    expect(checkCode(s)).toBe(0);
    expect(s.auth.warnings.join('\n')).toMatch(
      /copies main's into it .* uses main's anthropic:default\. To give it its own credential instead: clawdia onboard --agent ops/,
    );
  });
  it('an api_key + token store without an order: the gateway uses the token (type rank), not the first stored', () => {
    const s = computeStatus(input('main', { profiles: { 'anthropic:default': key(), 'anthropic:setup-token': tok(NOW + 100 * 24 * H) } }, null));
    expect(s.auth.activeProfile.anthropic).toBe('anthropic:setup-token');
    expect(s.gateway!.orderSource.anthropic).toBe('rank');
  });
  it('a usable profile left out of the order is reported with the order command', () => {
    const s = computeStatus(
      input('main', { profiles: { 'anthropic:default': key(), 'anthropic:work': key() }, order: { anthropic: ['anthropic:default'] } }, null),
    );
    expect(s.auth.profiles.find((p) => p.profileId === 'anthropic:work')!.gateway).toEqual({ tried: false, rank: null, notTried: 'not-in-order' });
    expect(s.auth.warnings.join('\n')).toContain('clawdia models auth order set --provider anthropic anthropic:default anthropic:work');
  });
  it('every usable profile left out of the order: --check 1', () => {
    const s = computeStatus(input('main', { profiles: { 'anthropic:default': key() }, order: { anthropic: ['anthropic:gone'] } }, null));
    expect(s.auth.activeProfile.anthropic).toBeNull();
    expect(checkCode(s)).toBe(1);
  });
  it('a setup-token still under anthropic:claude-cli (the old rule) is reported with the fix', () => {
    const s = computeStatus({
      ...input('main', { profiles: { 'anthropic:claude-cli': tok(NOW + 100 * 24 * H) } }, null),
      claudeLogin: { type: 'oauth', expires: NOW + H },
    });
    expect(s.auth.warnings.join('\n')).toMatch(
      /anthropic:claude-cli holds a setup-token; the gateway replaces .* on its next load .*paste-token --profile-id anthropic:setup-token/,
    );
  });
  it("the gateway's first profile is one clawdia's last check found invalid: status says both", () => {
    const s = computeStatus(
      input('main', { profiles: { 'anthropic:default': key() }, validation: { 'anthropic:default': { at: NOW - H, verdict: 'invalid' } } }, null),
    );
    expect(s.auth.activeProfile.anthropic).toBe('anthropic:default');
    expect(s.auth.warnings.join('\n')).toMatch(/The gateway still uses anthropic:default first .* Fix: clawdia models auth paste-api-key/);
    expect(checkCode(s)).toBe(1);
  });
});
