// `clawdia onboard` without a person: --non-interactive for each method (stdin, env, Claude Code's
// login; setup-token refused), method inference and its refusal, --json, --dry-run, the no-TTY
// refusal — and --plain in a pty (numbered choices, masked prompt, no spinner, no redraws).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, configPath, findLeaks, makeSecret, readJson, runCli, snapshot, storePath, tempState, writeJson } from '../support/cli.js';
import { bracketedPaste, ENTER } from '../support/pty.js';
import { plainText, seedClaudeLogin, startWizard } from './wizard-support.js';
import { pathWithoutClaude } from './wizard-support.js';

const DAY = 86_400_000;
let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const env = (state: string, extra: Record<string, string | undefined> = {}) => baseEnv(state, { ANTHROPIC_BASE_URL: api.url, ...extra });

describe('onboard --non-interactive', () => {
  it('api-key from --token-stdin (beats the env var, named by fingerprint), --cache-ttl 1h, --json only JSON', async () => {
    const state = tempState();
    const k = makeSecret('api');
    const envKey = makeSecret('api');
    const r = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--cache-ttl', '1h', '--json'], {
      env: env(state, { ANTHROPIC_API_KEY: envKey }),
      stdin: `export ANTHROPIC_API_KEY="${k}"\n`,
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      agent: 'main',
      profileId: 'anthropic:default',
      type: 'api_key',
      verdict: 'valid',
      model: 'anthropic/claude-opus-4-5-20251101',
      cacheTtl: '1h',
    });
    expect(j.fingerprint).toBe(`sk-ant-api03-…${k.slice(-4)} (108 chars)`);
    expect(r.stderr).toContain(
      `Using the API key from stdin (sk-ant-api03-…${k.slice(-4)} (108 chars)); ignoring ANTHROPIC_API_KEY (sk-ant-api03-…${envKey.slice(-4)} (108 chars))`,
    );
    expect(readJson(storePath(state)).profiles['anthropic:default'].key).toBe(k);
    expect(readJson(configPath(state)).agents.defaults.models['anthropic/claude-opus-4-5-20251101'].params.cacheControlTtl).toBe('1h');
    expect(findLeaks(r.stdout + r.stderr, [k, envKey])).toEqual([]);
  });

  it("--copy-from is the only way a new agent gets another agent's profiles", async () => {
    const state = tempState();
    const mainKey = makeSecret('api');
    expect((await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin'], { env: env(state), stdin: mainKey })).code).toBe(0);
    const t = makeSecret('oat');
    const r = await runCli(
      ['onboard', '--non-interactive', '--auth-choice', 'paste-token', '--token-stdin', '--agent', 'work', '--copy-from', 'main', '--json'],
      { env: env(state), stdin: t },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).copiedProfiles).toEqual(['anthropic:default']);
    const work = readJson(storePath(state, 'work'));
    expect(work.profiles['anthropic:default'].key).toBe(mainKey);
    expect(work.profiles['anthropic:claude-cli'].token).toBe(t);
    expect(work.order.anthropic[0]).toBe('anthropic:claude-cli'); // the new profile goes first
    // Without --copy-from a new agent starts empty.
    expect(
      (
        await runCli(['onboard', '--non-interactive', '--auth-choice', 'paste-token', '--token-stdin', '--agent', 'solo'], {
          env: env(state),
          stdin: makeSecret('oat'),
        })
      ).code,
    ).toBe(0);
    expect(Object.keys(readJson(storePath(state, 'solo')).profiles)).toEqual(['anthropic:claude-cli']);
  });

  it('an overridden anthropic-beta header keeps the betas clawdia needs; 5m after 1h removes cacheControlTtl', async () => {
    const state = tempState();
    writeJson(configPath(state), { models: { providers: { anthropic: { headers: { 'anthropic-beta': 'custom-beta-1' } } } } });
    const k = makeSecret('api');
    const a = await runCli(
      ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--model', 'claude-opus-4-5', '--cache-ttl', '1h', '--json'],
      { env: env(state), stdin: k },
    );
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).betasKept).toEqual(['extended-cache-ttl-2025-04-11']);
    let cfg = readJson(configPath(state));
    expect(cfg.models.providers.anthropic.headers['anthropic-beta']).toBe('custom-beta-1,extended-cache-ttl-2025-04-11');
    expect(cfg.agents.defaults.models['anthropic/claude-opus-4-5'].params.cacheControlTtl).toBe('1h');
    const t = makeSecret('oat');
    expect((await runCli(['onboard', '--non-interactive', '--auth-choice', 'paste-token', '--token-stdin'], { env: env(state), stdin: t })).code).toBe(0);
    cfg = readJson(configPath(state));
    expect(cfg.models.providers.anthropic.headers['anthropic-beta']).toBe('custom-beta-1,extended-cache-ttl-2025-04-11,oauth-2025-04-20');
    expect(
      (await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--cache-ttl', '5m', '--yes'], { env: env(state), stdin: k }))
        .code,
    ).toBe(0);
    expect(readJson(configPath(state)).agents.defaults.models).toBeUndefined();
  });

  it('paste-token from CLAUDE_CODE_OAUTH_TOKEN (inferred: the only source), into a new agent, mode oauth', async () => {
    const state = tempState();
    const t = makeSecret('oat');
    const r = await runCli(['onboard', '--non-interactive', '--agent', 'bot'], { env: env(state, { CLAUDE_CODE_OAUTH_TOKEN: t }), stdin: null });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Using CLAUDE_CODE_OAUTH_TOKEN');
    expect(r.stdout).toContain('Saved anthropic:claude-cli for agent bot');
    const s = readJson(storePath(state, 'bot'));
    expect(s.profiles['anthropic:claude-cli']).toMatchObject({ type: 'token', token: t });
    expect(s.profiles['anthropic:claude-cli'].expires).toBeGreaterThan(Date.now() + 364 * DAY);
    expect(readJson(configPath(state)).auth.profiles['anthropic:claude-cli'].mode).toBe('oauth');
    // The gateway never reads CLAUDE_CODE_OAUTH_TOKEN: nothing shadows the stored token, no warning.
    expect(r.stderr).not.toMatch(/warning: CLAUDE_CODE_OAUTH_TOKEN/);
    expect(findLeaks(r.stdout + r.stderr, [t])).toEqual([]);
  });

  it("claude-cli: Claude Code's login on this host, stored as type oauth with its refresh token", async () => {
    const state = tempState();
    const access = makeSecret('oat');
    const refresh = makeSecret('ort');
    const expiresAt = Date.now() + 6 * 3_600_000;
    seedClaudeLogin(state, access, refresh, expiresAt);
    const r = await runCli(['onboard', '--non-interactive', '--auth-choice', 'claude-cli', '--json'], { env: env(state), stdin: null });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ profileId: 'anthropic:claude-cli', type: 'oauth', billing: 'Claude subscription plan' });
    expect(readJson(storePath(state)).profiles['anthropic:claude-cli']).toEqual({ type: 'oauth', provider: 'anthropic', access, refresh, expires: expiresAt });
    expect(findLeaks(r.stdout + r.stderr, [access, refresh])).toEqual([]);
  });

  it('setup-token needs a terminal and says so (exit 2), naming the paste alternative', async () => {
    const state = tempState();
    const r = await runCli(['onboard', '--non-interactive', '--auth-choice', 'setup-token'], { env: env(state), stdin: null });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--auth-choice setup-token needs a terminal');
    expect(r.stderr).toContain('--auth-choice paste-token --token-stdin');
    expect(fs.existsSync(state)).toBe(false);
  });

  it('two sources and no --auth-choice: exit 2 listing the choices; ANTHROPIC_AUTH_TOKEN is reported, never used', async () => {
    const state = tempState();
    const r = await runCli(['onboard', '--non-interactive'], {
      env: env(state, { ANTHROPIC_API_KEY: makeSecret('api'), CLAUDE_CODE_OAUTH_TOKEN: makeSecret('oat'), ANTHROPIC_AUTH_TOKEN: makeSecret('oat') }),
      stdin: null,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot tell which credential to store: both ANTHROPIC_API_KEY .* and CLAUDE_CODE_OAUTH_TOKEN .* are set/);
    for (const c of ['api-key', 'paste-token', 'claude-cli', 'setup-token']) expect(r.stderr).toContain(c);
    expect(r.stderr).toMatch(/ANTHROPIC_AUTH_TOKEN is set .*never used as input/);
    const none = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key'], {
      env: env(state, { ANTHROPIC_AUTH_TOKEN: makeSecret('api') }),
      stdin: null,
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('needs the secret on stdin (--token-stdin) or in ANTHROPIC_API_KEY');
    expect(fs.existsSync(state)).toBe(false);
  });

  it('an invalid key exits 1 and stores nothing; a wrong kind is caught before any request', async () => {
    const state = tempState();
    const bad = makeSecret('api');
    api.setBehavior(bad, 'invalid');
    const r = await runCli(['onboard', '--non-interactive', '--token-stdin', '--auth-choice', 'api-key'], { env: env(state), stdin: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*Nothing was stored/);
    expect(fs.existsSync(storePath(state))).toBe(false);
    api.reset();
    const wrong = await runCli(['onboard', '--non-interactive', '--token-stdin', '--auth-choice', 'api-key'], { env: env(state), stdin: makeSecret('oat') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('not an API key');
    expect(api.requests).toEqual([]);
  });

  it('re-running replaces the profile keeping its place in the order; --dry-run writes nothing', async () => {
    const state = tempState();
    const first = makeSecret('oat');
    writeJson(configPath(state), {
      agents: { list: [{ id: 'main', default: true }] },
      auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' }, 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } },
    });
    writeJson(storePath(state), {
      version: 1,
      profiles: {
        'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
        'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: first, expires: Date.now() + DAY },
      },
      order: { anthropic: ['anthropic:default', 'anthropic:claude-cli'] },
    });
    const before = snapshot(state);
    const t = makeSecret('oat');
    const dry = await runCli(['onboard', '--non-interactive', '--token-stdin', '--dry-run'], { env: env(state), stdin: t });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(snapshot(state)).toEqual(before);
    const r = await runCli(['onboard', '--non-interactive', '--token-stdin'], { env: env(state), stdin: t });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Replaced anthropic:claude-cli for agent main');
    const s = readJson(storePath(state));
    expect(s.profiles['anthropic:claude-cli'].token).toBe(t);
    expect(s.order.anthropic).toEqual(['anthropic:default', 'anthropic:claude-cli']);
  });

  it('a rate-limited key is stored with a cooldown and exits 0 with a warning on stderr', async () => {
    const state = tempState();
    const k = makeSecret('api');
    api.setBehavior(k, 'rate_limited', { retryAfter: 30 });
    const r = await runCli(['onboard', '--non-interactive', '--token-stdin'], { env: env(state), stdin: k });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*cooling down/);
    // Said once (issue 11: the rate-limit warning was printed twice).
    expect(r.stderr.match(/cooling down/g)).toHaveLength(1);
    expect(readJson(storePath(state)).usageStats['anthropic:default'].cooldownUntil).toBeGreaterThan(Date.now());
  });
});

describe('no terminal', () => {
  it('`clawdia onboard` without a TTY fails at once (exit 2) with the --non-interactive form', async () => {
    const state = tempState();
    // stdin a pipe that never closes: were it read (or waited on), the run would hang until the
    // test's timeout; it must end by itself (a condition, not a stopwatch).
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'onboard'], { env: env(state) as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: clawdia onboard is interactive and needs a terminal');
    expect(r.stderr).toContain('clawdia onboard --non-interactive --auth-choice api-key --token-stdin');
    expect(r.stdout).toBe('');
    expect(fs.existsSync(state)).toBe(false);
  });

  it('CI set: never prompts, even with a terminal', async () => {
    const state = tempState();
    const r = await runCli(['onboard'], { env: env(state, { CI: 'true' }), stdin: null });
    expect(r.code).toBe(2);
  });
});

describe('onboard --plain (pty)', () => {
  it('numbered questions, a masked prompt that takes a wrapped paste whole, no spinner; stores the key', async () => {
    const state = tempState();
    const k = makeSecret('api');
    const p = startWizard(state, ['onboard', '--plain'], { api: api.url });
    try {
      await p.waitFor('Which agent is this credential for?');
      expect(p.screen()).toMatch(/1\) main \(default\)/);
      expect(p.screen()).toMatch(/0\) Quit/);
      p.write('1' + ENTER);
      await p.waitFor('How should agent main authenticate to Anthropic?');
      expect(p.screen()).toMatch(/1\) Anthropic API key — recommended/);
      p.write('1' + ENTER);
      await p.waitFor('Paste the API key (input hidden; empty: back)');
      // A wrapped key pasted in one go (bracketed paste) is one value: its line break does not submit.
      p.write(bracketedPaste(`${k.slice(0, 60)}\n${k.slice(60)}`) + ENTER);
      await p.waitFor(`sk-ant-api03-…${k.slice(-4)} (108 chars) · looks complete`);
      await p.waitFor('Check the balance too?');
      p.write(ENTER); // No (the default)
      await p.waitFor('Default model');
      expect(plainText(p.output()).replace(/\s+/g, ' ')).toMatch(/ok: The API key is accepted; its balance was not checked\. \(\d+ ms, request req_/);
      p.write(ENTER);
      await p.waitFor('Prompt-cache TTL');
      p.write('2' + ENTER);
      await p.waitFor('clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      const out = plainText(p.output());
      expect(out).toContain('Saved anthropic:default for agent main');
      expect(out).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
      expect(findLeaks(p.output(), [k])).toEqual([]);
      expect(readJson(storePath(state)).profiles['anthropic:default'].key).toBe(k);
      expect(readJson(configPath(state)).agents.defaults.models['anthropic/claude-opus-4-5-20251101'].params.cacheControlTtl).toBe('1h');
    } finally {
      p.dispose();
    }
  });

  it('TERM=dumb at 60 columns: no escape sequence at all, no word cut by a line end, choices named as they are shown', async () => {
    const state = tempState();
    const k = makeSecret('api');
    const p = startWizard(state, ['onboard', '--agent', 'main', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '5m'], {
      api: api.url,
      term: 'dumb',
      cols: 60,
      env: { PATH: pathWithoutClaude() },
    });
    try {
      await p.waitFor('How should agent main authenticate');
      p.write('2' + ENTER); // the paste-token choice (B is not available: claude is missing)
      await p.waitFor('Paste the setup-token');
      p.write('0'.repeat(0) + ENTER); // empty: back
      await p.waitForOutput(/How should agent main[\s\S]*How should agent main[\s\S]*or 0 to quit:/);
      p.write('1' + ENTER);
      await p.waitFor('Paste the API key');
      p.write(k + ENTER);
      await p.waitFor('Check the balance too?');
      p.write(ENTER);
      await p.waitFor('Next: clawdia models status');
      expect((await p.exited).exitCode).toBe(0);
      const raw = p.output();
      expect(raw).not.toContain('\u001b');
      const lines = raw.split(/\r?\n/);
      expect(lines.filter((l) => l.length > 59)).toEqual([]);
      expect(raw).not.toMatch(/\buse [A-D]\b|\([A-D]\)/);
      expect(raw.replace(/\s+/g, ' ')).toContain('or paste a setup-token made elsewhere (next choice)');
      expect(findLeaks(raw, [k])).toEqual([]);
      expect(readJson(storePath(state)).profiles['anthropic:default'].key).toBe(k);
    } finally {
      p.dispose();
    }
  });

  it('TERM=dumb picks the plain flow; 0 goes back, and quits at the first question (130)', async () => {
    const state = tempState();
    const p = startWizard(state, ['onboard'], { api: api.url, term: 'dumb' });
    try {
      await p.waitFor('Which agent is this credential for?');
      p.write('1' + ENTER);
      await p.waitFor('How should agent main authenticate');
      p.write('0' + ENTER);
      await p.waitFor(/Which agent is this credential for\?[\s\S]*Which agent is this credential for\?/);
      p.write('0' + ENTER);
      expect((await p.exited).exitCode).toBe(130);
      expect(fs.existsSync(path.join(state))).toBe(false);
    } finally {
      p.dispose();
    }
  });
});
