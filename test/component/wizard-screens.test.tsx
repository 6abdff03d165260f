// Each wizard screen through the real App: keys in, frames and events out. No effects run here;
// results are fed as events (the runner and ports are covered by the e2e tests).
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Select } from '../../components/Select.js';
import { MaskedInput } from '../../components/MaskedInput.js';
import { describeShape } from '../../src/core/credentials.js';
import type { AuthStore } from '../../src/core/types.js';
import { summaryModel } from '../../src/wizard/summary.js';
import { apiKey, BACKSPACE, CTRL_C, DAY, DOWN, ENTER, ESC, HOUR, lastFrame, lookData, mount, paste, States, T0, tick, token, UP } from './harness.js';

afterEach(() => cleanup());

describe('Select', () => {
  it('keys arriving in one burst each move the cursor the previous one left', async () => {
    const picked: number[] = [];
    const r = render(<Select items={[{ label: 'one' }, { label: 'two' }, { label: 'three' }]} initial={0} onSelect={(i) => picked.push(i)} />);
    await tick();
    r.stdin.write(DOWN + DOWN + ENTER);
    await tick();
    expect(picked).toEqual([2]);
  });

  it('skips disabled items and picks by key', async () => {
    const picked: number[] = [];
    const r = render(
      <Select
        items={[
          { label: 'a', key: 'A' },
          { label: 'b', key: 'B', disabled: true },
          { label: 'c', key: 'C' },
        ]}
        initial={0}
        onSelect={(i) => picked.push(i)}
      />,
    );
    await tick();
    r.stdin.write(DOWN);
    await tick();
    expect(lastFrame(r.frames)).toMatch(/❯ C {2}c/);
    r.stdin.write('b');
    await tick();
    expect(picked).toEqual([]);
    r.stdin.write('a');
    await tick();
    expect(picked).toEqual([0]);
  });
});

describe('MaskedInput', () => {
  it('never echoes the secret; a bracketed paste with a newline is one value with live feedback', async () => {
    const key = apiKey();
    const got: string[] = [];
    const r = render(<MaskedInput label="API key:" describe={(v) => describeShape(v, 'api_key')} onSubmit={(v) => got.push(v)} />);
    await tick();
    r.stdin.write(paste(`${key.slice(0, 50)}\n${key.slice(50)}`));
    await tick();
    const f = lastFrame(r.frames);
    expect(f).toContain(`an Anthropic API key · sk-ant-api03-…${key.slice(-4)} (108 chars) · looks complete`);
    expect(r.frames.join('')).not.toContain(key.slice(13, 40));
    expect(got).toEqual([]); // the newline inside the paste did not submit
    r.stdin.write(ENTER);
    await tick();
    expect(got).toEqual([`${key.slice(0, 50)}\n${key.slice(50)}`]);
  });

  it('typing, Backspace and truncation feedback', async () => {
    const r = render(<MaskedInput label="setup-token:" describe={(v) => describeShape(v, 'token')} onSubmit={() => {}} />);
    await tick();
    r.stdin.write('sk-ant-oat01-abc');
    await tick();
    r.stdin.write(BACKSPACE);
    await tick();
    const f = lastFrame(r.frames);
    expect(f).toContain('•'.repeat(15));
    expect(f).not.toContain('abc');
    expect(f).toMatch(/truncated|cut short/);
  });
});

describe('look-first', () => {
  it('shows the stored profiles while they are checked; Enter skips the wait', async () => {
    const store: AuthStore = { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } } };
    const m = mount(new States().looked(lookData({ store })).s);
    await tick();
    expect(m.frame()).toContain('Agent main already has 1 profile:');
    expect(m.frame()).toMatch(/anthropic:default {2}API key {2}sk-ant-api03-…/);
    expect(m.frame()).toContain('Checking them with api.anthropic.com');
    await m.press(ENTER);
    expect(m.events).toContainEqual({ type: 'check-skipped' });
    expect(m.frame()).toContain('Which agent is this credential for?');
  });
});

describe('fix-it', () => {
  const expired = (): AuthStore => ({
    version: 1,
    profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: token(), expires: T0 - 2 * DAY } },
  });

  it('names the problem, keeps the id; choosing paste leads to the masked input for that profile', async () => {
    const m = mount(new States().looked(lookData({ store: expired() })).s);
    await tick();
    const f = m.frame();
    expect(f).toContain('Fix it? anthropic:claude-cli has expired (2d ago)');
    expect(f).toMatch(/setup-token sk-ant-oat01-…[\w-]{4} \(108 chars\)/);
    expect(f).toContain('keeps the profile id anthropic:claude-cli, its place in the order and agent main');
    expect(f).toContain('Run `claude setup-token` again');
    expect(f).toContain('Paste a new setup-token');
    expect(f).toContain('Skip — leave it as it is and continue');
    await m.press(DOWN, ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'fix-chosen', action: 'paste-token' });
    expect(m.frame()).toContain('Paste the setup-token for agent main');
    await m.press(ESC);
    expect(m.frame()).toContain('Fix it?');
  });
});

describe('agent picker and new agent', () => {
  it('main is the default; create-new asks for an id, refuses a bad one, then asks about copying (No first)', async () => {
    const agents = [{ id: 'main', isDefault: true, listed: true, profileIds: ['anthropic:default'] }];
    const store: AuthStore = { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } } };
    const st = new States({ probe: false }).looked(lookData({ store, agents }));
    const m = mount(st.s);
    await tick();
    expect(m.frame()).toMatch(/❯ 1 {2}main \(default\)/);
    expect(m.frame()).toContain('1 profile: anthropic:default');
    await m.press(DOWN, ENTER);
    expect(m.frame()).toContain('Name the new agent');
    await m.press('Bad!', ENTER);
    expect(m.frame()).toContain('"Bad!" is not a valid agent id.');
    await m.press('bot', ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'agent-named', agentId: 'bot' });
    // The runner would look at "bot" now; feed the answer.
    m.store.dispatch({ type: 'looked', effectId: m.state.effects.find((e) => e.type === 'look')!.id, data: lookData({ agentId: 'bot', agents }) });
    await tick();
    expect(m.frame()).toContain("Copy main's profiles into bot?");
    expect(m.frame()).toMatch(/❯ 1 {2}No — bot starts empty/);
    expect(m.frame()).toMatch(/clawdia onboard {2}· {2}agent bot \(new\)/);
    await m.press(ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'copy-answered', copy: false });
    expect(m.frame()).toContain('How should agent bot authenticate to Anthropic?');
  });
});

describe('method', () => {
  it('API key first and recommended; B/C/D carry the terms line; keys pick; env credentials masked', async () => {
    const key = apiKey();
    const login = { source: 'file' as const, location: '/c', accessToken: token(), expiresAt: T0 + 5 * HOUR };
    const m = mount(new States({ agent: 'main' }).looked(lookData({ claudeLogin: login, env: { ANTHROPIC_API_KEY: key, ANTHROPIC_AUTH_TOKEN: token() } })).s);
    await tick();
    const f = m.frame();
    expect(f).toMatch(/❯ A {2}Anthropic API key — recommended/);
    expect(f).toContain('Usage-based billing');
    expect(f.match(/may be restricted by Anthropic's terms/g)).toHaveLength(3);
    expect(f).toMatch(/D {2}Reuse Claude Code's login on this host \(expires in 5h\)/);
    expect(f).toMatch(/sk-ant-oat01-…[\w-]{4} \(108 chars\) · it lives hours; only Claude Code refreshes it/);
    expect(f).toContain(`E  Use ANTHROPIC_API_KEY from this shell (sk-ant-api03-…${key.slice(-4)} (108 chars))`);
    expect(f).toMatch(/ANTHROPIC_AUTH_TOKEN is set .*not used as input/);
    expect(m.all()).not.toContain(key.slice(20, 60));
    await m.press('c');
    expect(m.events.at(-1)).toEqual({ type: 'method-chosen', method: 'paste-token' });
  });

  it('claude missing: B is shown as unavailable with the install hint and skipped by the cursor', async () => {
    const m = mount(new States({ agent: 'main' }).looked(lookData({ claudePath: null })).s);
    await tick();
    expect(m.frame()).toContain('Claude Code CLI not found');
    expect(m.frame()).toContain('npm install -g @anthropic-ai/claude-code');
    await m.press(DOWN, ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'method-chosen', method: 'paste-token' });
  });

  it('Esc at the first step cancels; Ctrl-C cancels anywhere', async () => {
    const m = mount(new States({ agent: 'main' }).looked().s);
    await m.press(ESC);
    expect(m.state.flow.step).toBe('cancelled');
    expect(m.all()).toContain('Cancelled. Nothing was written.');
    const n = mount(new States({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'api-key' }).s);
    await n.press(CTRL_C);
    expect(n.state.flow.step).toBe('cancelled');
    expect(n.state.exitCode).toBe(130);
  });
});

describe('enter credential', () => {
  it('a truncated paste is refused before any request, the input is cleared, the agent is named', async () => {
    const key = apiKey();
    const m = mount(new States({ agent: 'work' }).looked(lookData({ agentId: 'work' })).send({ type: 'method-chosen', method: 'api-key' }).s);
    await tick();
    expect(m.frame()).toContain('Paste the Anthropic API key for agent work');
    await m.press(paste(key.slice(0, 70)), ENTER);
    expect(m.frame()).toMatch(/✘ sk-ant-api03-… \(70 chars\): That looks truncated/);
    expect(m.state.effects.some((e) => e.type === 'validate')).toBe(false);
    expect(m.frame()).not.toContain('•'); // the refused value was cleared
    // The old error goes once the user types again (issue 11).
    await m.press('s');
    expect(m.frame()).not.toContain('That looks truncated');
    await m.press(BACKSPACE);
    await m.press(paste(key), ENTER);
    expect(m.state.flow.step).toBe('validating');
    expect(m.all()).not.toContain(key.slice(13, 50));
  });
});

describe('validating and verdict', () => {
  it('spinner with elapsed time and the fingerprint; Esc goes back', async () => {
    const key = apiKey();
    const st = new States({ agent: 'main' })
      .looked(lookData({ env: { ANTHROPIC_BASE_URL: 'http://10.0.0.5:8080' } }))
      .send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: key });
    const m = mount(st.s, T0 + 1300);
    await tick();
    const f = m.frame();
    expect(f).toContain('Checking the API key for agent main');
    expect(f).toContain(`sk-ant-api03-…${key.slice(-4)} (108 chars) from pasted`);
    expect(f).toMatch(/One request to http:\/\/10\.0\.0\.5:8080 \(timeout 10 s\)… 1\.3 s/);
    expect(f).toContain('plain http to a non-loopback host');
    await m.press(ESC);
    expect(m.state.flow.step).toBe('enter-credential');
  });

  it('a 401 in words with the next step; offline offers retry and save unverified', async () => {
    const st = new States({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'api-key' }).send({ type: 'credential-submitted', raw: apiKey() });
    const m = mount(
      st.validated({
        verdict: 'invalid',
        message: 'The API key was rejected (401 invalid x-api-key).',
        hint: 'Create a new key in the Console and paste it again.',
        httpStatus: 401,
      }).s,
    );
    await tick();
    expect(m.frame()).toContain('✘ The API key was rejected (401 invalid x-api-key).');
    expect(m.frame()).toContain('Create a new key in the Console and paste it again.');
    expect(m.frame()).toContain('nothing was stored');
    expect(m.frame()).not.toContain('Save it anyway');
    const st2 = new States({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'api-key' }).send({ type: 'credential-submitted', raw: apiKey() });
    const n = mount(st2.validated({ verdict: 'offline', message: 'Could not reach the API (ECONNREFUSED).' }).s);
    await tick();
    expect(n.frame()).toMatch(/❯ 1 {2}Try the check again/);
    expect(n.frame()).toContain('Save it anyway, marked offline');
    await n.press(ENTER);
    expect(n.events.at(-1)).toEqual({ type: 'verdict-answered', action: 'retry' });
    expect(n.state.flow.step).toBe('validating');
  });
});

describe('replace, model, cache TTL', () => {
  it('replace names the old fingerprint; rename takes a name; model list from the check; TTL says "applies to all agents"', async () => {
    const old = apiKey();
    const store: AuthStore = { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: old } } };
    const st = new States({ agent: 'main', probe: false })
      .looked(lookData({ store }))
      .send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() });
    const m = mount(st.validated({ models: ['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001'] }).s);
    await tick();
    expect(m.frame()).toContain('✔ The API key works.');
    expect(m.frame()).toContain('Agent main already has anthropic:default.');
    expect(m.frame()).toContain(`Replace anthropic:default (sk-ant-api03-…${old.slice(-4)} (108 chars))`);
    await m.press(DOWN, ENTER);
    expect(m.frame()).toContain('Name the new profile for agent main');
    await m.press('work', ENTER);
    expect(m.state.flow.profileId).toBe('anthropic:work');
    expect(m.frame()).toContain('Default model — applies to all agents');
    expect(m.frame()).toMatch(/❯ 1 {2}claude-opus-4-5-20251101 {2}\(suggested\)/);
    await m.press(DOWN, ENTER);
    expect(m.frame()).toContain('Prompt-cache TTL for anthropic/claude-haiku-4-5-20251001 — applies to all agents');
    expect(m.frame()).toMatch(/❯ 1 {2}5 minutes — Anthropic's default \(nothing written\)/);
    await m.press(DOWN, ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'cache-ttl-chosen', ttl: '1h' });
    expect(m.state.flow.step).toBe('saving');
    expect(m.frame()).toContain('Writing the config and the auth store');
  });
});

describe('claude setup-token screen', () => {
  it('says how the step ends, prints the URL whole, masks the code, reports a refused code and an OAuth error', async () => {
    const st = new States({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'setup-token' });
    const id = st.effect('setup-token').id;
    const m = mount(st.s);
    await tick();
    expect(m.frame()).toContain('This step ends when the token arrives, or after 10 min.');
    expect(m.frame()).toContain('Esc stops `claude` and goes back to the methods; Ctrl-C stops it and quits.');
    const url = `https://claude.ai/oauth/authorize?code=true&client_id=${'x'.repeat(40)}&state=${'y'.repeat(60)}`;
    m.store.dispatch({ type: 'setup-token-progressed', effectId: id, event: { type: 'url', url } });
    m.store.dispatch({ type: 'setup-token-progressed', effectId: id, event: { type: 'awaiting-code' } });
    await tick();
    expect(m.all()).toContain(`\n${url}\n`); // on its own line, unwrapped, no border
    expect(m.frame()).toContain('2. Paste the code the page shows you');
    await m.press('abc#def');
    expect(m.frame()).not.toContain('abc#def');
    expect(m.frame()).toContain('•••••••');
    await m.press(ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'code-submitted', code: 'abc#def' });
    expect(m.frame()).toContain('Code sent; waiting for the token');
    m.store.dispatch({ type: 'setup-token-progressed', effectId: id, event: { type: 'code-rejected', message: "That doesn't look like the full code." } });
    await tick();
    expect(m.frame()).toContain("✘ Claude Code did not accept the code: That doesn't look like the full code.");
    m.store.dispatch({ type: 'setup-token-progressed', effectId: id, event: { type: 'oauth-error', reason: 'getaddrinfo ENOTFOUND claude.ai' } });
    await tick();
    expect(m.frame()).toContain('✘ Sign-in failed: no network connection to the sign-in service (getaddrinfo ENOTFOUND claude.ai).');
    await m.press(ENTER);
    expect(m.events.at(-1)).toEqual({ type: 'setup-token-retried' });
    await m.press(ESC);
    expect(m.state.flow.step).toBe('choose-method');
    expect(m.frame()).toContain('Stopped `claude setup-token`; nothing was stored.');
    expect(m.frame()).toMatch(/❯ C {2}Paste a setup-token/);
  });

  it('a failure comes back to the method step with the reason and paste pre-selected', async () => {
    const st = new States({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'setup-token' });
    st.send({ type: 'setup-token-finished', effectId: st.effect('setup-token').id, result: { ok: false, failure: 'timeout', message: '' } });
    const m = mount(st.s);
    await tick();
    expect(m.frame()).toContain('did not finish within 10 min; clawdia stopped it.');
    expect(m.frame()).toMatch(/❯ C {2}Paste a setup-token/);
  });
});

describe('summary', () => {
  it('shows what is stored, the snippet, shadowing and next steps — and the app exits', async () => {
    const st = new States({ agent: 'main' })
      .looked()
      .send({ type: 'method-chosen', method: 'paste-token' })
      .send({ type: 'credential-submitted', raw: token() })
      .validated();
    st.send({
      type: 'saved',
      effectId: st.effect('save').id,
      summary: {
        agent: 'main',
        profileId: 'anthropic:claude-cli',
        type: 'token',
        fingerprint: 'sk-ant-oat01-…wxyz (108 chars)',
        verdict: 'valid',
        requestId: 'req_9',
        expiresAt: T0 + 365 * DAY,
        cooldownUntil: null,
        billing: 'Claude subscription plan',
        replaced: false,
        previousFingerprint: null,
        activeProfile: 'anthropic:claude-cli',
        previousActive: null,
        order: ['anthropic:claude-cli', 'anthropic:default'],
        configSnippet: { auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' } } } },
        copied: [],
        betaKept: [],
        wrote: ['/s/clawdia.json'],
        migrated: [],
        dryRun: false,
        storePath: '/s/a',
        configPath: '/s/clawdia.json',
        shadowedBy: [{ name: 'CLAUDE_CODE_OAUTH_TOKEN', fingerprint: 'sk-ant-oat01-…zzzz (108 chars)', shadows: 'anthropic:claude-cli' }],
        warnings: [],
      },
    });
    const m = mount(st.s);
    await tick();
    const all = m.all();
    // Short, like gh: which profile is in use first, what was saved, the check, what next; the
    // env var that wins is a warning; the config snippet only with --verbose.
    expect(all.trim().split('\n')[0]).toContain('! Agent main will now use anthropic:claude-cli, the new setup-token.');
    const model = summaryModel(st.s, T0);
    expect(1 + model.lines.length).toBeGreaterThanOrEqual(3);
    expect(1 + model.lines.length).toBeLessThanOrEqual(6);
    for (const want of [
      'Saved anthropic:claude-cli for agent main',
      'setup-token',
      'expires in 365d',
      'Check: accepted (request req_9).',
      'CLAUDE_CODE_OAUTH_TOKEN is set',
      'Next: clawdia models status',
    ]) {
      expect(all).toContain(want);
    }
    expect(all).not.toContain('"mode": "oauth"');
    const v = mount({ ...st.s, options: { ...st.s.options, verbose: true } });
    await tick();
    for (const want of ['"mode": "oauth"', 'anthropic:claude-cli (order: anthropic:claude-cli, anthropic:default)', 'Config written:', '/s/clawdia.json']) {
      expect(v.all()).toContain(want);
    }
  });
});

it('the cursor stops at both ends (no wrap-around): UP at the first and DOWN past the last stay put', async () => {
  const m = mount(new States({ agent: 'main' }).looked().s);
  await m.press(UP);
  expect(m.frame()).toMatch(/❯ A {2}Anthropic API key/);
  await m.press(DOWN, DOWN, DOWN, DOWN, DOWN);
  expect(m.frame()).toMatch(/❯ C {2}Paste a setup-token/);
});
