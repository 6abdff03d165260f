// `clawdia onboard` end to end, in a real pty with the built binary: the three flows a person
// finishes (first run with an API key, a second agent via `claude setup-token`, fixing an expired
// token), back navigation, a missing `claude`, a failed check then a retry, and --dry-run. Every
// test asserts on the screen, on the files written, and that no secret reached the terminal.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { configPath, findLeaks, makeSecret, readChecks, readJson, snapshot, storePath, tempState, writeJson } from '../support/cli.js';
import { bracketedPaste, DOWN, ENTER, ESC } from '../support/pty.js';
import { pathWithoutClaude, plainText, restored, startWizard } from './wizard-support.js';

const DAY = 86_400_000;
let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const wrapped = (s: string) => bracketedPaste(`${s.slice(0, 60)}\n${s.slice(60)}`);

describe('clawdia onboard (pty)', () => {
  it('first run with an API key: agent, method, masked wrapped paste, check, model, 1h cache, summary, files', async () => {
    const state = tempState();
    const k = makeSecret('api');
    const p = startWizard(state, ['onboard'], { api: api.url });
    try {
      await p.waitFor('Which agent is this credential for?');
      expect(p.screen()).toMatch(/❯ 1 {2}main \(default\)/);
      p.write(ENTER);
      const method = await p.waitFor('How should agent main authenticate to Anthropic?');
      expect(method).toMatch(/❯ A {2}Anthropic API key — recommended/);
      expect(method).toContain('Usage-based billing');
      expect(method.match(/may be restricted by Anthropic's terms/g)).toHaveLength(2); // B and C
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key for agent main');
      p.write(wrapped(k));
      await p.waitFor(`sk-ant-api03-…${k.slice(-4)} (108 chars) · looks complete`);
      p.write(ENTER);
      await p.waitFor('Check the balance too? (one billed request)');
      expect(p.screen()).toMatch(/❯ 1 {2}No — go on/);
      p.write(ENTER);
      const model = await p.waitFor('Default model — applies to all agents');
      expect(model).toContain('✔ The API key is accepted; its balance was not checked.');
      expect(model).toMatch(/❯ 1 {2}claude-opus-4-5-20251101/);
      p.write(ENTER);
      await p.waitFor('Prompt-cache TTL for anthropic/claude-opus-4-5-20251101 — applies to all agents');
      p.write(DOWN + ENTER);
      await p.waitFor('clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      const text = plainText(p.output());
      for (const want of [
        'Agent main will now use anthropic:default, the new API key.',
        'Saved anthropic:default for agent main',
        'usage-based billing',
        'Check: key accepted; balance not checked',
        'cache TTL 1h',
      ]) {
        expect(text).toContain(want);
      }
      const cfg = readJson(configPath(state));
      expect(cfg.auth.profiles['anthropic:default']).toEqual({ provider: 'anthropic', mode: 'api_key' });
      expect(cfg.agents.defaults.model.primary).toBe('anthropic/claude-opus-4-5-20251101');
      expect(cfg.agents.defaults.models['anthropic/claude-opus-4-5-20251101'].params.cacheControlTtl).toBe('1h');
      const store = readJson(storePath(state));
      expect(store.profiles['anthropic:default']).toEqual({ type: 'api_key', provider: 'anthropic', key: k });
      expect(readChecks(state)['anthropic:default'].verdict).toBe('valid');
      expect(fs.statSync(storePath(state)).mode & 0o777).toBe(0o600);
      expect(findLeaks(p.output(), [k])).toEqual([]);
      expect(restored(p.output())).toBe(true);
    } finally {
      p.dispose();
    }
  });

  it('re-onboarding: a second agent via `claude setup-token` (URL, code, captured token), main untouched, no inheritance', async () => {
    const state = tempState();
    const mainKey = makeSecret('api');
    writeJson(configPath(state), {
      agents: { list: [{ id: 'main', default: true }] },
      auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
    });
    writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: mainKey } } });
    const mainBefore = fs.readFileSync(storePath(state));
    const tok = makeSecret('oat');
    const p = startWizard(state, ['onboard'], { api: api.url, env: { CLAUDE_FIXTURE_TOKEN: tok } });
    try {
      // Look first: main's profile is checked live, then the agent picker.
      await p.waitFor('Which agent is this credential for?');
      expect(p.screen()).toContain('1 profile: anthropic:default');
      p.write(DOWN + ENTER);
      await p.waitFor('Name the new agent');
      p.write('work' + ENTER);
      await p.waitFor("Copy main's profiles into work?");
      expect(p.screen()).toMatch(/❯ 1 {2}No — work starts empty/);
      p.write(ENTER);
      await p.waitFor('How should agent work authenticate to Anthropic?');
      p.write('b');
      await p.waitFor('This step ends when the token arrives, or after 10 min.');
      await p.waitFor('2. Paste the code the page shows you');
      await p.waitForOutput(/\nhttps:\/\/claude\.ai\/oauth\/authorize\?\S+\r?\n/);
      const out = plainText(p.output());
      expect(out).toMatch(/\nhttps:\/\/claude\.ai\/oauth\/authorize\?code=true&client_id=[^\s]+state=[A-Za-z0-9_-]{43}\r?\n/);
      p.write('abc#def' + ENTER);
      await p.waitFor('clawdia models status --agent work', 15_000);
      expect((await p.exited).exitCode).toBe(0);
      const text = plainText(p.output());
      expect(text).toContain('Saved anthropic:claude-cli for agent work');
      expect(text).toMatch(/Claude\s+subscription\s+plan/);
      const work = readJson(storePath(state, 'work'));
      expect(Object.keys(work.profiles)).toEqual(['anthropic:claude-cli']);
      expect(work.profiles['anthropic:claude-cli'].type).toBe('token');
      expect(work.profiles['anthropic:claude-cli'].token).toBe(tok);
      expect(Math.abs(work.profiles['anthropic:claude-cli'].expires - (Date.now() + 365 * DAY))).toBeLessThan(60_000);
      const cfg = readJson(configPath(state));
      expect(cfg.auth.profiles['anthropic:claude-cli']).toEqual({ provider: 'anthropic', mode: 'oauth' });
      expect(cfg.agents.list.map((a: { id: string }) => a.id)).toEqual(['main', 'work']);
      expect(fs.readFileSync(storePath(state)).equals(mainBefore)).toBe(true);
      expect(findLeaks(p.output(), [tok, mainKey])).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('fix flow: an expired setup-token is offered first; a new paste keeps its id, its place in the order and the agent', async () => {
    const state = tempState();
    const oldTok = makeSecret('oat');
    const key = makeSecret('api');
    writeJson(configPath(state), {
      agents: { list: [{ id: 'main', default: true }] },
      auth: { profiles: { 'anthropic:work': { provider: 'anthropic', mode: 'oauth' }, 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
    });
    writeJson(storePath(state), {
      version: 1,
      profiles: {
        'anthropic:work': { type: 'token', provider: 'anthropic', token: oldTok, expires: Date.now() - 2 * DAY },
        'anthropic:default': { type: 'api_key', provider: 'anthropic', key },
      },
      order: { anthropic: ['anthropic:default', 'anthropic:work'] },
    });
    const tok = makeSecret('oat');
    const p = startWizard(state, ['onboard'], { api: api.url });
    try {
      const fix = await p.waitFor('Fix it? anthropic:work has expired');
      expect(fix).toContain('A fix keeps the profile id anthropic:work, its place in the order and agent main.');
      expect(fix).toContain('Run `claude setup-token` again');
      p.write(DOWN + ENTER);
      await p.waitFor('Paste the setup-token for agent main');
      p.write(wrapped(tok));
      await p.waitFor('looks complete');
      p.write(ENTER);
      await p.waitFor('clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      expect(plainText(p.output())).toContain('Replaced anthropic:work for agent main');
      const store = readJson(storePath(state));
      expect(store.profiles['anthropic:work'].token).toBe(tok);
      expect(store.profiles['anthropic:work'].expires).toBeGreaterThan(Date.now() + 364 * DAY);
      expect(store.order.anthropic).toEqual(['anthropic:default', 'anthropic:work']);
      // Look-first's live probe of the other profile is recorded with the final write.
      expect(readChecks(state)['anthropic:default'].verdict).toBe('valid');
      expect(findLeaks(p.output(), [tok, oldTok, key])).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('Esc goes back one step at a time, and quits (130) at the first, writing nothing', async () => {
    const state = tempState();
    const p = startWizard(state, ['onboard'], { api: api.url });
    try {
      await p.waitFor('Which agent is this credential for?');
      p.write(ENTER);
      await p.waitFor('How should agent main authenticate');
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key');
      p.write(ESC);
      await p.waitFor('How should agent main authenticate');
      p.write(ESC);
      await p.waitFor('Which agent is this credential for?');
      p.write(ESC);
      await p.waitFor('Cancelled. Nothing was written.');
      expect((await p.exited).exitCode).toBe(130);
      expect(fs.existsSync(state)).toBe(false);
      expect(restored(p.output())).toBe(true);
    } finally {
      p.dispose();
    }
  });

  it('the agent-name field: Ctrl-U clears it; a key pasted into it by mistake is shown masked and refused, never in clear', async () => {
    const state = tempState();
    const k = makeSecret('api');
    const p = startWizard(state, ['onboard'], { api: api.url });
    try {
      await p.waitFor('Which agent is this credential for?');
      p.write(DOWN + ENTER);
      await p.waitFor('Name the new agent');
      // Ctrl-U clears the field, as the footer says.
      p.write('xyz');
      await p.waitFor('agent id: xyz');
      p.write('\u0015');
      await p.waitFor('agent id: e.g. work');
      p.write(bracketedPaste(k));
      await p.waitFor(`sk-ant-api03-…${k.slice(-4)} (108 chars)`);
      p.write(ENTER);
      await p.waitFor('That looks like a credential');
      expect(p.screen()).toContain('not an agent id; it was not used.');
      await p.waitFor('Name the new agent');
      p.write(ESC);
      await p.waitFor('Which agent is this credential for?');
      p.write(ESC);
      expect((await p.exited).exitCode).toBe(130);
      expect(findLeaks(p.output(), [k])).toEqual([]);
      expect(fs.existsSync(state)).toBe(false);
    } finally {
      p.dispose();
    }
  });

  it('a key typed the moment the first screen appears is taken, not echoed (raw mode is on before the first frame)', async () => {
    // Ink turns raw mode on only after drawing; a key in between was cooked (Enter as \n) and lost.
    for (let i = 0; i < 8; i++) {
      const state = tempState();
      const p = startWizard(state, ['onboard'], { api: api.url });
      try {
        await p.waitForOutput('Which agent is this credential for?');
        p.write(ENTER);
        await p.waitFor('How should agent main authenticate to Anthropic?', 5000);
        // A cooked terminal echoes Enter as \r\n right after the frame's end-of-update mark.
        expect(p.output()).not.toContain('\u001b[?2026l\r\n');
      } finally {
        p.dispose();
      }
    }
  });

  it('missing claude: B says how to install it or paste instead, and cannot be chosen', async () => {
    const state = tempState();
    const p = startWizard(state, ['onboard', '--agent', 'main'], { api: api.url, env: { PATH: pathWithoutClaude() } });
    try {
      const s = await p.waitFor('How should agent main authenticate');
      expect(s).toContain('Claude Code CLI not found');
      expect(s).toContain('npm install -g @anthropic-ai/claude-code');
      p.write('b');
      p.write(DOWN + ENTER);
      await p.waitFor('Paste the setup-token for agent main');
    } finally {
      p.dispose();
    }
  });

  it('a failed check (401) is explained; paste again, then a working key is stored; an outage offers retry', async () => {
    const state = tempState();
    const bad = makeSecret('api');
    const good = makeSecret('api');
    const flaky = makeSecret('api');
    api.setBehavior(bad, 'invalid');
    api.setBehavior(flaky, 'server_error');
    const p = startWizard(state, ['onboard', '--agent', 'main', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '5m'], { api: api.url });
    try {
      await p.waitFor('How should agent main authenticate');
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key');
      p.write(bracketedPaste(bad) + ENTER);
      const v = await p.waitFor(/✘ .*(401|invalid|rejected)/i);
      expect(v).toContain('nothing was stored');
      expect(v).not.toContain('Save it anyway');
      p.write(ENTER); // Paste a different API key
      await p.waitFor('Paste the Anthropic API key');
      p.write(bracketedPaste(flaky) + ENTER);
      await p.waitFor('Try the check again');
      expect(p.screen()).toContain('Save it anyway, marked unavailable');
      api.setBehavior(flaky, 'valid');
      p.write(ENTER); // retry
      await p.waitFor('Check the balance too?');
      p.write(ENTER); // no
      await p.waitFor('clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      expect(readJson(storePath(state)).profiles['anthropic:default'].key).toBe(flaky);
      expect(findLeaks(p.output(), [bad, good, flaky])).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('--dry-run shows the whole summary and writes nothing', async () => {
    const state = tempState();
    writeJson(configPath(state), { agents: { list: [{ id: 'main', default: true }] } });
    const before = snapshot(state);
    const tok = makeSecret('oat');
    const p = startWizard(state, ['onboard', '--dry-run', '--verbose', '--agent', 'main', '--auth-choice', 'paste-token'], { api: api.url });
    try {
      const s = await p.waitFor('Paste the setup-token for agent main');
      expect(s).toContain('dry run: nothing will be written');
      p.write(bracketedPaste(tok) + ENTER);
      await p.waitFor('Run again without --dry-run');
      expect((await p.exited).exitCode).toBe(0);
      const text = plainText(p.output());
      expect(text).toContain('Dry run: nothing was written. Run again without --dry-run to save.');
      expect(text).toContain('Config that would be written:');
      expect(text).toContain('"anthropic:claude-cli": { "provider": "anthropic", "mode": "oauth" }');
      expect(snapshot(state)).toEqual(before);
    } finally {
      p.dispose();
    }
  });

  it('setup-token that times out comes back to the method step with the reason; paste is pre-selected', async () => {
    const state = tempState();
    const tok = makeSecret('oat');
    const p = startWizard(state, ['onboard', '--agent', 'main', '--setup-token-timeout', '1500'], { api: api.url, env: { CLAUDE_FIXTURE_MODE: 'hang' } });
    try {
      await p.waitFor('How should agent main authenticate');
      p.write('b');
      await p.waitFor('This step ends when the token arrives, or after 1.5 s.');
      const back = await p.waitFor('did not finish within', 8000);
      expect(back).toMatch(/❯ C {2}Paste a setup-token/);
      expect(back).toContain('You can paste a setup-token instead');
      p.write(ENTER);
      await p.waitFor('Paste the setup-token for agent main');
      p.write(bracketedPaste(tok) + ENTER);
      await p.waitFor('clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      expect(readJson(storePath(state)).profiles['anthropic:claude-cli'].token).toBe(tok);
    } finally {
      p.dispose();
    }
  });
});
