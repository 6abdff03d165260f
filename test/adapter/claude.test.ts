// The ClaudeCli adapter against the fixture `claude` (test/fixtures/bin/claude), never the real one.
// Each test links the fixture into its own temp dir, so the processes it starts can be found by
// path afterwards (`ps`) and checked gone, even while other test files run the fixture too.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createClaudeCli } from '../../src/adapters/claude.js';
import { TextScreen, findToken, parseDurationMs } from '../../src/adapters/claude/screen.js';
import { createEnv } from '../../src/adapters/system.js';
import type { SetupTokenEvent, SetupTokenResult } from '../../src/ports.js';
import { findLeaks, makeSecret } from '../support/cli.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/bin/claude', import.meta.url));
const NODE_DIR = dirname(process.execPath);
const YEAR = 365 * 86_400_000;

/** Generated at run time: a full-length secret never sits in the repo. */
const makeToken = () => 'sk-ant-oat01-' + randomBytes(96).toString('base64url').slice(0, 95);

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

interface Sandbox {
  root: string;
  bin: string;
  claude: string;
  configDir: string;
  log: string;
  vars: Record<string, string>;
}

function sandbox(extra: Record<string, string> = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'clawdia-claude-'));
  roots.push(root);
  const bin = join(root, 'bin');
  const configDir = join(root, 'claude-config');
  mkdirSync(bin);
  mkdirSync(configDir);
  const claude = join(bin, 'claude');
  symlinkSync(FIXTURE, claude);
  const log = join(root, 'fixture.log');
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CLAUDE_') && k !== 'CLAWDIA_CLAUDE_BIN') base[k] = v;
  const vars = { ...base, PATH: `${bin}:${NODE_DIR}:${process.env.PATH ?? ''}`, CLAUDE_CONFIG_DIR: configDir, CLAUDE_FIXTURE_LOG: log, ...extra };
  return { root, bin, claude, configDir, log, vars };
}

const cliFor = (sb: Sandbox, opts: { platform?: NodeJS.Platform } = {}) => createClaudeCli(createEnv(sb.vars), { ...opts, childEnv: sb.vars });

/** Processes whose command line mentions this sandbox (script, sh, the fixture), not zombies. */
function leftovers(sb: Sandbox): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(sb.root) && !/^\s*\d+\s+Z/.test(l));
}

function fixturePids(sb: Sandbox): number[] {
  if (!existsSync(sb.log)) return [];
  return [
    ...new Set(
      readFileSync(sb.log, 'utf8')
        .split('\n')
        .filter((l) => l.includes('argv ["setup-token"]'))
        .map((l) => Number(l.split(' ')[1])),
    ),
  ];
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Run {
  events: SetupTokenEvent[];
  result: Promise<SetupTokenResult>;
  session: ReturnType<ReturnType<typeof createClaudeCli>['startSetupToken']>;
  next(type: SetupTokenEvent['type'], timeoutMs?: number): Promise<SetupTokenEvent>;
}

function start(sb: Sandbox, timeoutMs = 15_000): Run {
  const events: SetupTokenEvent[] = [];
  const waiters: Array<() => void> = [];
  const seen = new Map<string, number>();
  const session = cliFor(sb).startSetupToken({
    timeoutMs,
    onEvent: (e) => {
      events.push(e);
      for (const w of waiters.splice(0)) w();
    },
  });
  /** The next not-yet-consumed event of this type. */
  const next = (type: SetupTokenEvent['type'], ms = 8000) =>
    new Promise<SetupTokenEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms; events: ${JSON.stringify(events.map((e) => e.type))}`)), ms);
      const check = () => {
        const used = seen.get(type) ?? 0;
        const found = events.filter((e) => e.type === type)[used];
        if (found) {
          seen.set(type, used + 1);
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  return { events, result: session.result, session, next };
}

function expectNoSecret(run: Run, result: SetupTokenResult, token: string) {
  const text = JSON.stringify(run.events) + (result.ok ? '' : JSON.stringify(result));
  expect(text).not.toContain(token);
  expect(text).not.toContain(token.slice(13, 40));
}

describe('locate', () => {
  it('finds claude on PATH, or $CLAWDIA_CLAUDE_BIN', () => {
    const sb = sandbox();
    expect(cliFor(sb).locate()).toBe(sb.claude);
    const other = join(sb.root, 'elsewhere');
    mkdirSync(other);
    symlinkSync(FIXTURE, join(other, 'my-claude'));
    expect(createClaudeCli(createEnv({ ...sb.vars, CLAWDIA_CLAUDE_BIN: join(other, 'my-claude') })).locate()).toBe(join(other, 'my-claude'));
  });

  it('returns null when there is none, or the override is not an executable file', () => {
    const sb = sandbox();
    const empty = join(sb.root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'claude'), 'not executable');
    chmodSync(join(empty, 'claude'), 0o644);
    expect(createClaudeCli(createEnv({ PATH: empty })).locate()).toBeNull();
    expect(createClaudeCli(createEnv({ PATH: '' })).locate()).toBeNull();
    expect(createClaudeCli(createEnv({ ...sb.vars, CLAWDIA_CLAUDE_BIN: join(sb.root, 'missing') })).locate()).toBeNull();
    expect(createClaudeCli(createEnv({ ...sb.vars, CLAWDIA_CLAUDE_BIN: join(empty, 'claude') })).locate()).toBeNull();
    expect(createClaudeCli(createEnv({ ...sb.vars, CLAWDIA_CLAUDE_BIN: sb.bin })).locate()).toBeNull();
  });
});

describe('readLogin', () => {
  it('reads Claude Code credentials from $CLAUDE_CONFIG_DIR', async () => {
    const sb = sandbox();
    const access = makeToken();
    const refresh = 'sk-ant-ort01-' + randomBytes(96).toString('base64url').slice(0, 95);
    const file = join(sb.configDir, '.credentials.json');
    writeFileSync(
      file,
      JSON.stringify({
        claudeAiOauth: {
          accessToken: access,
          refreshToken: refresh,
          expiresAt: 1795557606510,
          scopes: ['user:inference', 'user:profile'],
          subscriptionType: 'max',
        },
      }),
    );
    expect(await cliFor(sb).readLogin()).toEqual({
      source: 'file',
      location: file,
      accessToken: access,
      refreshToken: refresh,
      expiresAt: 1795557606510,
      scopes: ['user:inference', 'user:profile'],
      subscriptionType: 'max',
    });
  });

  it('returns null for a missing or malformed file, without throwing its text', async () => {
    const sb = sandbox();
    const cli = cliFor(sb);
    expect(await cli.readLogin()).toBeNull();
    const file = join(sb.configDir, '.credentials.json');
    const secret = makeToken();
    writeFileSync(file, `{"claudeAiOauth": {"accessToken": "${secret}", `);
    expect(await cli.readLogin()).toBeNull();
    writeFileSync(file, JSON.stringify({ claudeAiOauth: { accessToken: 42 } }));
    expect(await cli.readLogin()).toBeNull();
    writeFileSync(file, '[]');
    expect(await cli.readLogin({ keychain: true })).toBeNull();
  });

  it('defaults to ~/.claude', async () => {
    const sb = sandbox();
    const home = join(sb.root, 'home');
    mkdirSync(join(home, '.claude'), { recursive: true });
    const access = makeToken();
    writeFileSync(join(home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: access } }));
    const login = await createClaudeCli(createEnv({ HOME: home })).readLogin();
    expect(login).toMatchObject({ source: 'file', accessToken: access, location: join(home, '.claude', '.credentials.json') });
  });

  it('on macOS asks the Keychain with `security`, the secret only on its stdout', async () => {
    const sb = sandbox();
    const access = makeToken();
    const argvLog = join(sb.root, 'security.argv');
    const security = join(sb.bin, 'security');
    writeFileSync(
      security,
      `#!/bin/sh\necho "$@" > '${argvLog}'\ncat <<'EOF'\n${JSON.stringify({ claudeAiOauth: { accessToken: access, expiresAt: 1 } })}\nEOF\n`,
    );
    chmodSync(security, 0o755);
    const cli = cliFor(sb, { platform: 'darwin' });
    expect(await cli.readLogin()).toBeNull(); // not asked for: no Keychain prompt
    expect(existsSync(argvLog)).toBe(false);
    expect(await cli.readLogin({ keychain: true })).toEqual({ source: 'keychain', location: 'Claude Code-credentials', accessToken: access, expiresAt: 1 });
    expect(readFileSync(argvLog, 'utf8').trim()).toBe('find-generic-password -s Claude Code-credentials -w');
    // Linux never runs it.
    rmSync(argvLog);
    expect(await cliFor(sb, { platform: 'linux' }).readLogin({ keychain: true })).toBeNull();
    expect(existsSync(argvLog)).toBe(false);
  });
});

describe('authStatus', () => {
  it('reports logged in when Claude Code has credentials', async () => {
    const sb = sandbox();
    writeFileSync(join(sb.configDir, '.credentials.json'), '{}');
    expect(await cliFor(sb).authStatus(5000)).toEqual({ loggedIn: true, authMethod: 'claude.ai', email: 'fixture@example.com', subscriptionType: 'max' });
  });

  it('reports logged out (exit 1), and null without a binary', async () => {
    const sb = sandbox({ CLAUDE_FIXTURE_LOGGED_IN: '0' });
    expect(await cliFor(sb).authStatus(5000)).toMatchObject({ loggedIn: false });
    expect(await createClaudeCli(createEnv({ PATH: join(sb.root, 'nowhere') })).authStatus(5000)).toBeNull();
  });
});

describe('startSetupToken', () => {
  it.concurrent('captures the token and its lifetime; argv and events hold no secret', async () => {
    const token = makeToken();
    const sb = sandbox({ CLAUDE_FIXTURE_TOKEN: token });
    const run = start(sb);
    const url = await run.next('url');
    expect(url).toMatchObject({ type: 'url' });
    expect((url as { url: string }).url).toMatch(/^https:\/\/claude\.ai\/oauth\/authorize\?code=true&client_id=[^\s]+&state=[A-Za-z0-9_-]{43}$/);
    await run.next('awaiting-code');
    run.session.submitCode('abc#def');
    const captured = await run.next('token-captured');
    expect(captured).toEqual({ type: 'token-captured', fingerprint: `sk-ant-oat01-…${token.slice(-4)} (108 chars)` });
    const result = await run.result;
    expect(result).toEqual({ ok: true, token, expiresInMs: YEAR });
    expect(run.events.map((e) => e.type)).toEqual(['started', 'url', 'awaiting-code', 'token-captured']);
    expectNoSecret(run, result, token);
    const log = readFileSync(sb.log, 'utf8');
    expect(log).toContain('argv ["setup-token"]');
    expect(log).toContain('code-submitted length=7 hash=true');
    expect(log).not.toContain(token);
    expect(leftovers(sb)).toEqual([]);
  });

  it.concurrent('joins a token (and URL) that Ink wrapped at 80 columns', async () => {
    const token = makeToken();
    const sb = sandbox({ CLAUDE_FIXTURE_TOKEN: token, CLAUDE_FIXTURE_COLUMNS: '80', CLAUDE_FIXTURE_DURATION: '30 days' });
    const run = start(sb);
    const url = (await run.next('url')) as { url: string };
    expect(url.url.length).toBeGreaterThan(200);
    expect(url.url).not.toMatch(/\s/);
    await run.next('awaiting-code');
    run.session.submitCode('abc#def');
    const result = await run.result;
    expect(result).toEqual({ ok: true, token, expiresInMs: 30 * 86_400_000 });
    expectNoSecret(run, result, token);
  });

  it.concurrent('reports a code without `#`, then accepts a whole one', async () => {
    const token = makeToken();
    const sb = sandbox({ CLAUDE_FIXTURE_TOKEN: token });
    const run = start(sb);
    await run.next('awaiting-code');
    run.session.submitCode('abc');
    expect(await run.next('code-rejected')).toEqual({ type: 'code-rejected', message: "That doesn't look like the full code." });
    run.session.submitCode('xyz');
    await run.next('code-rejected');
    run.session.submitCode('abc#def');
    expect(await run.result).toEqual({ ok: true, token, expiresInMs: YEAR });
  });

  it.concurrent('older releases: "OAuth error: Invalid code" is a rejected code, and the code box comes back', async () => {
    const token = makeToken();
    const sb = sandbox({ CLAUDE_FIXTURE_TOKEN: token, CLAUDE_FIXTURE_SHORT_CODE: 'oauth-error' });
    const run = start(sb);
    await run.next('awaiting-code');
    run.session.submitCode('abc');
    expect(await run.next('code-rejected')).toEqual({ type: 'code-rejected', message: 'Invalid code. Please make sure the full code was copied.' });
    await run.next('awaiting-code');
    // That release starts a new sign-in: the new URL is reported (a code from the old one would fail).
    expect(run.events.filter((e) => e.type === 'url')).toHaveLength(2);
    run.session.submitCode('abc#def');
    expect(await run.result).toEqual({ ok: true, token, expiresInMs: YEAR });
    expect(run.events.some((e) => e.type === 'oauth-error')).toBe(false);
  });

  it.concurrent('OAuth error: reports the reason on each retry; stop() ends it and everything under it', async () => {
    const sb = sandbox({ CLAUDE_FIXTURE_MODE: 'oauth-error' });
    const run = start(sb);
    await run.next('awaiting-code');
    run.session.submitCode('abc#def');
    expect(await run.next('oauth-error')).toEqual({ type: 'oauth-error', reason: 'getaddrinfo ENOTFOUND console.anthropic.com' });
    run.session.pressEnter();
    await run.next('oauth-error');
    const [pid] = fixturePids(sb);
    expect(pid && running(pid)).toBe(true);
    run.session.stop();
    const result = await run.result;
    expect(result).toMatchObject({ ok: false, failure: 'oauth_error', oauthError: 'getaddrinfo ENOTFOUND console.anthropic.com' });
    expect(running(pid!)).toBe(false);
    expect(leftovers(sb)).toEqual([]);
    expect(readFileSync(sb.log, 'utf8')).toMatch(/exit code=143 why=SIGTERM/);
  });

  it.concurrent('stop() while waiting for the code → stopped, nothing left running', async () => {
    const sb = sandbox();
    const run = start(sb);
    await run.next('awaiting-code');
    run.session.stop();
    run.session.stop();
    expect(await run.result).toMatchObject({ ok: false, failure: 'stopped', message: 'claude setup-token was stopped.' });
    for (const pid of fixturePids(sb)) expect(running(pid)).toBe(false);
    expect(leftovers(sb)).toEqual([]);
  });

  it.concurrent('stop() right away, before the child is up', async () => {
    const sb = sandbox();
    const run = start(sb);
    run.session.stop();
    expect(await run.result).toMatchObject({ ok: false, failure: 'stopped' });
    expect(leftovers(sb)).toEqual([]);
  });

  it.concurrent('a child that fails → exit_code, with its last words (no stack frames)', async () => {
    const sb = sandbox({ CLAUDE_FIXTURE_MODE: 'fail' });
    const result = await start(sb).result;
    expect(result).toMatchObject({ ok: false, failure: 'exit_code', exitCode: 1 });
    expect((result as { lastLines?: string[] }).lastLines).toEqual([
      'Error: Failed to start the sign-in flow: request to https://console.anthropic.com/v1/oauth/token failed',
      'Cause: getaddrinfo ENOTFOUND console.anthropic.com',
    ]);
    // The message itself stays clawdia's own words.
    expect((result as { message: string }).message).not.toContain('getaddrinfo');
  });

  it.concurrent('a failing child that prints a secret: its last words carry only the fingerprint', async () => {
    const secret = makeSecret('ort');
    const sb = sandbox({ CLAUDE_FIXTURE_MODE: 'fail', CLAUDE_FIXTURE_FAIL_TEXT: `Error: refresh with ${secret} was refused\\nstate=${'x'.repeat(43)}` });
    const result = (await start(sb).result) as { lastLines?: string[] };
    expect(result.lastLines).toEqual([`Error: refresh with sk-ant-ort01-…${secret.slice(-4)} (108 chars) was refused`, 'state=…']);
    expect(findLeaks(JSON.stringify(result), [secret])).toEqual([]);
  });

  it.concurrent('exit 0 without a token → no_token', async () => {
    const sb = sandbox({ CLAUDE_FIXTURE_MODE: 'no-token' });
    const run = start(sb);
    await run.next('awaiting-code');
    run.session.submitCode('abc#def');
    expect(await run.result).toMatchObject({ ok: false, failure: 'no_token' });
    expect(run.events.some((e) => e.type === 'token-captured')).toBe(false);
  });

  it.concurrent('a token cut short → no_token, described by its kind and length only (no tail of a partial value)', async () => {
    const short = 'sk-ant-oat01-' + randomBytes(40).toString('base64url').slice(0, 40);
    const sb = sandbox({ CLAUDE_FIXTURE_TOKEN: short });
    const run = start(sb);
    await run.next('awaiting-code');
    run.session.submitCode('abc#def');
    const result = await run.result;
    expect(result).toMatchObject({ ok: false, failure: 'no_token' });
    expect((result as { message: string }).message).toContain('sk-ant-oat01-… (53 chars)');
    expect((result as { message: string }).message).not.toContain(short.slice(-4));
    expectNoSecret(run, result, short);
  });

  it.concurrent('a hung child → timeout, and it is gone', async () => {
    const sb = sandbox({ CLAUDE_FIXTURE_MODE: 'hang' });
    const run = start(sb, 1500);
    await run.next('awaiting-code');
    run.session.submitCode('abc#def'); // ignored by a hung child
    const t0 = Date.now();
    const result = await run.result;
    expect(result).toMatchObject({ ok: false, failure: 'timeout' });
    expect((result as { message: string }).message).toContain('1.5 s');
    expect(Date.now() - t0).toBeLessThan(3000);
    for (const pid of fixturePids(sb)) expect(running(pid)).toBe(false);
    expect(leftovers(sb)).toEqual([]);
  });

  it.concurrent('a child that ignores SIGTERM is killed', async () => {
    const sb = sandbox({ CLAUDE_FIXTURE_MODE: 'hang', CLAUDE_FIXTURE_IGNORE_TERM: '1' });
    const run = start(sb, 800);
    await run.next('awaiting-code');
    expect(await run.result).toMatchObject({ ok: false, failure: 'timeout' });
    for (const pid of fixturePids(sb)) expect(running(pid)).toBe(false);
    expect(leftovers(sb)).toEqual([]);
    expect(readFileSync(sb.log, 'utf8')).toContain('SIGTERM ignored');
  });

  it('no binary → not_found with the install hint; no `script` → spawn_failed', async () => {
    const sb = sandbox();
    const events: SetupTokenEvent[] = [];
    const none = createClaudeCli(createEnv({ PATH: join(sb.root, 'nowhere') })).startSetupToken({ timeoutMs: 5000, onEvent: (e) => events.push(e) });
    const r1 = await none.result;
    expect(r1).toMatchObject({ ok: false, failure: 'not_found' });
    expect((r1 as { message: string }).message).toMatch(/Claude Code CLI not found.*npm install -g @anthropic-ai\/claude-code/);
    expect(events).toEqual([]);

    // claude is there, but `script` is not on PATH.
    const env = { ...sb.vars, PATH: sb.bin };
    const r2 = await createClaudeCli(createEnv(env), { childEnv: env }).startSetupToken({ timeoutMs: 5000, onEvent: () => {} }).result;
    expect(r2).toMatchObject({ ok: false, failure: 'spawn_failed' });
  });
});

describe('reading the screen', () => {
  it('joins a token cut at the wrap width, not a following word', () => {
    const token = makeToken();
    const s = new TextScreen(500, 50);
    s.write(`Your OAuth token (valid for 1 year):\r\n\r\n${token.slice(0, 80)}\r\n${token.slice(80)}\r\n\r\nStore this token securely.\r\n`);
    const { lines, cursorRow } = s.snapshot();
    expect(findToken(lines, cursorRow)).toBe(token);

    const t = new TextScreen(500, 50);
    t.write(`${token}\r\nDone\r\n`);
    expect(findToken(t.snapshot().lines, Infinity)).toBe(token);
  });

  it('keeps what is on screen after redraws and cursor jumps', () => {
    const s = new TextScreen(500, 50);
    s.write('old frame line 1\r\nold frame line 2\r\n');
    s.write('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G');
    s.write('\x1b[2GPaste\x1b[8Gcode\x1b[13Ghere >\r\n');
    expect(s.snapshot().lines.filter(Boolean)).toEqual([' Paste code here >']);
  });

  it('parses durations', () => {
    expect(parseDurationMs('1 year')).toBe(YEAR);
    expect(parseDurationMs('30 days')).toBe(30 * 86_400_000);
    expect(parseDurationMs('a week')).toBe(7 * 86_400_000);
    expect(parseDurationMs('8 hours')).toBe(8 * 3_600_000);
    expect(parseDurationMs('forever')).toBeUndefined();
  });
});
