// Shared bits of the wizard's end-to-end tests: start the built binary in a real pty (fixture
// `claude` first on PATH, the loopback fake API, a temp state dir, no CI), read what was drawn.
import fs from 'node:fs';
import path from 'node:path';
import { BIN, baseEnv, FIXTURE_BIN } from '../support/cli.js';
import { ptyEnv, spawnPty, type PtyProcess } from '../support/pty.js';

export function startWizard(
  state: string,
  args: string[],
  opts: { api: string; env?: Record<string, string | undefined>; cols?: number; rows?: number; term?: string },
): PtyProcess {
  const env = ptyEnv(baseEnv(state, { ANTHROPIC_BASE_URL: opts.api, ...opts.env }));
  // node-pty sets TERM from its own `name`: a different TERM has to be set inside the child.
  if (opts.term) return spawnPty('/usr/bin/env', [`TERM=${opts.term}`, process.execPath, BIN, ...args], { env, cols: opts.cols ?? 100, rows: opts.rows ?? 30 });
  return spawnPty(process.execPath, [BIN, ...args], { env, cols: opts.cols ?? 100, rows: opts.rows ?? 30 });
}

/** PATH without the fixture `claude` (and without any other `claude`): only node's own dir. */
export function pathWithoutClaude(): string {
  return [path.dirname(process.execPath), '/usr/bin', '/bin'].filter((d) => !fs.existsSync(path.join(d, 'claude'))).join(':');
}

export { FIXTURE_BIN };

const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Everything written, without escape codes. */
export function plainText(raw: string): string {
  return raw.replace(ANSI, '');
}

/** The terminal was handed back: bracketed paste off after the last on, cursor shown after the last hide. */
export function restored(raw: string): boolean {
  const on = raw.lastIndexOf('\u001b[?2004h');
  const off = raw.lastIndexOf('\u001b[?2004l');
  const hide = raw.lastIndexOf('\u001b[?25l');
  const show = raw.lastIndexOf('\u001b[?25h');
  return (on === -1 || off > on) && (hide === -1 || show > hide);
}

export function seedClaudeLogin(state: string, access: string, refresh: string, expiresAt: number): string {
  const dir = path.join(state, '..', 'claude-config');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, '.credentials.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ claudeAiOauth: { accessToken: access, refreshToken: refresh, expiresAt, scopes: ['user:inference'], subscriptionType: 'max' } }),
    { mode: 0o600 },
  );
  return file;
}
