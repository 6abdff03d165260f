// The `claude setup-token` step in small terminals (issue 11 item 2): a screen taller than the
// terminal made Ink clear and rewrite everything on every spinner tick, so the scrollback filled
// with copies of the screen and the sign-in URL was erased. Read through a headless xterm of the
// same size, scrollback included: after 5 s the URL is still on screen or in the scrollback
// (whole), and no screen line is there twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { tempState } from '../support/cli.js';
import { startWizard } from './wizard-support.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const STEP_LINES = [/Open the sign-in URL/g, /› code:/g, /Esc stop · Ctrl-C quit/g];
const URL_RE = /https:\/\/claude\.ai\/oauth\/authorize\?code=true&client_id=\S+&state=[A-Za-z0-9_-]{43}/;

// Side by side: each test has its own state dir and terminal, and most of a size test is 5 s of watching.
describe.concurrent('claude setup-token screen size (pty)', () => {
  for (const [cols, rows] of [
    [60, 20],
    [80, 24],
    [60, 14],
  ] as const) {
    it(`${cols}×${rows}: the URL stays readable and the screen is never copied into the scrollback`, async () => {
      const state = tempState();
      const p = startWizard(state, ['onboard', '--agent', 'main'], { api: api.url, cols, rows });
      try {
        // (At 14 rows the method list itself is taller than the terminal: wait on the output.)
        await p.waitForOutput('How should agent main authenticate');
        p.write('b');
        await p.waitFor(/Paste the code/);
        await p.waitForOutput(URL_RE);
        // Let the step run (the spinner and the elapsed counter tick) for 5 s.
        const until = Date.now() + 5000;
        while (Date.now() < until) await new Promise((r) => setTimeout(r, 250));
        await p.settle();
        const all = p.history();
        expect(all).toMatch(URL_RE);
        // Everything after the URL is this one screen: each of its lines once (a clear-and-rewrite
        // loop pushes its top rows, the header first, into the scrollback on every tick).
        const after = all.slice(all.search(URL_RE));
        expect(after.match(/clawdia onboard {2}· {2}agent main/g)?.length ?? 0).toBe(1);
        for (const line of STEP_LINES) expect({ line: String(line), copies: all.match(line)?.length ?? 0 }).toEqual({ line: String(line), copies: 1 });
        expect(p.screen()).toContain('code:');
      } finally {
        p.dispose();
      }
    }, 20_000);
  }

  it("claude's own words are kept: an early exit shows its last error lines (no stack frames) on the method screen", async () => {
    const state = tempState();
    const p = startWizard(state, ['onboard', '--agent', 'main'], { api: api.url, env: { CLAUDE_FIXTURE_MODE: 'fail' } });
    try {
      await p.waitFor('How should agent main authenticate');
      p.write('b');
      const back = (await p.waitFor('It said:')).replace(/\s+/g, ' ');
      expect(back).toContain('`claude setup-token` exited with code 1 before printing a token.');
      expect(back).toContain('Error: Failed to start the sign-in flow');
      expect(back).toContain('Cause: getaddrinfo ENOTFOUND console.anthropic.com');
      expect(back).not.toContain('cli.js:4123');
      expect(back).toContain('❯ C Paste a setup-token');
    } finally {
      p.dispose();
    }
  });
});
