// Issue 11 item 4: the credential just onboarded is the one in use, or the user is told why not.
// The wizard asks "Use the new API key first?" when copied profiles would win; scripted commands
// warn on stderr with the active profile and the exact `order set` command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, findLeaks, makeSecret, readJson, runCli, storePath, tempState, writeJson } from '../support/cli.js';
import { bracketedPaste, ENTER } from '../support/pty.js';
import { plainText, startWizard } from './wizard-support.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

/** main holds a setup-token first, then an API key. */
function seedMain(state: string): { tok: string; key: string } {
  const tok = makeSecret('oat');
  const key = makeSecret('api');
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }] },
    auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' }, 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
  });
  writeJson(storePath(state), {
    version: 1,
    profiles: {
      'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: tok, expires: Date.now() + 300 * 86_400_000 },
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key },
    },
    order: { anthropic: ['anthropic:claude-cli', 'anthropic:default'] },
  });
  return { tok, key };
}

describe('which profile the agent uses after onboarding', () => {
  it('wizard: copied profiles would win; "Use the new API key first? (Y/n)" → Y puts it first, and the summary says so', async () => {
    const state = tempState();
    const old = seedMain(state);
    const k = makeSecret('api');
    const p = startWizard(
      state,
      ['onboard', '--agent', 'work', '--copy-from', 'main', '--auth-choice', 'api-key', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '5m'],
      { api: api.url },
    );
    try {
      await p.waitFor('Paste the Anthropic API key for agent work');
      p.write(bracketedPaste(k) + ENTER);
      await p.waitFor('Check the balance too?');
      p.write(ENTER);
      await p.waitFor('Agent work already has anthropic:default.');
      p.write(ENTER); // replace the copied one
      const q = await p.waitFor('Use the new API key first? (Y/n)');
      expect(q).toContain('Agent work would go on using anthropic:claude-cli');
      p.write('y');
      await p.waitFor('clawdia models status --agent work');
      expect((await p.exited).exitCode).toBe(0);
      expect(plainText(p.output())).toContain('Agent work will now use anthropic:default, the new API key.');
      const work = readJson(storePath(state, 'work'));
      expect(work.order.anthropic).toEqual(['anthropic:default', 'anthropic:claude-cli']);
      expect(work.profiles['anthropic:default'].key).toBe(k);
      expect(findLeaks(p.output(), [k, old.tok, old.key])).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('wizard: n keeps the copied order; the first line says which profile is used and the command', async () => {
    const state = tempState();
    seedMain(state);
    const p = startWizard(
      state,
      ['onboard', '--agent', 'work', '--copy-from', 'main', '--auth-choice', 'api-key', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '5m', '--yes'],
      { api: api.url },
    );
    try {
      await p.waitFor('Paste the Anthropic API key for agent work');
      p.write(bracketedPaste(makeSecret('api')) + ENTER);
      // --yes answers Y without asking.
      await p.waitFor('clawdia models status --agent work');
      expect((await p.exited).exitCode).toBe(0);
      expect(readJson(storePath(state, 'work')).order.anthropic).toEqual(['anthropic:default', 'anthropic:claude-cli']);
    } finally {
      p.dispose();
    }
    const state2 = tempState();
    seedMain(state2);
    const p2 = startWizard(
      state2,
      ['onboard', '--agent', 'work', '--copy-from', 'main', '--auth-choice', 'api-key', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '5m'],
      { api: api.url },
    );
    try {
      await p2.waitFor('Paste the Anthropic API key for agent work');
      p2.write(bracketedPaste(makeSecret('api')) + ENTER);
      await p2.waitFor('Check the balance too?');
      p2.write(ENTER);
      await p2.waitFor('Agent work already has anthropic:default.');
      p2.write(ENTER);
      await p2.waitFor('Use the new API key first? (Y/n)');
      p2.write('n');
      await p2.waitFor('Next: clawdia models status --agent work');
      expect((await p2.exited).exitCode).toBe(0);
      const text = plainText(p2.output()).replace(/\s+/g, ' ');
      expect(text).toContain('Agent work still uses anthropic:claude-cli first, not the new API key.');
      expect(text).toContain('clawdia models auth order set --provider anthropic anthropic:default anthropic:claude-cli --agent work');
      expect(readJson(storePath(state2, 'work')).order.anthropic).toEqual(['anthropic:claude-cli', 'anthropic:default']);
    } finally {
      p2.dispose();
    }
  });

  it('paste-token next to an API key: a warning names the profile now in use and the command to switch back', async () => {
    const state = tempState();
    const key = makeSecret('api');
    writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key } } });
    const tok = makeSecret('oat');
    const r = await runCli(['models', 'auth', 'paste-token', '--provider', 'anthropic'], { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }), stdin: tok });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: Agent main now uses anthropic:claude-cli instead of anthropic:default. To switch back: clawdia models auth order set --provider anthropic anthropic:default anthropic:claude-cli',
    );
    expect(findLeaks(r.stdout + r.stderr, [key, tok])).toEqual([]);
  });

  it('onboard --non-interactive with copied profiles: stderr names the active profile and the order set command', async () => {
    const state = tempState();
    seedMain(state);
    const k = makeSecret('api');
    const r = await runCli(['onboard', '--non-interactive', '--agent', 'work', '--copy-from', 'main', '--auth-choice', 'api-key', '--token-stdin'], {
      env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }),
      stdin: k,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Agent work still uses anthropic:claude-cli first, not the new API key.');
    expect(r.stderr).toContain(
      'warning: Agent work still uses anthropic:claude-cli first; anthropic:default was saved behind it. To use it first: clawdia models auth order set --provider anthropic anthropic:default anthropic:claude-cli --agent work',
    );
  });
});
