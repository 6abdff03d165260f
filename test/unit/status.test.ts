import { describe, expect, it } from 'vitest';
import { checkCode, computeStatus, type StatusInput } from '../../src/core/status.js';
import type { AuthStore, ClawdiaConfig } from '../../src/core/types.js';
import { makeSecret } from '../support/cli.js';

const NOW = 1_800_000_000_000;
const H = 3600_000;

function input(store: Partial<AuthStore>, config: ClawdiaConfig = {}, extra: Partial<StatusInput> = {}): StatusInput {
  return {
    agent: 'main',
    configPath: '/s/clawdia.json',
    agentDir: '/s/agents/main/agent',
    storePath: '/s/agents/main/agent/auth-profiles.json',
    config,
    store: { version: 1, profiles: {}, ...store },
    storeExists: true,
    env: {},
    now: NOW,
    ...extra,
  };
}
const key = () => ({ type: 'api_key' as const, provider: 'anthropic', key: makeSecret('api') });
const tok = (expires?: number) => ({ type: 'token' as const, provider: 'anthropic', token: makeSecret('oat'), ...(expires ? { expires } : {}) });

describe('profile state', () => {
  it('expired wins over everything', () => {
    const s = computeStatus(input({ profiles: { 'anthropic:claude-cli': tok(NOW - 1) }, usageStats: { 'anthropic:claude-cli': { cooldownUntil: NOW + H } } }));
    expect(s.auth.profiles[0]!.state).toBe('expired');
  });
  it('disabled, then cooldown', () => {
    const s = computeStatus(
      input({
        profiles: { 'anthropic:a': key(), 'anthropic:b': key() },
        usageStats: {
          'anthropic:a': { disabledUntil: NOW + H, disabledReason: 'billing', cooldownUntil: NOW + H },
          'anthropic:b': { cooldownUntil: NOW + 4 * 60_000 },
        },
      }),
    );
    // No order: listed as the gateway ranks them, cooling-down profiles last, soonest back first.
    expect(s.auth.profiles.map((p) => [p.profileId, p.state])).toEqual([
      ['anthropic:b', 'cooldown'],
      ['anthropic:a', 'disabled'],
    ]);
    expect(s.auth.unusableProfiles).toMatchObject([
      { profileId: 'anthropic:b', kind: 'cooldown', reason: 'rate_limit', remainingMs: 4 * 60_000 },
      { profileId: 'anthropic:a', kind: 'disabled', reason: 'billing' },
    ]);
    expect(checkCode(s)).toBe(1);
  });
  it('maps the last validation', () => {
    const verdicts = ['valid', 'invalid', 'forbidden', 'rate_limited', 'unavailable', 'offline', 'unverified'] as const;
    const profiles = Object.fromEntries(verdicts.map((v) => [`anthropic:${v.replace('_', '-')}`, key()]));
    const validation = Object.fromEntries(verdicts.map((v) => [`anthropic:${v.replace('_', '-')}`, { at: NOW - H, verdict: v }]));
    const s = computeStatus(input({ profiles, validation }));
    expect(s.auth.profiles.map((p) => p.state)).toEqual(['ok', 'invalid', 'invalid', 'cooldown', 'unverified', 'unverified', 'unverified']);
  });
  // Issue 10 (newer than SPEC §9's 1 h for OAuth): 24 h for tokens and OAuth logins alike, as the
  // gateway's own `models status` (auth-health.js DEFAULT_OAUTH_WARN_MS).
  it('no validation ever → ok; expiring within 24 h for tokens and OAuth logins', () => {
    const s = computeStatus(
      input({
        profiles: {
          'anthropic:t1': tok(NOW + 23 * H),
          'anthropic:t2': tok(NOW + 25 * H),
          'anthropic:o1': { type: 'oauth', provider: 'anthropic', access: makeSecret('oat'), expires: NOW + 2 * H },
          'anthropic:o2': { type: 'oauth', provider: 'anthropic', access: makeSecret('oat'), expires: NOW + 30 * 60_000 },
        },
      }),
    );
    expect(Object.fromEntries(s.auth.profiles.map((p) => [p.profileId, p.state]))).toEqual({
      'anthropic:t1': 'expiring',
      'anthropic:t2': 'ok',
      'anthropic:o1': 'expiring',
      'anthropic:o2': 'expiring',
    });
    expect(checkCode(s)).toBe(2);
  });
  it('a probe verdict overrides the recorded one', () => {
    const s = computeStatus(
      input(
        { profiles: { 'anthropic:default': key() }, validation: { 'anthropic:default': { at: 0, verdict: 'valid' } } },
        {},
        { probes: { 'anthropic:default': { verdict: 'invalid', requestId: 'req_1', ms: 12 } } },
      ),
    );
    expect(s.auth.profiles[0]).toMatchObject({ state: 'invalid', probe: { verdict: 'invalid', requestId: 'req_1' } });
  });
  it('a profile in the order but absent from the store is missing; declared-only is not', () => {
    const s = computeStatus(
      input(
        { profiles: { 'anthropic:default': key() }, order: { anthropic: ['anthropic:gone', 'anthropic:default'] } },
        { auth: { profiles: { 'anthropic:other': { provider: 'anthropic', mode: 'api_key' } } } },
      ),
    );
    expect(s.auth.profiles.map((p) => [p.profileId, p.state])).toEqual([
      ['anthropic:gone', 'missing'],
      ['anthropic:default', 'ok'],
    ]);
    expect(s.auth.activeProfile.anthropic).toBe('anthropic:default');
    expect(checkCode(s)).toBe(1);
  });
  it('a token in an id declared api_key is not eligible, and says why', () => {
    const s = computeStatus(
      input({ profiles: { 'anthropic:default': tok() } }, { auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } }),
    );
    expect(s.auth.profiles[0]!.state).toBe('invalid');
    expect(s.auth.profiles[0]!.problem).toMatch(/not eligible/);
  });
});

describe('order, active profile, env shadowing', () => {
  it("the store's order wins over the config's", () => {
    const s = computeStatus(
      input(
        { profiles: { 'anthropic:a': key(), 'anthropic:b': key() }, order: { anthropic: ['anthropic:b', 'anthropic:a'] } },
        { auth: { order: { anthropic: ['anthropic:a', 'anthropic:b'] } } },
      ),
    );
    expect(s.auth.order.anthropic).toEqual(['anthropic:b', 'anthropic:a']);
    expect(s.auth.activeProfile.anthropic).toBe('anthropic:b');
  });
  it('the active profile is the first usable one', () => {
    const s = computeStatus(input({ profiles: { 'anthropic:a': tok(NOW - 1), 'anthropic:b': key() }, order: { anthropic: ['anthropic:a', 'anthropic:b'] } }));
    expect(s.auth.activeProfile.anthropic).toBe('anthropic:b');
  });
  it('env vars are reported, fingerprinted, with what the gateway does with them (clawdbot 2026.1.24: profiles first)', () => {
    const envKey = makeSecret('api');
    const envTok = makeSecret('oat');
    const s = computeStatus(
      input(
        { profiles: { 'anthropic:claude-cli': tok(), 'anthropic:default': key() } },
        {},
        { env: { ANTHROPIC_API_KEY: envKey, CLAUDE_CODE_OAUTH_TOKEN: envTok, ANTHROPIC_AUTH_TOKEN: '' } },
      ),
    );
    // A stored profile resolves: ANTHROPIC_API_KEY is only the gateway's last resort; it never reads
    // CLAUDE_CODE_OAUTH_TOKEN (Claude Code's own). Neither shadows a profile.
    expect(s.auth.env).toEqual([
      { name: 'ANTHROPIC_API_KEY', fingerprint: expect.stringContaining(envKey.slice(-4)), shadows: null, use: 'fallback' },
      { name: 'CLAUDE_CODE_OAUTH_TOKEN', fingerprint: expect.stringContaining(envTok.slice(-4)), shadows: null, use: 'ignored' },
    ]);
    expect(s.auth.warnings.some((w) => w.startsWith('ANTHROPIC_API_KEY') || w.startsWith('CLAUDE_CODE_OAUTH_TOKEN'))).toBe(false);
    expect(JSON.stringify(s)).not.toContain(envKey.slice(13, 40));
  });
  it('no stored profile: the gateway uses ANTHROPIC_OAUTH_TOKEN, else ANTHROPIC_API_KEY, and status says so', () => {
    const both = computeStatus(input({ profiles: {} }, {}, { env: { ANTHROPIC_API_KEY: makeSecret('api'), ANTHROPIC_OAUTH_TOKEN: makeSecret('oat') } }));
    expect(both.auth.env.map((e) => [e.name, e.use])).toEqual([
      ['ANTHROPIC_OAUTH_TOKEN', 'used'],
      ['ANTHROPIC_API_KEY', 'fallback'],
    ]);
    expect(both.auth.warnings).toContainEqual(
      expect.stringMatching(/^ANTHROPIC_OAUTH_TOKEN is set .*no stored profile resolves for agent main: the gateway uses this one/),
    );
    const key1 = computeStatus(input({ profiles: {} }, {}, { env: { ANTHROPIC_API_KEY: makeSecret('api') } }));
    expect(key1.auth.env.map((e) => [e.name, e.use])).toEqual([['ANTHROPIC_API_KEY', 'used']]);
  });
  it('ANTHROPIC_AUTH_TOKEN rides along with an API key (the SDK adds it as a bearer), never with a token', () => {
    const bearer = makeSecret('oat');
    const withKey = computeStatus(input({ profiles: { 'anthropic:default': key() } }, {}, { env: { ANTHROPIC_AUTH_TOKEN: bearer } }));
    expect(withKey.auth.env).toEqual([
      { name: 'ANTHROPIC_AUTH_TOKEN', fingerprint: expect.stringContaining(bearer.slice(-4)), shadows: 'anthropic:default', use: 'alongside' },
    ]);
    expect(withKey.auth.warnings).toContainEqual(expect.stringMatching(/^ANTHROPIC_AUTH_TOKEN is set .*sent as a Bearer beside anthropic:default's key/));
    const withToken = computeStatus(input({ profiles: { 'anthropic:claude-cli': tok() } }, {}, { env: { ANTHROPIC_AUTH_TOKEN: bearer } }));
    expect(withToken.auth.env.map((e) => [e.name, e.use, e.shadows])).toEqual([['ANTHROPIC_AUTH_TOKEN', 'ignored', null]]);
    // No profile, the env API key in use: the bearer rides along with that.
    const envKey = computeStatus(input({ profiles: {} }, {}, { env: { ANTHROPIC_AUTH_TOKEN: bearer, ANTHROPIC_API_KEY: makeSecret('api') } }));
    expect(envKey.auth.env.find((e) => e.name === 'ANTHROPIC_AUTH_TOKEN')).toMatchObject({ use: 'alongside', shadows: 'ANTHROPIC_API_KEY' });
  });
});

describe('--check', () => {
  it('1 with no profiles, 0 when all good', () => {
    expect(checkCode(computeStatus(input({})))).toBe(1);
    expect(checkCode(computeStatus(input({ profiles: { 'anthropic:default': key() } })))).toBe(0);
  });
  it('1 when every profile is unusable (all cooling down)', () => {
    expect(
      checkCode(computeStatus(input({ profiles: { 'anthropic:default': key() }, usageStats: { 'anthropic:default': { cooldownUntil: NOW + 1000 } } }))),
    ).toBe(1);
  });
});
