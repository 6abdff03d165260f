// Every transition of the wizard's machine from the method on (credential, setup-token, verdicts,
// replace, billed check, order, write, summary), back navigation and each failure path. Pure: no
// ports, no timers — events carry their time. Look-first, fix-it and the agent steps are in
// machine-look.test.ts; the driver in test/support/machine-drive.ts.
import { describe, expect, it } from 'vitest';
import type { AuthStore } from '../../src/core/types.js';
import type { ValidationOutcome } from '../../src/ports.js';
import {
  detectedNotes,
  methodChoices,
  modelChoices,
  replaceChoices,
  ttlChoices,
  activeFirstChoices,
  billingChoices,
  verdictChoices,
} from '../../src/wizard/choices.js';
import { reduce } from '../../src/wizard/machine.js';
import { saveRequest } from '../../src/wizard/selectors.js';
import type { WizardOptions } from '../../src/wizard/state.js';
import { summaryModel, summaryText } from '../../src/wizard/summary.js';
import { makeSecret } from '../support/cli.js';
import { Drive, lookData, summary } from '../support/machine-drive.js';
import { apiKey, DAY, HOUR, outcome, T0, token } from '../support/wizard-data.js';

describe('method and credential', () => {
  it('API key: shape problems are caught before any request, then validation, model, TTL, save', () => {
    const d = new Drive({ agent: 'main' }).looked();
    expect(methodChoices(d.s).choices.map((c) => `${c.key} ${c.value}`)).toEqual(['A api-key', 'B setup-token', 'C paste-token']);
    d.send({ type: 'method-chosen', method: 'api-key' });
    expect(d.step).toBe('enter-credential');
    expect(d.s.flow.expected).toBe('api_key');
    const key = apiKey();
    d.send({ type: 'credential-submitted', raw: key.slice(0, 60) });
    expect(d.step).toBe('enter-credential');
    expect(d.s.flow.notice?.text).toMatch(/truncated/);
    d.send({ type: 'credential-submitted', raw: token() });
    expect(d.s.flow.notice?.text).toMatch(/not an API key/);
    expect(d.s.effects.some((e) => e.type === 'validate')).toBe(false);
    d.send({ type: 'credential-submitted', raw: `export ANTHROPIC_API_KEY="${key.slice(0, 50)}\n${key.slice(50)}"` });
    expect(d.step).toBe('validating');
    expect(d.effect('validate')).toMatchObject({ kind: 'api_key', timeoutMs: 10_000 });
    // The effect carries no copy of the secret (issue 12): the runner reads the normalized one from flow.credential.
    expect(d.effect('validate')).not.toHaveProperty('secret');
    expect(d.s.flow.credential?.secret).toBe(key);
    d.validated({ models: ['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001'] });
    expect(d.step).toBe('choose-model');
    const m = modelChoices(d.s);
    expect(m.choices[m.initial]!.value).toBe('claude-opus-4-5-20251101');
    d.send({ type: 'model-chosen', model: 'claude-haiku-4-5-20251001' });
    expect(d.step).toBe('choose-cache-ttl');
    expect(ttlChoices(d.s).choices[ttlChoices(d.s).initial]!.value).toBe('5m');
    d.send({ type: 'cache-ttl-chosen', ttl: '1h' });
    expect(d.step).toBe('saving');
    expect(d.effect('save').request).toMatchObject({
      agentId: 'main',
      profileId: 'anthropic:default',
      model: 'claude-haiku-4-5-20251001',
      cacheTtl: '1h',
      dryRun: false,
    });
    expect(saveRequest(d.s).credential.source).toBe('pasted');
  });

  it('Esc goes back one step at a time, down to cancel at the first step', () => {
    const d = new Drive({ agent: 'main' }).looked();
    d.send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated({ models: ['m1'] });
    d.send({ type: 'model-chosen', model: 'm1' });
    const trail: string[] = [d.step];
    for (let i = 0; i < 5; i++) trail.push(d.send({ type: 'went-back' }).step);
    expect(trail).toEqual(['choose-cache-ttl', 'choose-model', 'offer-billing', 'enter-credential', 'choose-method', 'cancelled']);
    expect(d.s.exitCode).toBe(130);
  });

  it('Esc while validating aborts the check (the effect goes away) and a late answer is ignored', () => {
    const d = new Drive({ agent: 'main' }).looked();
    d.send({ type: 'method-chosen', method: 'api-key' }).send({ type: 'credential-submitted', raw: apiKey() });
    const v = d.effect('validate');
    d.send({ type: 'went-back' });
    expect(d.step).toBe('enter-credential');
    expect(d.s.effects.some((e) => e.type === 'validate')).toBe(false);
    d.send({ type: 'validated', effectId: v.id, outcome: outcome() });
    expect(d.step).toBe('enter-credential');
  });

  it('paste-token: an API key pasted where a token is expected is refused with what to do', () => {
    const d = new Drive({ agent: 'main' }).looked();
    d.send({ type: 'method-chosen', method: 'paste-token' }).send({ type: 'credential-submitted', raw: apiKey() });
    expect(d.s.flow.notice).toMatchObject({ text: expect.stringMatching(/not a setup-token/), hint: expect.stringMatching(/API key/) });
    d.send({ type: 'credential-submitted', raw: makeSecret('ort') });
    expect(d.s.flow.notice?.text).toMatch(/refresh token/);
    const tok = token();
    d.send({ type: 'credential-submitted', raw: tok });
    expect(d.s.flow.credential).toMatchObject({ kind: 'token', secret: tok, expires: T0 + 365 * DAY });
    d.validated();
    expect(d.step).toBe('saving'); // tokens: no model / TTL step
    expect(d.effect('save').request.profileId).toBe('anthropic:claude-cli');
  });

  it('claude missing: B is shown disabled with the install hint, and choosing it anyway explains', () => {
    const d = new Drive({ agent: 'main' }).looked(lookData({ claudePath: null }));
    const b = methodChoices(d.s).choices.find((c) => c.value === 'setup-token')!;
    expect(b.disabled).toBe(true);
    expect(b.hints?.[0]).toMatch(/npm install -g @anthropic-ai\/claude-code/);
    d.send({ type: 'method-chosen', method: 'setup-token' });
    expect(d.step).toBe('choose-method');
    expect(d.s.flow.notice?.text).toMatch(/not found/);
  });

  it('B, C and D each carry the one-line subscription-terms note; A is first and recommended', () => {
    const d = new Drive({ agent: 'main' }).looked(
      lookData({ claudeLogin: { source: 'file', location: '/c', accessToken: token(), expiresAt: T0 + 5 * HOUR } }),
    );
    const c = methodChoices(d.s).choices;
    expect(c[0]!.label).toMatch(/API key — recommended/);
    for (const v of ['setup-token', 'paste-token', 'claude-cli']) {
      expect(
        c
          .find((x) => x.value === v)!
          .hints!.join(' ')
          .match(/restricted by Anthropic's terms/g),
      ).toHaveLength(1);
    }
    expect(c[0]!.hints!.join(' ')).not.toMatch(/terms/);
    expect(c.find((x) => x.value === 'claude-cli')!.label).toMatch(/expires in 5h/);
  });

  it('detected env credentials are offered masked with their source; ANTHROPIC_AUTH_TOKEN is reported only', () => {
    const key = apiKey();
    const tok = token();
    const d = new Drive({ agent: 'main' }).looked(lookData({ env: { ANTHROPIC_API_KEY: key, CLAUDE_CODE_OAUTH_TOKEN: tok, ANTHROPIC_AUTH_TOKEN: token() } }));
    const c = methodChoices(d.s).choices;
    const e = c.find((x) => x.value === 'env-api-key')!;
    expect(e.label).toContain('ANTHROPIC_API_KEY');
    expect(e.label).toContain(`…${key.slice(-4)} (108 chars)`);
    expect(JSON.stringify(c)).not.toContain(key);
    expect(JSON.stringify(c)).not.toContain(tok);
    expect(c.some((x) => /ANTHROPIC_AUTH_TOKEN/.test(x.label))).toBe(false);
    expect(detectedNotes(d.s)[0]).toMatch(/ANTHROPIC_AUTH_TOKEN is set .* not used as input/);
    d.send({ type: 'method-chosen', method: 'env-oauth-token' });
    expect(d.step).toBe('validating');
    expect(d.s.flow.credential).toMatchObject({ kind: 'token', secret: tok, source: 'CLAUDE_CODE_OAUTH_TOKEN' });
    d.send({ type: 'went-back' });
    expect(d.step).toBe('choose-method');
    d.send({ type: 'method-chosen', method: 'env-api-key' });
    expect(d.s.flow.credential).toMatchObject({ kind: 'api_key', secret: key, source: 'ANTHROPIC_API_KEY' });
  });

  it("D: Claude Code's login, refused when expired; warns before replacing a year-long setup-token", () => {
    const login = { source: 'file' as const, location: '/c', accessToken: token(), expiresAt: T0 + 2 * 60_000 };
    const d = new Drive({ agent: 'main' }).looked(lookData({ claudeLogin: login }));
    expect(methodChoices(d.s).choices.find((c) => c.value === 'claude-cli')!.disabled).toBe(true);
    d.send({ type: 'method-chosen', method: 'claude-cli' });
    expect(d.s.flow.notice?.text).toMatch(/expired/);

    const store: AuthStore = {
      version: 1,
      profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: token(), expires: T0 + 300 * DAY } },
    };
    const e = new Drive({ agent: 'main', probe: false }).looked(lookData({ store, claudeLogin: { ...login, expiresAt: T0 + 6 * HOUR } }));
    e.send({ type: 'method-chosen', method: 'claude-cli' }).validated();
    expect(e.step).toBe('replace-or-rename');
    const r = replaceChoices(e.s);
    expect(r.choices[0]!.hints![0]).toMatch(/lives hours; the setup-token it replaces lasts a year \(expires in 300d\)/);
    expect(r.choices[r.initial]!.value).toBe('rename');
  });

  it('--auth-choice answers the method step once; a setup-token failure shows it again', () => {
    const d = new Drive({ agent: 'main', authChoice: 'setup-token' }).looked();
    expect(d.step).toBe('running-setup-token');
    d.send({ type: 'setup-token-finished', effectId: d.effect('setup-token').id, result: { ok: false, failure: 'exit_code', message: 'x', exitCode: 3 } });
    expect(d.step).toBe('choose-method');
    expect(d.s.flow.notice?.text).toMatch(/exited with code 3/);
  });

  it('--skip-validation: no request, stored as unverified', () => {
    const d = new Drive({ agent: 'main', skipValidation: true }).looked();
    d.send({ type: 'method-chosen', method: 'paste-token' }).send({ type: 'credential-submitted', raw: token() });
    expect(d.step).toBe('saving');
    expect(d.s.effects.some((e) => e.type === 'validate')).toBe(false);
    expect(d.effect('save').request.decision.record.verdict).toBe('unverified');
  });

  it('--model and --cache-ttl answer their steps', () => {
    const d = new Drive({ agent: 'main', model: 'claude-sonnet-4-5', cacheTtl: '1h' }).looked();
    d.send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated({ models: ['a'] });
    expect(d.step).toBe('saving');
    expect(d.effect('save').request).toMatchObject({ model: 'claude-sonnet-4-5', cacheTtl: '1h' });
  });

  it('no model list (rate limited) but a configured model: the TTL step still comes', () => {
    const d = new Drive({ agent: 'main' }).looked(
      lookData({
        config: { agents: { defaults: { model: { primary: 'anthropic/claude-x' }, models: { 'anthropic/claude-x': { params: { cacheControlTtl: '1h' } } } } } },
      }),
    );
    d.send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated({ verdict: 'rate_limited', retryAfterMs: 30_000 });
    expect(d.step).toBe('choose-cache-ttl');
    const t = ttlChoices(d.s);
    expect(t.choices[t.initial]!.value).toBe('1h');
    expect(t.choices[0]!.label).toMatch(/removes the 1h setting/);
    d.send({ type: 'cache-ttl-chosen', ttl: '5m' });
    expect(d.effect('save').request.decision).toMatchObject({ cooldownUntil: T0 + 30_000 });
  });
});

describe('running claude setup-token', () => {
  const start = (o: Partial<WizardOptions> = {}) => new Drive({ agent: 'main', ...o }).looked().send({ type: 'method-chosen', method: 'setup-token' });

  it('shows the URL, takes the code, captures the token and validates it like a pasted one', () => {
    const d = start();
    expect(d.step).toBe('running-setup-token');
    const e = d.effect('setup-token');
    expect(e.timeoutMs).toBe(600_000);
    expect(d.s.flow.setup?.phase).toBe('starting');
    d.send({ type: 'setup-token-progressed', effectId: e.id, event: { type: 'url', url: 'https://claude.ai/oauth/authorize?x=1' } });
    d.send({ type: 'setup-token-progressed', effectId: e.id, event: { type: 'awaiting-code' } });
    expect(d.s.flow.setup).toMatchObject({ phase: 'awaiting-code', url: 'https://claude.ai/oauth/authorize?x=1' });
    d.send({ type: 'code-submitted', code: 'abc' });
    expect(d.s.flow.setup?.phase).toBe('code-sent');
    d.send({ type: 'setup-token-progressed', effectId: e.id, event: { type: 'code-rejected', message: "That doesn't look like the full code." } });
    expect(d.s.flow.setup).toMatchObject({ phase: 'awaiting-code', codeError: expect.stringMatching(/full code/) });
    d.send({ type: 'code-submitted', code: 'abc#def' });
    const tok = token();
    d.t += 1000;
    d.send({ type: 'setup-token-finished', effectId: e.id, result: { ok: true, token: tok, expiresInMs: 30 * DAY } });
    expect(d.step).toBe('validating');
    expect(d.s.flow.credential).toMatchObject({ kind: 'token', secret: tok, expires: T0 + 1000 + 30 * DAY, source: 'claude setup-token' });
    d.validated();
    expect(d.effect('save').request).toMatchObject({ profileId: 'anthropic:claude-cli' });
  });

  it('365 days when no duration is printed', () => {
    const d = start();
    d.send({ type: 'setup-token-finished', effectId: d.effect('setup-token').id, result: { ok: true, token: token() } });
    expect(d.s.flow.credential?.expires).toBe(T0 + 365 * DAY);
  });

  it.each([
    ['not_found', /not found/],
    ['exit_code', /exited with code 2/],
    ['no_token', /without printing a token/],
    ['timeout', /did not finish within 10 min/],
    ['oauth_error', /no network connection to the sign-in service/],
    ['stopped', /Stopped/],
    ['spawn_failed', /Could not start/],
  ] as const)('failure %s returns to the method step with the reason and paste pre-selected', (failure, text) => {
    const d = start();
    d.send({
      type: 'setup-token-finished',
      effectId: d.effect('setup-token').id,
      result: { ok: false, failure, message: 'EACCES', exitCode: 2, oauthError: 'getaddrinfo ENOTFOUND claude.ai' },
    });
    expect(d.step).toBe('choose-method');
    expect(d.s.flow.notice?.text).toMatch(text);
    expect(d.s.flow.notice?.hint ?? '').toMatch(/paste|install/i);
    const c = methodChoices(d.s);
    expect(c.choices[c.initial]!.value).toBe('paste-token');
    // Back stack is intact: Esc from the method step is the first step here → cancel.
    expect(d.s.effects.some((e) => e.type === 'setup-token')).toBe(false);
  });

  it('a captured value that is not a whole token is refused (never stored)', () => {
    const d = start();
    d.send({ type: 'setup-token-finished', effectId: d.effect('setup-token').id, result: { ok: true, token: token().slice(0, 79) } });
    expect(d.step).toBe('choose-method');
    expect(d.s.flow.notice?.text).toMatch(/not a whole setup-token/);
  });

  it('OAuth error: the reason is shown, Enter retries', () => {
    const d = start();
    const e = d.effect('setup-token');
    d.send({ type: 'setup-token-progressed', effectId: e.id, event: { type: 'oauth-error', reason: 'getaddrinfo ENOTFOUND' } });
    expect(d.s.flow.setup).toMatchObject({ phase: 'oauth-error', oauthError: 'getaddrinfo ENOTFOUND' });
    d.send({ type: 'setup-token-retried' });
    expect(d.s.flow.setup?.phase).toBe('waiting');
  });

  it('Esc stops the child (effect removed) and returns to the method step saying so', () => {
    const d = start();
    d.send({ type: 'went-back' });
    expect(d.step).toBe('choose-method');
    expect(d.s.effects.some((e) => e.type === 'setup-token')).toBe(false);
    expect(d.s.flow.notice?.text).toMatch(/Stopped `claude setup-token`; nothing was stored/);
  });

  it('Ctrl-C stops everything: cancelled, no effects left, exit 130', () => {
    const d = start();
    d.send({ type: 'cancelled' });
    expect(d.step).toBe('cancelled');
    expect(d.s.effects).toEqual([]);
    expect(d.s.exitCode).toBe(130);
  });

  it('SIGTERM while it runs: exit 143', () => {
    const d = start();
    d.send({ type: 'cancelled', exitCode: 143 });
    expect(d.s.exitCode).toBe(143);
  });
});

describe('verdicts', () => {
  const toVerdict = (o: Partial<ValidationOutcome>, w: Partial<WizardOptions> = {}) =>
    new Drive({ agent: 'main', ...w })
      .looked()
      .send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated(o);

  it('invalid: no save-unverified; paste again returns to the input', () => {
    const d = toVerdict({ verdict: 'invalid', message: 'The API key was rejected (401).' });
    expect(d.step).toBe('verdict');
    expect(verdictChoices(d.s).choices.map((c) => c.value)).toEqual(['paste-again', 'other-method']);
    d.send({ type: 'verdict-answered', action: 'save-unverified' });
    expect(d.step).toBe('verdict');
    d.send({ type: 'verdict-answered', action: 'paste-again' });
    expect(d.step).toBe('enter-credential');
    expect(d.s.flow.attempt).toBe(1);
    d.send({ type: 'went-back' });
    expect(d.step).toBe('choose-method');
  });

  it('offline: retry, then save unverified', () => {
    const d = toVerdict({ verdict: 'offline', message: 'No connection.' });
    expect(verdictChoices(d.s).choices.map((c) => c.value)).toEqual(['retry', 'paste-again', 'save-unverified', 'other-method']);
    d.send({ type: 'verdict-answered', action: 'retry' });
    expect(d.step).toBe('validating');
    d.validated({ verdict: 'unavailable' });
    expect(d.step).toBe('verdict');
    d.send({ type: 'verdict-answered', action: 'save-unverified' });
    expect(d.step).toBe('saving'); // no model list, no model configured: nothing to ask
    expect(d.s.flow.decision?.record.verdict).toBe('unavailable');
  });

  it('forbidden: save anyway is offered; another method goes back to the method step', () => {
    const d = toVerdict({ verdict: 'forbidden' });
    expect(verdictChoices(d.s).choices.map((c) => c.value)).toContain('save-unverified');
    d.send({ type: 'verdict-answered', action: 'other-method' });
    expect(d.step).toBe('choose-method');
  });

  it('--save-unverified stores a forbidden credential without asking', () => {
    const d = toVerdict({ verdict: 'forbidden' }, { saveUnverified: true });
    expect(d.step).toBe('saving');
  });
});

describe('replace or rename', () => {
  const store = (): AuthStore => ({ version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } } });
  const toReplace = (o: Partial<WizardOptions> = {}) =>
    new Drive({ agent: 'main', probe: false, ...o })
      .looked(lookData({ store: store() }))
      .send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated();

  it('asks, names the fingerprint; replace goes on', () => {
    const d = toReplace();
    expect(d.step).toBe('replace-or-rename');
    expect(replaceChoices(d.s).choices[0]!.label).toMatch(/^Replace anthropic:default \(sk-ant-api03-…[\w-]{4} \(108 chars\)\)$/);
    d.send({ type: 'replace-answered', replace: true });
    expect(d.step).toBe('saving');
    expect(d.effect('save').request.allowReplace).toBe(true);
  });

  it('rename: the name is checked, an existing one refused, a new one used', () => {
    const d = toReplace();
    d.send({ type: 'replace-answered', replace: false });
    expect(d.step).toBe('name-profile');
    d.send({ type: 'profile-named', name: 'Bad Name' });
    expect(d.s.flow.notice?.text).toMatch(/not a valid profile name/);
    d.send({ type: 'profile-named', name: 'default' });
    expect(d.s.flow.notice?.text).toMatch(/already exists/);
    d.send({ type: 'profile-named', name: 'anthropic:work' });
    expect(d.step).toBe('saving');
    // The agent holds another profile: a dry run of the write first tells which one it would use.
    expect(d.effect('preview').request).toMatchObject({ profileId: 'anthropic:work', allowReplace: false, dryRun: true });
    d.send({
      type: 'previewed',
      effectId: d.effect('preview').id,
      summary: summary({ profileId: 'anthropic:work', activeProfile: 'anthropic:work', order: ['anthropic:work', 'anthropic:default'] }),
    });
    expect(d.effect('save').request).toMatchObject({ profileId: 'anthropic:work', allowReplace: false, dryRun: false });
    expect(d.effect('save').request.putFirst).toBeUndefined();
  });

  it('--yes replaces without asking', () => {
    expect(toReplace({ yes: true }).step).toBe('saving');
  });

  it('a token cannot replace an API-key profile id: replace is disabled with the reason', () => {
    const d = new Drive({ agent: 'main', probe: false, profileId: 'anthropic:default' })
      .looked(lookData({ store: store(), config: { auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } } }))
      .send({ type: 'method-chosen', method: 'paste-token' })
      .send({ type: 'credential-submitted', raw: token() })
      .validated();
    expect(d.step).toBe('replace-or-rename');
    const r = replaceChoices(d.s).choices[0]!;
    expect(r.disabled).toBe(true);
    expect(r.hints![0]).toMatch(/will not store a token/);
    d.send({ type: 'replace-answered', replace: true });
    expect(d.step).toBe('replace-or-rename');
  });
});

describe('the billed check (issue 11 item 3)', () => {
  const free = (o: Partial<WizardOptions> = {}) => {
    const d = new Drive({ agent: 'main', ...o })
      .looked()
      .send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() });
    return d.send({
      type: 'validated',
      effectId: d.effect('validate').id,
      outcome: outcome({ models: ['m1'], message: 'The API key is accepted; its balance was not checked.' }),
    });
  };

  it('an accepted API key is offered one billed request, No by default; No goes on with the balance unchecked', () => {
    const d = free();
    expect(d.step).toBe('offer-billing');
    const list = billingChoices();
    expect(list.choices[list.initial]!.value).toBe('skip');
    expect(list.choices.map((c) => c.label).join(' ')).toContain('costs a fraction of a cent');
    d.send({ type: 'billing-answered', check: false });
    expect(d.step).toBe('choose-model');
    expect(d.s.flow.billing).toBeNull();
  });

  it('Yes sends one billed request; no credit → the verdict step with the Plans & Billing fix, the model list kept', () => {
    const d = free();
    d.send({ type: 'billing-answered', check: true });
    expect(d.step).toBe('checking-billing');
    const e = d.effect('validate');
    expect(e).toMatchObject({ kind: 'api_key', billed: true });
    d.send({
      type: 'validated',
      effectId: e.id,
      outcome: outcome({ verdict: 'no_credit', reason: 'billing', message: 'no credit', hint: 'Add credits under Plans & Billing' }),
    });
    expect(d.step).toBe('verdict');
    expect(d.s.flow.validation?.outcome).toMatchObject({ verdict: 'no_credit', models: ['m1'] });
    expect(verdictChoices(d.s).choices.map((c) => c.value)).toEqual(['paste-again', 'save-unverified', 'other-method']);
  });

  it('a billed request that goes through: on to the model, and the summary says the balance was seen', () => {
    const d = free();
    d.send({ type: 'billing-answered', check: true });
    d.send({ type: 'validated', effectId: d.effect('validate').id, outcome: outcome({ detail: 'checked with claude-haiku-4-5 (billed)' }) });
    expect(d.step).toBe('choose-model');
    expect(d.s.flow.billing?.verdict).toBe('valid');
  });

  it('--check-billing runs it without asking; scripted runs (non-interactive) never ask', () => {
    expect(free({ checkBilling: true }).step).toBe('checking-billing');
    expect(free({ replaceWithoutAsking: true, model: 'm1', cacheTtl: '5m' }).step).toBe('saving');
  });
});

describe('the new credential in use (issue 11 item 4)', () => {
  // Two profiles copied from main (a setup-token first), then an API key under anthropic:default.
  const copied = (o: Partial<WizardOptions> = {}) => {
    const look = lookData({
      agentId: 'work',
      agents: [
        { id: 'main', isDefault: true, listed: true, profileIds: ['anthropic:claude-cli', 'anthropic:default'] },
        { id: 'work', isDefault: false, listed: false, profileIds: [] },
      ],
    });
    const d = new Drive({ agent: 'work', probe: false, copyFrom: 'main', yes: true, ...o })
      .looked(look)
      .send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated({ models: ['claude-opus-4-5'] });
    if (d.step === 'replace-or-rename') d.send({ type: 'replace-answered', replace: true });
    return d.send({ type: 'model-chosen', model: 'claude-opus-4-5' }).send({ type: 'cache-ttl-chosen', ttl: '5m' });
  };
  const behind = summary({
    agent: 'work',
    activeProfile: 'anthropic:claude-cli',
    order: ['anthropic:claude-cli', 'anthropic:default'],
    copied: ['anthropic:claude-cli', 'anthropic:default'],
    replaced: true,
  });

  it('the copied setup-token would stay first: the wizard asks, and Y puts the new key first in the one write', () => {
    const d = copied({ yes: false });
    expect(d.step).toBe('saving');
    const p = d.effect('preview');
    expect(p.request).toMatchObject({ dryRun: true, copyFrom: 'main', profileId: 'anthropic:default' });
    d.send({ type: 'previewed', effectId: p.id, summary: behind });
    expect(d.step).toBe('use-first');
    const list = activeFirstChoices(d.s);
    expect(list.choices.map((c) => c.key)).toEqual(['y', 'n']);
    expect(list.choices[list.initial]!.value).toBe('yes');
    d.send({ type: 'put-first-answered', first: true });
    expect(d.step).toBe('saving');
    expect(d.effect('save').request).toMatchObject({ putFirst: true, dryRun: false, copyFrom: 'main' });
  });

  it('n keeps the order; the summary says which profile is used and the command that changes it', () => {
    const d = copied({ yes: false });
    d.send({ type: 'previewed', effectId: d.effect('preview').id, summary: behind });
    d.send({ type: 'put-first-answered', first: false });
    const e = d.effect('save');
    expect(e.request.putFirst).toBeUndefined();
    d.send({ type: 'saved', effectId: e.id, summary: behind });
    const m = summaryModel(d.s, T0);
    expect(m.title).toBe('Agent work still uses anthropic:claude-cli first, not the new API key.');
    expect(m.tone).toBe('warn');
    expect(m.warnings[0]).toBe(
      'Agent work still uses anthropic:claude-cli first; anthropic:default was saved behind it. To use it first: clawdia models auth order set --provider anthropic anthropic:default anthropic:claude-cli --agent work',
    );
  });

  it('Esc from the question goes back to the last question; Ctrl-C while previewing cancels at once', () => {
    const d = copied({ yes: false });
    d.send({ type: 'previewed', effectId: d.effect('preview').id, summary: behind }).send({ type: 'went-back' });
    expect(d.step).toBe('choose-cache-ttl');
    const c = copied({ yes: false }).send({ type: 'cancelled' });
    expect(c.step).toBe('cancelled');
  });

  it('--yes answers Y; a fix keeps its place and never asks', () => {
    const d = copied({ yes: true });
    d.send({ type: 'previewed', effectId: d.effect('preview').id, summary: behind });
    expect(d.effect('save').request.putFirst).toBe(true);
  });
});

describe('cancel, write and summary', () => {
  it('Ctrl-C during the final write waits for it', () => {
    const d = new Drive({ agent: 'main' })
      .looked()
      .send({ type: 'method-chosen', method: 'paste-token' })
      .send({ type: 'credential-submitted', raw: token() })
      .validated();
    const e = d.effect('save');
    d.send({ type: 'cancelled' });
    expect(d.step).toBe('saving');
    expect(d.s.cancelRequested).toBe(true);
    d.send({ type: 'went-back' });
    expect(d.step).toBe('saving');
    d.send({ type: 'saved', effectId: e.id, summary: summary() });
    expect(d.step).toBe('done');
  });

  it('a failed write ends with its message and hint', () => {
    const d = new Drive({ agent: 'main' })
      .looked()
      .send({ type: 'method-chosen', method: 'paste-token' })
      .send({ type: 'credential-submitted', raw: token() })
      .validated();
    d.send({
      type: 'effect-failed',
      effectId: d.effect('save').id,
      message: 'Could not write: no space left on device. Nothing was changed.',
      hint: 'Free some disk space.',
    });
    expect(d.step).toBe('failed');
    expect(summaryText(summaryModel(d.s, T0))).toMatch(/no space left[\s\S]*Free some disk space/);
  });

  it('terminal states ignore further events', () => {
    const d = new Drive().send({ type: 'cancelled' });
    const s = d.s;
    d.send({ type: 'went-back' }).send({ type: 'agent-chosen', agentId: 'x' });
    expect(d.s).toBe(s);
  });

  it('the summary names agent, profile, kind, fingerprint, verdict, expiry, billing, snippet, shadowing, active profile and next step', () => {
    const d = new Drive({ agent: 'work' })
      .looked(lookData({ agentId: 'work' }))
      .send({ type: 'method-chosen', method: 'paste-token' })
      .send({ type: 'credential-submitted', raw: token() })
      .validated();
    d.send({
      type: 'saved',
      effectId: d.effect('save').id,
      summary: summary({
        agent: 'work',
        profileId: 'anthropic:claude-cli',
        type: 'token',
        fingerprint: 'sk-ant-oat01-…wxyz (108 chars)',
        expiresAt: T0 + 365 * DAY,
        billing: 'Claude subscription plan',
        activeProfile: 'anthropic:claude-cli',
        betaKept: ['oauth-2025-04-20'],
        shadowedBy: [{ name: 'CLAUDE_CODE_OAUTH_TOKEN', fingerprint: 'sk-ant-oat01-…zzzz (108 chars)', shadows: 'anthropic:claude-cli' }],
        configSnippet: { auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' } } } },
      }),
    });
    const text = summaryText(summaryModel({ ...d.s, options: { ...d.s.options, verbose: true } }, T0));
    expect(text.split('\n')[0]).toBe('Agent work will now use anthropic:claude-cli, the new setup-token.');
    const short = summaryText(summaryModel(d.s, T0)).trimEnd().split('\n');
    expect(short.length).toBeLessThanOrEqual(6 + 3); // 3 warnings: the env var, the beta header, none about the order
    expect(short.join('\n')).not.toContain('"mode": "oauth"');
    for (const want of [
      'Saved anthropic:claude-cli for agent work: setup-token sk-ant-oat01-…wxyz, Claude subscription plan, expires in 365d.',
      'Check: accepted (request req_1).',
      'agent       work',
      'setup-token',
      'sk-ant-oat01-…wxyz (108 chars)',
      'valid (request req_1)',
      'in 365d',
      'Claude subscription plan',
      '"mode": "oauth"',
      'CLAUDE_CODE_OAUTH_TOKEN is set',
      'shadows anthropic:claude-cli at run time', // a summary without `use` (an older remote's JSON): what it shadows
      'active      anthropic:claude-cli',
      'oauth-2025-04-20',
      'clawdia models status --agent work',
    ]) {
      expect(text).toContain(want);
    }
  });
});

describe('models auth setup-token mode', () => {
  it('goes straight to the child; a failure ends the command with the paste alternative', () => {
    const d = new Drive({ mode: 'setup-token' }).looked();
    expect(d.step).toBe('running-setup-token');
    d.send({ type: 'setup-token-finished', effectId: d.effect('setup-token').id, result: { ok: false, failure: 'timeout', message: '' } });
    expect(d.step).toBe('failed');
    expect(d.s.exitCode).toBe(1);
    expect(d.s.error?.hint).toMatch(/paste/);
  });

  it('no claude: fails at once; Esc while running cancels (130)', () => {
    const d = new Drive({ mode: 'setup-token' }).looked(lookData({ claudePath: null }));
    expect(d.step).toBe('failed');
    expect(d.s.error?.hint).toMatch(/paste-token/);
    const e = new Drive({ mode: 'setup-token' }).looked().send({ type: 'went-back' });
    expect(e.step).toBe('cancelled');
    expect(e.s.exitCode).toBe(130);
  });

  it('never probes or asks for the model', () => {
    const store: AuthStore = { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } } };
    const d = new Drive({ mode: 'setup-token' }).looked(lookData({ store }));
    expect(d.s.effects.map((e) => e.type)).toEqual(['setup-token']);
    d.send({ type: 'setup-token-finished', effectId: d.effect('setup-token').id, result: { ok: true, token: token() } }).validated();
    expect(d.step).toBe('saving');
  });
});

describe('smaller things (issue 11 item 11)', () => {
  it('Esc back keeps the previous choice under the cursor', () => {
    const d = new Drive({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'paste-token' });
    expect(d.step).toBe('enter-credential');
    d.send({ type: 'went-back' });
    const list = methodChoices(d.s);
    expect(list.choices[list.initial]!.value).toBe('paste-token');
  });

  it('typing an existing agent id for a new agent says it exists', () => {
    const look = lookData({
      agents: [
        { id: 'main', isDefault: true, listed: true, profileIds: [] },
        { id: 'work', isDefault: false, listed: true, profileIds: ['anthropic:default'] },
      ],
    });
    const d = new Drive().looked(look).send({ type: 'new-agent-requested' }).send({ type: 'agent-named', agentId: 'work' });
    expect(d.step).toBe('name-agent');
    expect(d.s.flow.notice?.text).toBe('Agent work already exists (1 profile).');
  });

  it('the model list shows the display names beside the ids', () => {
    const d = new Drive({ agent: 'main' }).looked().send({ type: 'method-chosen', method: 'api-key' }).send({ type: 'credential-submitted', raw: apiKey() });
    d.validated({ models: ['claude-opus-4-5-20251101'], modelNames: { 'claude-opus-4-5-20251101': 'Claude Opus 4.5' } });
    expect(d.step).toBe('choose-model');
    expect(modelChoices(d.s).choices[0]!.label).toBe('claude-opus-4-5-20251101 · Claude Opus 4.5  (suggested)');
  });

  it('the code-sent counter starts when the code is sent', () => {
    const d = new Drive({ mode: 'setup-token' }).looked();
    d.s = reduce(d.s, { type: 'code-submitted', code: 'abc#def', at: T0 + 90_000 } as never);
    expect(d.s.flow.setup).toMatchObject({ phase: 'code-sent', codeSentAt: T0 + 90_000, startedAt: T0 });
  });
});
