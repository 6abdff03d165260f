// Issue 11 item 7: every path says the same true things. --auth-choice setup-token shows the
// subscription-terms note and Esc returns to the method screen; a start-up check that timed out
// says so; a 401 found at start-up and skipped stays recorded (status shows it, --check exits 1,
// the copy prompt marks it); the checking line names the server asked; plain-English errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, makeSecret, readChecks, runCli, storePath, tempState, writeJson } from '../support/cli.js';
import { bracketedPaste, ENTER, ESC } from '../support/pty.js';
import { startWizard } from './wizard-support.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

describe('every path says the same true things', () => {
  it('--auth-choice setup-token: the terms note as in the menu; Esc goes back to the method screen', async () => {
    const state = tempState();
    const p = startWizard(state, ['onboard', '--agent', 'main', '--auth-choice', 'setup-token'], { api: api.url });
    try {
      const s = await p.waitFor('Paste the code');
      expect(s.replace(/\s+/g, ' ')).toContain("Subscription credentials used outside Claude Code may be restricted by Anthropic's terms.");
      p.write(ESC);
      const m = await p.waitFor('How should agent main authenticate to Anthropic?');
      expect(m).toContain('Stopped `claude setup-token`; nothing was stored.');
    } finally {
      p.dispose();
    }
  });

  it('a start-up check that timed out says so on the method screen', async () => {
    const state = tempState();
    const key = makeSecret('api');
    api.setBehavior(key, 'hang');
    writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key } } });
    const p = startWizard(state, ['onboard', '--agent', 'main', '--timeout', '300'], { api: api.url });
    try {
      const s = await p.waitFor('How should agent main authenticate to Anthropic?');
      expect(s).toContain('(the start-up check timed out)');
    } finally {
      p.dispose();
    }
  });

  it('a 401 found at start-up and skipped stays recorded: the copy prompt marks it, status shows it, --check exits 1', async () => {
    const state = tempState();
    const bad = makeSecret('api');
    api.setBehavior(bad, 'invalid');
    writeJson(configPath(state), {
      agents: { list: [{ id: 'main', default: true }] },
      auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
    });
    writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: bad } } });
    const tok = makeSecret('oat');
    const p = startWizard(state, ['onboard'], { api: api.url });
    try {
      const fix = await p.waitFor(/Fix it\? anthropic:default/);
      expect(fix).toMatch(/2 {2}Skip/);
      p.write('2'); // skip
      await p.waitFor('Which agent is this credential for?');
      p.write('2');
      await p.waitFor('Name the new agent');
      p.write('work' + ENTER);
      await p.waitFor("Copy main's profiles into work?");
      // (The frame can arrive in more than one read: wait for the line itself.)
      await p.waitFor('anthropic:default (refused at start-up: 401)');
      p.write(ENTER); // No
      await p.waitFor('How should agent work authenticate');
      p.write('c');
      await p.waitFor('Paste the setup-token for agent work');
      p.write(bracketedPaste(tok) + ENTER);
      await p.waitFor('Next: clawdia models status --agent work');
      expect((await p.exited).exitCode).toBe(0);
    } finally {
      p.dispose();
    }
    expect(readChecks(state)['anthropic:default'].verdict).toBe('invalid');
    const st = await runCli(['models', 'status', '--check'], { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }) });
    expect(st.code).toBe(1);
    expect(st.stdout).toMatch(/state +invalid/);
    expect(st.stderr).toContain('check: main anthropic:default invalid');
  });

  it('scripted words: the server asked is named; an empty stdin and a refused check say it once, in English', async () => {
    const state = tempState();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const empty = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin'], { env, stdin: '' });
    expect(empty.stderr).toContain('stdin was empty; expected a credential.');
    const k = makeSecret('api');
    api.setBehavior(k, 'server_error');
    const r = await runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic'], { env, stdin: k });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`with ${api.url}…`);
    expect(r.stderr.match(/--save-unverified/g)).toHaveLength(1);
  });
});
