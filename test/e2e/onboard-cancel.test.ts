// Cancelling the wizard, end to end in a pty: Ctrl-C at several steps (agent picker, method,
// mid-paste, during the live check, while `claude setup-token` runs) and SIGTERM / SIGHUP. Each
// leaves the files byte-for-byte as they were, hands the terminal back (bracketed paste off,
// cursor on), stops `claude`, and exits 130 / 143 / 129.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { configPath, findLeaks, makeSecret, snapshot, storePath, tempState, writeJson } from '../support/cli.js';
import type { PtyProcess } from '../support/pty.js';
import { bracketedPaste, CTRL_C, DOWN, ENTER } from '../support/pty.js';
import { restored, startWizard } from './wizard-support.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

/** A state dir with one agent holding one API key (so "nothing written" is checked against real files). */
function seeded(): { state: string; key: string } {
  const state = tempState();
  const key = makeSecret('api');
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }] },
    auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
  });
  writeJson(storePath(state), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key } } });
  return { state, key };
}

type Walk = (p: PtyProcess, secrets: string[]) => Promise<void>;

const steps: Array<[string, Walk]> = [
  ['the agent picker', async (p) => void (await p.waitFor('Which agent is this credential for?'))],
  [
    'the method step',
    async (p) => {
      await p.waitFor('Which agent is this credential for?');
      p.write(ENTER);
      await p.waitFor('How should agent main authenticate');
    },
  ],
  [
    'half-way through a paste',
    async (p, secrets) => {
      await p.waitFor('Which agent is this credential for?');
      p.write(ENTER);
      await p.waitFor('How should agent main authenticate');
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key');
      const k = makeSecret('api');
      secrets.push(k);
      p.write(bracketedPaste(k));
      await p.waitFor('looks complete');
    },
  ],
  [
    'the live check',
    async (p, secrets) => {
      await p.waitFor('Which agent is this credential for?');
      p.write(ENTER);
      await p.waitFor('How should agent main authenticate');
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key');
      const k = makeSecret('api');
      secrets.push(k);
      api.setBehavior(k, 'hang');
      p.write(bracketedPaste(k) + ENTER);
      await p.waitFor('One request to');
    },
  ],
  [
    'the replace question',
    async (p, secrets) => {
      await p.waitFor('Which agent is this credential for?');
      p.write(ENTER);
      await p.waitFor('How should agent main authenticate');
      p.write(ENTER);
      await p.waitFor('Paste the Anthropic API key');
      const k = makeSecret('api');
      secrets.push(k);
      p.write(bracketedPaste(k) + ENTER);
      await p.waitFor('Check the balance too?');
      p.write(ENTER);
      await p.waitFor('Agent main already has anthropic:default.');
    },
  ],
];

describe('cancelling the wizard writes nothing', () => {
  it.each(steps)('Ctrl-C at %s: exit 130, files byte-identical, terminal restored', async (_name, walk) => {
    const { state, key } = seeded();
    const before = snapshot(state);
    const p = startWizard(state, ['onboard'], { api: api.url });
    const secrets = [key];
    try {
      await walk(p, secrets);
      p.write(CTRL_C);
      await p.waitFor('Cancelled. Nothing was written.');
      expect((await p.exited).exitCode).toBe(130);
      expect(snapshot(state)).toEqual(before);
      expect(restored(p.output())).toBe(true);
      expect(findLeaks(p.output(), secrets)).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  it('Ctrl-C while `claude setup-token` runs stops the child too', async () => {
    const { state } = seeded();
    const log = path.join(path.dirname(state), 'claude.log');
    const before = snapshot(state);
    const p = startWizard(state, ['onboard', '--agent', 'main'], { api: api.url, env: { CLAUDE_FIXTURE_LOG: log } });
    try {
      await p.waitFor('How should agent main authenticate');
      p.write('b');
      await p.waitFor('2. Paste the code the page shows you');
      p.write(CTRL_C);
      await p.waitFor('Cancelled. Nothing was written.');
      expect((await p.exited).exitCode).toBe(130);
      expect(snapshot(state)).toEqual(before);
      expect(restored(p.output())).toBe(true);
      // The child was stopped (the fixture logs its own exit), and never wrote to our terminal.
      await expect.poll(() => fs.readFileSync(log, 'utf8'), { timeout: 3000 }).toMatch(/event exit code=(143|0) why=(SIGTERM|SIGINT|SIGHUP)/);
      expect(p.output()).not.toContain('Paste code here if prompted');
    } finally {
      p.dispose();
    }
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s cancels (exit %i), stops claude, writes nothing', async (sig, code) => {
    const { state } = seeded();
    const log = path.join(path.dirname(state), 'claude.log');
    const before = snapshot(state);
    const p = startWizard(state, ['onboard', '--agent', 'main'], { api: api.url, env: { CLAUDE_FIXTURE_LOG: log } });
    try {
      await p.waitFor('How should agent main authenticate');
      p.write(DOWN + ENTER);
      await p.waitFor('2. Paste the code the page shows you');
      p.kill(sig);
      expect((await p.exited).exitCode).toBe(code);
      expect(snapshot(state)).toEqual(before);
      await expect.poll(() => fs.readFileSync(log, 'utf8'), { timeout: 3000 }).toMatch(/event exit code=\d+ why=/);
    } finally {
      p.dispose();
    }
  });
});
