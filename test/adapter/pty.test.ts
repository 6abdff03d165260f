// Smoke test of the pty harness, driving the fixture `claude setup-token` directly.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CTRL_C, ENTER, ESC, bracketedPaste, spawnPty, type PtyProcess } from '../support/pty.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/bin/claude', import.meta.url));

let p: PtyProcess | undefined;
afterEach(() => {
  p?.dispose();
  p = undefined;
});

const run = (env: Record<string, string> = {}, cols = 100) =>
  spawnPty(process.execPath, [FIXTURE, 'setup-token'], { env: { ...process.env, CI: 'true', ...env }, cols, rows: 30 });

describe('spawnPty', () => {
  it('shows the fixture screen; Ctrl-C and Esc do not stop it, SIGINT ends it with 0', async () => {
    p = run();
    const screen = await p.waitFor('Paste code here if prompted >');
    expect(screen).toContain('https://claude.ai/oauth/authorize?code=true');
    // The URL is longer than the 100 columns and wraps, like the real one.
    expect(screen.split('\n').find((l) => l.startsWith('https://'))).toHaveLength(100);
    expect(p.output()).toContain('\x1b[?2004h\x1b[?1004h\x1b[?2031h');

    p.write(CTRL_C);
    p.write(ESC);
    // Keys are read in order: once the next ones are drawn, Ctrl-C and Esc were read and ignored.
    p.write('abc');
    await p.waitFor('prompted > abc');
    const still = await Promise.race([p.exited.then(() => 'exited'), Promise.resolve('running')]);
    expect(still).toBe('running');
    p.write(ENTER);
    await p.waitFor("That doesn't look like the full code.");

    p.kill('SIGINT');
    expect((await p.exited).exitCode).toBe(0);
    // The terminal was restored on the way out.
    expect(p.output()).toContain('\x1b[?2004l');
  });

  it('wraps the printed token at a narrow width (the bug the adapter must undo)', async () => {
    const token = 'sk-ant-oat01-' + 'Ab3_-'.repeat(19);
    p = run({ CLAUDE_FIXTURE_TOKEN: token }, 60);
    await p.waitFor('Paste code here');
    p.write(bracketedPaste('code#state'));
    await p.waitFor('prompted > code#state');
    p.write(ENTER);
    const screen = await p.waitFor('Store this token securely');
    const lines = screen.split('\n');
    const at = lines.findIndex((l) => l.startsWith('sk-ant-oat01-'));
    expect(lines[at]).toBe(token.slice(0, 60));
    expect(lines[at + 1]).toBe(token.slice(60));
    expect((await p.exited).exitCode).toBe(0);
  });
});
