// Issue 11 item 9: status is complete and strict — an unknown agent is an error with the known
// ids; the model and cache TTL the wizard set are shown; the order line lists every profile that
// will be tried, in order, and the ones skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, makeSecret, runCli, storePath, tempState, writeJson } from '../support/cli.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

describe('models status', () => {
  it('--agent <unknown> exits 1 naming the known agents; --check too', async () => {
    const state = tempState();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const r = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin'], { env, stdin: makeSecret('api') });
    expect(r.code).toBe(0);
    for (const args of [
      ['models', 'status', '--agent', 'wrok'],
      ['models', 'status', '--agent', 'wrok', '--check'],
    ]) {
      const s = await runCli(args, { env });
      expect(s.code).toBe(1);
      expect(s.stderr).toContain('no agent named wrok.');
      expect(s.stderr).toContain('Known agents: main.');
    }
  });

  it('shows the model and cache TTL the wizard set, and every profile tried in order', async () => {
    const state = tempState();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const r = await runCli(
      ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '1h'],
      {
        env,
        stdin: makeSecret('api'),
      },
    );
    expect(r.code).toBe(0);
    // Add a second (expired) profile and a third behind them.
    const store = JSON.parse((await import('node:fs')).readFileSync(storePath(state), 'utf8'));
    store.profiles['anthropic:old'] = { type: 'token', provider: 'anthropic', token: makeSecret('oat'), expires: Date.now() - 86_400_000 };
    store.profiles['anthropic:spare'] = { type: 'token', provider: 'anthropic', token: makeSecret('oat'), expires: Date.now() + 300 * 86_400_000 };
    store.order = { anthropic: ['anthropic:old', 'anthropic:default'] };
    writeJson(storePath(state), store);
    const s = await runCli(['models', 'status'], { env });
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('model   anthropic/claude-opus-4-5-20251101 · cache TTL 1h');
    // The gateway's rules (issue 10): an explicit order locks rotation (spare is never tried) and
    // skips what is unusable (old, expired); status lists what it will try, in order.
    expect(s.stdout).toContain('Order (anthropic): anthropic:old, anthropic:default');
    expect(s.stdout).toContain("Gateway tries (anthropic): anthropic:default  (the store's order, nothing else)");
    expect(s.stdout).toContain('anthropic:spare is left out of the order, so the gateway never tries it');
    const j = JSON.parse((await runCli(['models', 'status', '--json'], { env })).stdout);
    expect(j).toMatchObject({ defaultModel: 'anthropic/claude-opus-4-5-20251101', cacheTtl: '1h' });
  });
});
