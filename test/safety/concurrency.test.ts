// Concurrency (issue 5 §2, SPEC §2 "under an inter-process lock"): 16 `paste-*` processes and 2
// `onboard --non-interactive` write different profiles to the same agent at once, while the wizard
// in a pty makes its final write at the same moment. Every write must survive (each one re-reads
// under the lock), and the config must declare every profile.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, findLeaks, makeSecret, readJson, storePath } from '../support/cli.js';
import { bracketedPaste, ENTER } from '../support/pty.js';
import { startWizard } from '../e2e/wizard-support.js';
import { checkInvariants, freshState, leftovers, readState, secrets, spawnCli } from './helpers.js';

const WRITERS = 16;

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

describe('concurrent writers to one agent', () => {
  it(`${WRITERS} paste processes + 2 non-interactive onboards + the wizard in a pty: every profile survives and is declared`, async () => {
    const state = freshState();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const want: Record<string, string> = {};

    // The wizard first, driven up to its last question, so its final write races the others.
    const wizKey = makeSecret('api');
    want['anthropic:default'] = wizKey;
    const p = startWizard(state, ['onboard'], { api: api.url });
    try {
      await p.waitFor('Which agent is this credential for?', 15_000);
      p.write(ENTER);
      await p.waitFor('How should agent main authenticate to Anthropic?');
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key for agent main');
      p.write(bracketedPaste(wizKey));
      await p.waitFor('looks complete');
      p.write(ENTER);
      await p.waitFor('Check the balance too?', 15_000);
      p.write(ENTER);
      await p.waitFor('Default model — applies to all agents', 15_000);
      p.write(ENTER);
      await p.waitFor('Prompt-cache TTL');

      const runs = Array.from({ length: WRITERS }, (_, i) => {
        const id = `anthropic:w${i + 1}`;
        const token = i % 2 === 0;
        const secret = makeSecret(token ? 'oat' : 'api');
        want[id] = secret;
        // Half are checked against the loopback API (their writes start at scattered times), half not.
        const args = ['models', 'auth', token ? 'paste-token' : 'paste-api-key', '--profile-id', id, ...(i % 4 < 2 ? ['--skip-validation'] : [])];
        return spawnCli(args, env, secret).done.then((r) => ({ id, ...r }));
      });
      for (const n of [1, 2]) {
        const id = `anthropic:n${n}`;
        const secret = makeSecret('api');
        want[id] = secret;
        runs.push(
          spawnCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--profile-id', id], env, secret).done.then((r) => ({
            id,
            ...r,
          })),
        );
      }
      p.write(ENTER); // 5m: the wizard writes now, amid the others
      const results = await Promise.all(runs);
      for (const r of results) expect(r.code, `${r.id}: ${r.stderr}`).toBe(0);
      await p.waitFor('clawdia models status', 30_000);
      expect((await p.exited).exitCode).toBe(0);
      expect(findLeaks(p.output() + results.map((r) => r.stdout + r.stderr).join('\n'), Object.values(want))).toEqual([]);
    } finally {
      p.dispose();
    }

    const view = readState(state);
    expect(secrets(view)).toEqual(want);
    expect(checkInvariants(view)).toEqual([]);
    const cfg = readJson(configPath(state));
    expect(Object.keys(cfg.auth.profiles).sort()).toEqual(Object.keys(want).sort());
    expect(cfg.agents.list).toEqual([{ id: 'main', default: true }]);
    const store = readJson(storePath(state));
    expect([...store.order.anthropic].sort()).toEqual(Object.keys(want).sort());
    expect(leftovers(state)).toEqual([]);
    expect(fs.statSync(storePath(state)).mode & 0o777).toBe(0o600);
  }, 60_000);
});
