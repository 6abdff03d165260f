// The config as the gateway reads it (JSON5), and edits that keep a hand-written file's comments.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileParseError } from '../../src/core/errors.js';
import { editJsonText, parseConfigText } from '../../src/core/jsonc.js';
import { locateState, statePaths } from '../../src/core/paths.js';
import { makeSecret } from '../support/cli.js';

describe('parseConfigText', () => {
  it('tells strict JSON, JSONC and JSON5 apart', () => {
    expect(parseConfigText('{"a":1}', 'f').syntax).toBe('json');
    expect(parseConfigText('{ // c\n "a": 1, }', 'f')).toEqual({ value: { a: 1 }, syntax: 'jsonc' });
    expect(parseConfigText("{ agents: { list: [{ id: 'main', default: true, },], }, n: +1, h: 0x10 }", 'f')).toEqual({
      value: { agents: { list: [{ id: 'main', default: true }] }, n: 1, h: 16 },
      syntax: 'json5',
    });
  });
  it('a JSON5 error names file:line:col and never the text', () => {
    const secret = makeSecret('api');
    try {
      parseConfigText(`{\n  key: "${secret}",\n  x: @\n}`, '/s/clawdbot.json');
      throw new Error('no throw');
    } catch (e) {
      expect(e).toBeInstanceOf(FileParseError);
      expect((e as Error).message).toMatch(/^\/s\/clawdbot\.json:3:6: not valid JSON5 \(unexpected character\)/);
      expect((e as Error).message).not.toContain(secret.slice(13));
    }
  });
});

describe('editJsonText', () => {
  it('changes only what changed: comments and untouched lines stay', () => {
    const text = '{\n  // the gateway\n  "gateway": { "port": 18789 },\n  /* auth */\n  "auth": {\n    "profiles": {}\n  }\n}\n';
    const out = editJsonText(text, { gateway: { port: 18789 }, auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } });
    expect(out).toContain('  // the gateway\n  "gateway": { "port": 18789 },\n  /* auth */\n');
    expect(parseConfigText(out, 'f').value).toEqual({
      gateway: { port: 18789 },
      auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
    });
  });
  it("removes keys and replaces arrays whole, in the file's indentation", () => {
    const text = '{\n\t"a": 1,\n\t"b": [1, 2]\n}\n';
    const out = editJsonText(text, { b: [3] });
    expect(parseConfigText(out, 'f').value).toEqual({ b: [3] });
    expect(out).toContain('\t"b"');
  });
});

describe('locateState (issue 10)', () => {
  const home = '/h';
  const none = () => false;
  it('CLAWDIA_STATE_DIR, then CLAWDBOT_STATE_DIR, then an existing ~/.clawdbot, then ~/.clawdia', () => {
    expect(locateState({ CLAWDIA_STATE_DIR: '/a', CLAWDBOT_STATE_DIR: '/b' }, home, none)).toMatchObject({
      stateDir: '/a',
      configPath: '/a/clawdia.json',
      gateway: false,
    });
    expect(locateState({ CLAWDBOT_STATE_DIR: '~/gw' }, home, none)).toMatchObject({ stateDir: '/h/gw', configPath: '/h/gw/clawdbot.json', gateway: true });
    expect(locateState({}, home, (p) => p === '/h/.clawdbot')).toMatchObject({
      stateDir: '/h/.clawdbot',
      configPath: '/h/.clawdbot/clawdbot.json',
      gateway: true,
    });
    expect(locateState({}, home, none)).toMatchObject({ stateDir: '/h/.clawdia', configPath: '/h/.clawdia/clawdia.json', gateway: false });
  });
  it("clawdbot.json in any state dir makes it a gateway's; CLAWDBOT_CONFIG_PATH names the config of a gateway state", () => {
    expect(locateState({ CLAWDIA_STATE_DIR: '/a' }, home, (p) => p === '/a/clawdbot.json')).toMatchObject({ configPath: '/a/clawdbot.json', gateway: true });
    expect(locateState({ CLAWDBOT_STATE_DIR: '/b', CLAWDBOT_CONFIG_PATH: '/etc/cb.json5' }, home, none)).toMatchObject({
      configPath: '/etc/cb.json5',
      configFrom: '$CLAWDBOT_CONFIG_PATH',
    });
    // clawdia's own state dir: the gateway's config variable does not apply.
    expect(locateState({ CLAWDIA_STATE_DIR: '/a', CLAWDBOT_CONFIG_PATH: '/etc/cb.json' }, home, none).configPath).toBe('/a/clawdia.json');
  });
  it('agents.list[].agentDir: ~ expanded, relative resolved against the working directory', () => {
    const p = statePaths(locateState({ CLAWDBOT_STATE_DIR: '/s' }, home, none));
    p.learnConfig({ agents: { list: [{ id: 'main' }, { id: 'ops', agentDir: '~/ops' }, { id: 'rel', agentDir: 'x/y' }] } });
    expect(p.storePath('main')).toBe('/s/agents/main/agent/auth-profiles.json');
    expect(p.storePath('ops')).toBe('/h/ops/auth-profiles.json');
    expect(p.agentDir('rel')).toBe(path.resolve('x/y'));
    expect(p.checksPath('ops')).toBe('/h/ops/clawdia-checks.json');
    expect(p.mainStorePath).toBe('/s/agents/main/agent/auth-profiles.json');
  });
});
