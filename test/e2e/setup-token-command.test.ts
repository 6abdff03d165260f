// `clawdia models auth setup-token` end to end (SPEC §6.2 outside the wizard): in a pty with the
// fixture `claude` — URL, masked code, captured token validated and stored; the child's OAuth
// error in clawdia's words; a child that fails; replacing asks unless --yes; no terminal and no
// `claude` are refused with the paste-token alternative.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, findLeaks, makeSecret, readJson, runCli, snapshot, storePath, tempState, writeJson } from '../support/cli.js';
import { ENTER, ESC } from '../support/pty.js';
import { pathWithoutClaude, plainText, restored, startWizard } from './wizard-support.js';

const DAY = 86_400_000;
let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

describe('clawdia models auth setup-token', () => {
  it('shows the URL whole, takes the code masked, validates and stores the captured token (duration from the child)', async () => {
    const state = tempState();
    const tok = makeSecret('oat');
    const p = startWizard(state, ['models', 'auth', 'setup-token', '--agent', 'ops'], {
      api: api.url,
      env: { CLAUDE_FIXTURE_TOKEN: tok, CLAUDE_FIXTURE_DURATION: '30 days' },
    });
    try {
      const s = await p.waitFor('2. Paste the code the page shows you');
      expect(s).toContain('models auth setup-token  ·  agent ops');
      expect(s).toContain('Esc or Ctrl-C stops `claude` (nothing is stored).');
      // The URL is a write of its own above the app: it can trail the frame that points to it by a read.
      await p.waitForOutput(/\nhttps:\/\/claude\.ai\/oauth\/authorize\?\S+\r?\n/);
      expect(plainText(p.output())).toMatch(/\nhttps:\/\/claude\.ai\/oauth\/authorize\?\S+\r?\n/);
      p.write('short');
      p.write(ENTER);
      await p.waitFor("Claude Code did not accept the code: That doesn't look like the full code.");
      p.write('abc#def');
      await p.waitFor('•••••••');
      expect(p.screen()).not.toContain('abc#def');
      p.write(ENTER);
      await p.waitFor('clawdia models status --agent ops', 12_000);
      expect((await p.exited).exitCode).toBe(0);
      expect(plainText(p.output())).toContain('Saved anthropic:claude-cli for agent ops');
      const s2 = readJson(storePath(state, 'ops'));
      expect(s2.profiles['anthropic:claude-cli'].token).toBe(tok);
      expect(Math.abs(s2.profiles['anthropic:claude-cli'].expires - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
      expect(readJson(configPath(state)).auth.profiles['anthropic:claude-cli'].mode).toBe('oauth');
      expect(findLeaks(p.output(), [tok])).toEqual([]);
      expect(restored(p.output())).toBe(true);
    } finally {
      p.dispose();
    }
  });

  it("the child's OAuth error is shown in clawdia's words; Esc stops it, nothing is written (130)", async () => {
    const state = tempState();
    const p = startWizard(state, ['models', 'auth', 'setup-token'], { api: api.url, env: { CLAUDE_FIXTURE_MODE: 'oauth-error' } });
    try {
      await p.waitFor('2. Paste the code the page shows you');
      p.write('abc#def' + ENTER);
      const s = await p.waitFor('Sign-in failed: no network connection to the sign-in service');
      expect(s).toContain('ENOTFOUND');
      expect(s).toContain('Press Enter to try again, or Esc to stop');
      p.write(ESC);
      await p.waitFor('Cancelled. Nothing was written.');
      expect((await p.exited).exitCode).toBe(130);
      expect(fs.existsSync(state)).toBe(false);
    } finally {
      p.dispose();
    }
  });

  it('a child that fails ends the command (exit 1) with the reason and the paste-token alternative', async () => {
    const state = tempState();
    const p = startWizard(state, ['models', 'auth', 'setup-token'], { api: api.url, env: { CLAUDE_FIXTURE_MODE: 'fail' } });
    try {
      await p.waitFor(/exited with code 1 before printing a token/);
      expect((await p.exited).exitCode).toBe(1);
      expect(plainText(p.output())).toMatch(/paste/i);
      expect(fs.existsSync(state)).toBe(false);
    } finally {
      p.dispose();
    }
  });

  it('an existing anthropic:claude-cli is replaced only after asking, naming its fingerprint', async () => {
    const state = tempState();
    const old = makeSecret('oat');
    writeJson(configPath(state), {
      agents: { list: [{ id: 'main', default: true }] },
      auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' } } },
    });
    writeJson(storePath(state), {
      version: 1,
      profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: old, expires: Date.now() + DAY } },
    });
    const tok = makeSecret('oat');
    const p = startWizard(state, ['models', 'auth', 'setup-token'], { api: api.url, env: { CLAUDE_FIXTURE_TOKEN: tok } });
    try {
      await p.waitFor('2. Paste the code');
      p.write('abc#def' + ENTER);
      const q = await p.waitFor('Agent main already has anthropic:claude-cli.', 12_000);
      expect(q).toContain(`Replace anthropic:claude-cli (sk-ant-oat01-…${old.slice(-4)} (108 chars))`);
      p.write(ENTER);
      await p.waitFor('clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      expect(readJson(storePath(state)).profiles['anthropic:claude-cli'].token).toBe(tok);
      expect(findLeaks(p.output(), [tok, old])).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('without a terminal: refused at once with the paste-token form', async () => {
    const state = tempState();
    const r = await runCli(['models', 'auth', 'setup-token'], { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }), stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs a terminal');
    expect(r.stderr).toContain('clawdia models auth paste-token --provider anthropic');
    expect(fs.existsSync(state)).toBe(false);
  });

  it('without claude: "Claude Code CLI not found" with the install and paste hints, exit 1', async () => {
    const state = tempState();
    writeJson(configPath(state), { agents: { list: [{ id: 'main', default: true }] } });
    const before = snapshot(state);
    const p = startWizard(state, ['models', 'auth', 'setup-token'], { api: api.url, env: { PATH: pathWithoutClaude() } });
    try {
      await p.waitFor('Claude Code CLI not found');
      expect((await p.exited).exitCode).toBe(1);
      const out = plainText(p.output());
      expect(out).toContain('npm install -g @anthropic-ai/claude-code');
      expect(out).toContain('clawdia models auth paste-token');
      expect(snapshot(state)).toEqual(before);
    } finally {
      p.dispose();
    }
  });
});
