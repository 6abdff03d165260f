// Issue 11 item 3: "works" means it will work. Listing models is free and cannot see an account's
// balance, so the free check says only what it saw; one billed 1-token request can see it, offered
// in the wizard and as --check-billing / `models status --probe --spend`, and "credit balance is
// too low" is its own verdict with the fix.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, findLeaks, makeSecret, runCli, storePath, tempState, writeJson } from '../support/cli.js';
import { bracketedPaste, ENTER } from '../support/pty.js';
import { plainText, startWizard } from './wizard-support.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

describe('the billed check', () => {
  it('wizard: a key on an account without credit passes the free check; the offered billed check finds it, nothing is stored', async () => {
    const state = tempState();
    const k = makeSecret('api');
    api.setBehavior(k, 'no_credit');
    const p = startWizard(state, ['onboard', '--agent', 'main', '--auth-choice', 'api-key'], { api: api.url });
    try {
      await p.waitFor('Paste the Anthropic API key for agent main');
      p.write(bracketedPaste(k) + ENTER);
      const offer = await p.waitFor('Check the balance too? (one billed request)');
      expect(offer).toContain('costs a fraction of a cent');
      p.write('2');
      const v = await p.waitFor(/no credit/);
      expect(v.replace(/\s+/g, ' ')).toContain('Plans & Billing');
      expect(v).toContain('Save it anyway, marked no_credit');
      const billed = api.requests.filter((r) => r.path === '/v1/messages');
      expect(billed).toHaveLength(1);
      expect(billed[0]!.body).toMatchObject({ max_tokens: 1 });
      p.write('\u0003');
      expect((await p.exited).exitCode).toBe(130);
      expect(fs.existsSync(storePath(state))).toBe(false);
      expect(findLeaks(p.output(), [k])).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('paste-api-key --check-billing: no_credit exits 1 with the fix; without it the key is "accepted; balance not checked"', async () => {
    const state = tempState();
    const k = makeSecret('api');
    api.setBehavior(k, 'no_credit');
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const r = await runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--check-billing'], { env, stdin: k });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('credit balance too low');
    expect(r.stderr).toContain('Plans & Billing');
    expect(r.stderr).toContain(`with ${api.url} (one billed 1-token request; costs a fraction of a cent)`);
    expect(fs.existsSync(storePath(state))).toBe(false);
    const ok = await runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic'], { env, stdin: k });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('check    key accepted; balance not checked');
    expect(findLeaks(r.stdout + r.stderr + ok.stdout + ok.stderr, [k])).toEqual([]);
  });

  it('models status --probe says the balance was not checked; --probe --spend sees no credit and --check exits 1', async () => {
    const state = tempState();
    const k = makeSecret('api');
    api.setBehavior(k, 'no_credit');
    writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: k } } });
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const probe = await runCli(['models', 'status', '--probe', '--check'], { env });
    expect(probe.code).toBe(0);
    expect(probe.stdout).toContain('API keys: accepted; balance not checked. Add --spend');
    const spend = await runCli(['models', 'status', '--probe', '--spend', '--check'], { env });
    expect(spend.code).toBe(1);
    expect(plainText(spend.stdout + spend.stderr)).toMatch(/no credit/);
    const usage = await runCli(['models', 'status', '--spend'], { env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--spend goes with --probe');
  });

  it('onboard --non-interactive --check-billing: a key without credit is refused (exit 1), nothing written', async () => {
    const state = tempState();
    const k = makeSecret('api');
    api.setBehavior(k, 'no_credit');
    const r = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--check-billing'], {
      env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }),
      stdin: k,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Plans & Billing');
    expect(fs.existsSync(storePath(state))).toBe(false);
  });
});
