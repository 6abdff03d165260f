import { describe, expect, it } from 'vitest';
import { migrateConfig } from '../../src/core/migration.js';
import { applyCredential, applyModelSettings, clearCooldown, copyProfiles } from '../../src/core/save.js';
import { parseJsonFile } from '../../src/core/jsonc.js';
import { FileParseError } from '../../src/core/errors.js';
import type { AuthStore, ClawdiaConfig } from '../../src/core/types.js';
import { makeSecret } from '../support/cli.js';

describe('migrateConfig', () => {
  it('turns mode "token" into "oauth" and keeps everything else', () => {
    const cfg = { auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'token' as const, note: 'x' } } }, extra: 1 };
    const { config, migrated } = migrateConfig(cfg);
    expect(migrated).toEqual(['anthropic:claude-cli']);
    expect(config).toEqual({ auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth', note: 'x' } } }, extra: 1 });
    expect(cfg.auth.profiles['anthropic:claude-cli'].mode).toBe('token'); // pure: input untouched
  });
  it('is a no-op on a current config', () => {
    expect(migrateConfig({}).migrated).toEqual([]);
  });
});

describe('parseJsonFile', () => {
  it('accepts comments and trailing commas in the config', () => {
    expect(parseJsonFile('{ // c\n "a": 1, /* x */ }', 'f', { comments: true })).toEqual({ a: 1 });
  });
  it('names line and column, never the text', () => {
    const secret = makeSecret('api');
    try {
      parseJsonFile(`{\n  "key": "${secret}"\n  "x": 1\n}`, '/s/f.json', { comments: false });
      throw new Error('no throw');
    } catch (e) {
      expect(e).toBeInstanceOf(FileParseError);
      expect((e as FileParseError).message).toMatch(/^\/s\/f\.json:3:3: /);
      expect((e as Error).message).not.toContain(secret.slice(13));
    }
  });
});

describe('applyCredential', () => {
  const fresh = (): { config: ClawdiaConfig; store: AuthStore } => ({ config: {}, store: { version: 1, profiles: {} } });
  it('stores, declares (token as oauth), lists the agent and puts a new profile first', () => {
    const { config, store } = fresh();
    applyCredential(config, store, {
      agentId: 'main',
      profileId: 'anthropic:default',
      credential: { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
      validation: null,
    });
    applyCredential(config, store, {
      agentId: 'main',
      profileId: 'anthropic:claude-cli',
      credential: { type: 'token', provider: 'anthropic', token: makeSecret('oat') },
      validation: { at: 1, verdict: 'valid' },
    });
    expect(config.auth?.profiles).toEqual({
      'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
      'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' },
    });
    expect(config.agents?.list).toEqual([{ id: 'main', default: true }]);
    expect(store.order?.anthropic).toEqual(['anthropic:claude-cli', 'anthropic:default']);
  });
  it('replacing keeps the place in order and clears cooldown and last error', () => {
    const { config, store } = fresh();
    for (const id of ['anthropic:a', 'anthropic:b']) {
      applyCredential(config, store, {
        agentId: 'main',
        profileId: id,
        credential: { type: 'token', provider: 'anthropic', token: makeSecret('oat') },
        validation: null,
      });
    }
    store.usageStats!['anthropic:a'] = { cooldownUntil: 99, errorCount: 3, lastUsed: 5, failureCounts: { rate_limit: 3 } };
    const r = applyCredential(config, store, {
      agentId: 'main',
      profileId: 'anthropic:a',
      credential: { type: 'token', provider: 'anthropic', token: makeSecret('oat') },
      validation: null,
    });
    expect(r.replaced).toBe(true);
    expect(store.order?.anthropic).toEqual(['anthropic:b', 'anthropic:a']);
    expect(store.usageStats!['anthropic:a']).toEqual({ lastUsed: 5, errorCount: 0 });
  });
  it('refuses a token into an id declared api_key', () => {
    const { config, store } = fresh();
    config.auth = { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } };
    expect(() =>
      applyCredential(config, store, {
        agentId: 'main',
        profileId: 'anthropic:default',
        credential: { type: 'token', provider: 'anthropic', token: makeSecret('oat') },
        validation: null,
      }),
    ).toThrow(/will not store a token/);
  });
});

describe('settings and helpers', () => {
  it('1h writes cacheControlTtl; 5m removes it; the beta list keeps what clawdia needs', () => {
    const config: ClawdiaConfig = { models: { providers: { anthropic: { headers: { 'anthropic-beta': 'foo-1' } } } } };
    const r = applyModelSettings(config, { model: 'claude-opus-4-5', cacheTtl: '1h' });
    expect(config.agents?.defaults?.models?.['anthropic/claude-opus-4-5']?.params).toEqual({ cacheControlTtl: '1h' });
    expect(r.betaKept).toEqual(['extended-cache-ttl-2025-04-11']);
    expect(config.models?.providers?.anthropic?.headers?.['anthropic-beta']).toBe('foo-1,extended-cache-ttl-2025-04-11');
    applyModelSettings(config, { cacheTtl: '5m' });
    expect(config.agents?.defaults?.models).toBeUndefined();
  });
  it('clearCooldown and copyProfiles', () => {
    const from: AuthStore = {
      version: 1,
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'k' } },
      order: { anthropic: ['anthropic:default'] },
    };
    const to: AuthStore = { version: 1, profiles: {}, usageStats: { 'anthropic:x': { cooldownUntil: 5 } } };
    expect(copyProfiles(from, to)).toEqual(['anthropic:default']);
    expect(clearCooldown(to)).toEqual(['anthropic:x']);
  });
});
