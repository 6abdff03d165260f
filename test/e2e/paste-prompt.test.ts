// End to end in a real pseudo-terminal: `paste-token` / `paste-api-key` prompt on a TTY — masked
// input, a bracketed paste of a wrapped token taken as one value, Esc/Ctrl-C writing nothing.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, findLeaks, makeSecret, readJson, storePath, tempState } from '../support/cli.js';
import { bracketedPaste, CTRL_C, ENTER, ESC, ptyEnv, spawnPty } from '../support/pty.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

function start(state: string, args: string[]) {
  return spawnPty(process.execPath, [BIN, ...args], { env: ptyEnv(baseEnv(state, { ANTHROPIC_BASE_URL: api.url })), cols: 100, rows: 30 });
}

describe('paste prompt on a terminal', () => {
  it('takes a wrapped token pasted in one go, shows only bullets and a fingerprint, stores it whole', async () => {
    const state = tempState();
    const t = makeSecret('oat');
    const p = start(state, ['models', 'auth', 'paste-token', '--provider', 'anthropic']);
    await p.waitFor('Setup-token for agent main:');
    expect(p.screen()).toMatch(/restricted by Anthropic's terms/);
    p.write(bracketedPaste(`${t.slice(0, 80)}\n${t.slice(80)}`));
    await p.waitFor(`sk-ant-oat01-…${t.slice(-4)} (108 chars) · looks complete`);
    p.write(ENTER);
    await p.waitFor('Saved anthropic:claude-cli for agent main');
    expect((await p.exited).exitCode).toBe(0);
    expect(readJson(storePath(state)).profiles['anthropic:claude-cli'].token).toBe(t);
    expect(findLeaks(p.output(), [t])).toEqual([]);
    p.dispose();
  });

  it('a paste that lands the moment the prompt appears is taken whole and never echoed', async () => {
    const state = tempState();
    const t = makeSecret('oat');
    const p = start(state, ['models', 'auth', 'paste-token', '--provider', 'anthropic']);
    await p.waitForOutput('Setup-token for agent main:');
    p.write(bracketedPaste(t) + ENTER);
    await p.waitFor('Saved anthropic:claude-cli for agent main');
    expect((await p.exited).exitCode).toBe(0);
    expect(readJson(storePath(state)).profiles['anthropic:claude-cli'].token).toBe(t);
    expect(findLeaks(p.output(), [t])).toEqual([]);
    p.dispose();
  });

  it('catches a truncated paste before any request', async () => {
    const state = tempState();
    const k = makeSecret('api');
    const p = start(state, ['models', 'auth', 'paste-api-key']);
    await p.waitFor('API key for agent main:');
    api.reset();
    p.write(bracketedPaste(k.slice(0, 50)));
    await p.waitFor('looks truncated');
    p.write(ENTER);
    await p.waitFor(/error: That looks truncated/);
    expect((await p.exited).exitCode).toBe(1);
    expect(api.requests).toEqual([]);
    expect(fs.existsSync(state)).toBe(false);
    p.dispose();
  });

  it.each([
    ['Esc', ESC],
    ['Ctrl-C', CTRL_C],
  ])('%s cancels with exit 130 and writes nothing', async (_n, key) => {
    const state = tempState();
    const p = start(state, ['models', 'auth', 'paste-token']);
    await p.waitFor('Setup-token for agent main:');
    p.write('sk-ant-oat01-abc');
    await p.waitFor('16 chars');
    p.write(key);
    await p.waitFor(/Cancelled\. Nothing was written\./);
    expect((await p.exited).exitCode).toBe(130);
    expect(fs.existsSync(state)).toBe(false);
    p.dispose();
  });
});
