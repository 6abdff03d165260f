// The wizard's machine, its first steps: look-first (probes, Enter to skip the wait), fix-it and
// the agent (pick, name, copy profiles). Pure: no ports, no timers — events carry their time.
// The steps after the agent are in machine.test.ts; the driver in test/support/machine-drive.ts.
import { describe, expect, it } from 'vitest';
import type { AuthStore } from '../../src/core/types.js';
import { agentChoices, copyChoices, fixChoices, replaceChoices } from '../../src/wizard/choices.js';
import { summaryModel } from '../../src/wizard/summary.js';
import { makeSecret } from '../support/cli.js';
import { Drive, lookData, summary } from '../support/machine-drive.js';
import { apiKey, DAY, HOUR, T0, token } from '../support/wizard-data.js';

describe('look-first', () => {
  it('starts by looking at the default agent', () => {
    const d = new Drive();
    expect(d.step).toBe('look-first');
    expect(d.effect('look').agentId).toBeNull();
  });

  it('a first run with nothing stored goes to the agent picker (main pre-selected, create-new offered)', () => {
    const d = new Drive().looked();
    expect(d.step).toBe('choose-agent');
    const c = agentChoices(d.s);
    expect(c.choices.map((x) => x.value)).toEqual(['agent:main', 'new']);
    expect(c.initial).toBe(0);
    expect(d.s.effects.map((e) => e.type)).toEqual(['claude-status']);
  });

  it('--agent skips the picker', () => {
    const d = new Drive({ agent: 'work' });
    expect(d.effect('look').agentId).toBe('work');
    d.looked(lookData({ agentId: 'work' }));
    expect(d.step).toBe('choose-method');
  });

  it('probes stored profiles in the background, then offers fix-it for one found invalid', () => {
    const key = apiKey();
    const d = new Drive().looked(lookData({ store: { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key } } } }));
    expect(d.step).toBe('look-first');
    expect(d.s.flow.lookPhase).toBe('probing');
    const probe = d.effect('probe');
    expect(probe.targets).toEqual([{ profileId: 'anthropic:default', kind: 'api_key', secret: key }]);
    d.send({
      type: 'probed',
      effectId: probe.id,
      agentId: 'main',
      results: { 'anthropic:default': { verdict: 'invalid', requestId: 'req_p', ms: 40, detail: '401' } },
    });
    expect(d.step).toBe('fix-it');
    expect(fixChoices(d.s).choices.map((c) => c.value)).toEqual(['paste-api-key', 'skip']);
  });

  it('a valid probe goes on to the agent picker; Enter while probing skips the wait', () => {
    const store: AuthStore = { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } } };
    const d = new Drive().looked(lookData({ store }));
    d.send({ type: 'probed', effectId: d.effect('probe').id, agentId: 'main', results: { 'anthropic:default': { verdict: 'valid', requestId: null, ms: 3 } } });
    expect(d.step).toBe('choose-agent');
    const e = new Drive().looked(lookData({ store }));
    e.send({ type: 'check-skipped' });
    expect(e.step).toBe('choose-agent');
    // The probe keeps running in the background and is still recorded later.
    const probe = e.effect('probe');
    e.send({ type: 'probed', effectId: probe.id, agentId: 'main', results: { 'anthropic:default': { verdict: 'valid', requestId: 'r', ms: 3 } } });
    expect(e.s.facts.probes.main?.['anthropic:default']?.verdict).toBe('valid');
    expect(e.step).toBe('choose-agent');
  });

  it('expired profiles are not probed and go straight to fix-it; without probing (plain off) they still do', () => {
    const store: AuthStore = { version: 1, profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: token(), expires: T0 - DAY } } };
    const d = new Drive().looked(lookData({ store }));
    expect(d.s.effects.some((e) => e.type === 'probe')).toBe(false);
    expect(d.step).toBe('fix-it');
    const values = fixChoices(d.s).choices.map((c) => c.value);
    expect(values).toEqual(['setup-token', 'paste-token', 'skip']);
  });

  it('a look failure (unparseable config) ends the run with its message', () => {
    const d = new Drive();
    d.send({ type: 'effect-failed', effectId: d.effect('look').id, message: '/s/clawdia.json:3:1: bad', hint: 'fix it', exitCode: 1 });
    expect(d.step).toBe('failed');
    expect(d.s.exitCode).toBe(1);
    expect(summaryModel(d.s, T0).title).toContain('clawdia.json:3:1');
  });
});

describe('fix-it', () => {
  const expiredStore = (): AuthStore => ({
    version: 1,
    profiles: {
      'anthropic:work': { type: 'token', provider: 'anthropic', token: token(), expires: T0 - DAY },
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() },
    },
    order: { anthropic: ['anthropic:work', 'anthropic:default'] },
  });

  it('paste a new token keeps the profile id and agent; no model step; replaces without asking', () => {
    const d = new Drive().looked(lookData({ store: expiredStore() }));
    d.send({
      type: 'probed',
      effectId: d.effect('probe').id,
      agentId: 'main',
      results: { 'anthropic:default': { verdict: 'valid', requestId: 'req_d', ms: 5 } },
    });
    expect(d.step).toBe('fix-it');
    d.send({ type: 'fix-chosen', action: 'paste-token' });
    expect(d.step).toBe('enter-credential');
    expect(d.s.flow.profileId).toBe('anthropic:work');
    d.send({ type: 'credential-submitted', raw: token() });
    expect(d.step).toBe('validating');
    d.validated();
    expect(d.step).toBe('saving');
    const req = d.effect('save').request;
    expect(req.profileId).toBe('anthropic:work');
    expect(req.agentId).toBe('main');
    expect(req.allowReplace).toBe(true);
    expect(req.model).toBeUndefined();
    // The probe verdict of the other profile is recorded with this write, and only then.
    expect(req.records).toEqual({ 'anthropic:default': { at: T0, verdict: 'valid', requestId: 'req_d' } });
    d.send({ type: 'saved', effectId: d.effect('save').id, summary: summary({ profileId: 'anthropic:work', type: 'token', replaced: true }) });
    expect(d.step).toBe('done');
    expect(d.s.exitCode).toBe(0);
  });

  it('re-run setup-token from fix-it, and Esc from the paste step comes back to fix-it', () => {
    const d = new Drive().looked(lookData({ store: expiredStore() }));
    d.send({ type: 'check-skipped' });
    d.send({ type: 'fix-chosen', action: 'setup-token' });
    expect(d.step).toBe('running-setup-token');
    expect(d.s.flow.profileId).toBe('anthropic:work');
    d.send({ type: 'went-back' });
    expect(d.step).toBe('fix-it');
    expect(d.s.flow.notice?.text).toMatch(/Stopped/);
    d.send({ type: 'fix-chosen', action: 'paste-token' }).send({ type: 'went-back' });
    expect(d.step).toBe('fix-it');
  });

  it('setup-token failing inside the fix flow returns to fix-it with the reason and paste pre-selected', () => {
    const d = new Drive().looked(lookData({ store: expiredStore() }));
    d.send({ type: 'check-skipped' }).send({ type: 'fix-chosen', action: 'setup-token' });
    d.send({ type: 'setup-token-finished', effectId: d.effect('setup-token').id, result: { ok: false, failure: 'no_token', message: 'x' } });
    expect(d.step).toBe('fix-it');
    expect(d.s.flow.notice?.text).toMatch(/without printing a token/);
    const c = fixChoices(d.s);
    expect(c.choices[c.initial]!.value).toBe('paste-token');
  });

  it('resync from Claude Code login (offered only when the login is usable)', () => {
    const login = {
      source: 'file' as const,
      location: '/h/.claude/.credentials.json',
      accessToken: token(),
      refreshToken: makeSecret('ort'),
      expiresAt: T0 + 5 * HOUR,
    };
    const d = new Drive().looked(lookData({ store: expiredStore(), claudeLogin: login }));
    d.send({ type: 'check-skipped' });
    expect(fixChoices(d.s).choices.map((c) => c.value)).toEqual(['setup-token', 'paste-token', 'resync', 'skip']);
    d.send({ type: 'fix-chosen', action: 'resync' });
    expect(d.step).toBe('validating');
    expect(d.s.flow.credential).toMatchObject({ kind: 'oauth', refresh: login.refreshToken, expires: login.expiresAt });
    const stale = new Drive().looked(lookData({ store: expiredStore(), claudeLogin: { ...login, expiresAt: T0 + 60_000 } }));
    stale.send({ type: 'check-skipped' });
    expect(fixChoices(stale.s).choices.find((c) => c.value === 'resync')?.disabled).toBe(true);
  });

  it('cooldown → clear it: a clear-mark write, then done', () => {
    const store: AuthStore = {
      version: 1,
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } },
      usageStats: { 'anthropic:default': { cooldownUntil: T0 + 4 * 60_000 } },
    };
    const d = new Drive().looked(lookData({ store }));
    d.send({ type: 'probed', effectId: d.effect('probe').id, agentId: 'main', results: { 'anthropic:default': { verdict: 'valid', requestId: null, ms: 5 } } });
    expect(d.step).toBe('fix-it');
    expect(fixChoices(d.s).choices.map((c) => c.value)).toEqual(['clear', 'skip']);
    d.send({ type: 'fix-chosen', action: 'clear' });
    expect(d.step).toBe('saving');
    const e = d.effect('clear-mark');
    expect(e.profileId).toBe('anthropic:default');
    d.send({
      type: 'mark-cleared',
      effectId: e.id,
      summary: {
        agent: 'main',
        profileId: 'anthropic:default',
        cleared: ['anthropic:default'],
        wrote: ['/x'],
        dryRun: false,
        activeProfile: 'anthropic:default',
      },
    });
    expect(d.step).toBe('done');
    const m = summaryModel(d.s, T0);
    expect(m.title).toBe('Agent main now uses anthropic:default.');
    expect(m.lines[0]).toMatch(/^Cleared the cooldown/);
  });

  it('disabled shows the reason and until when; skip walks to the next problem, then on', () => {
    const store: AuthStore = {
      version: 1,
      profiles: {
        'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() },
        'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: token(), expires: T0 - HOUR },
      },
      order: { anthropic: ['anthropic:default', 'anthropic:claude-cli'] },
      usageStats: { 'anthropic:default': { disabledUntil: T0 + 5 * HOUR, disabledReason: 'billing' } },
    };
    const d = new Drive().looked(lookData({ store }));
    d.send({ type: 'check-skipped' });
    expect(d.step).toBe('fix-it');
    const c = fixChoices(d.s).choices;
    expect(c[0]!.hints?.[0]).toMatch(/billing, until/);
    expect(c.at(-1)!.label).toMatch(/next problem \(1 more\)/);
    d.send({ type: 'fix-chosen', action: 'skip' });
    expect(d.step).toBe('fix-it');
    expect(d.s.flow.fixIndex).toBe(1);
    d.send({ type: 'went-back' });
    expect(d.s.flow.fixIndex).toBe(0);
    d.send({ type: 'fix-chosen', action: 'skip' }).send({ type: 'fix-chosen', action: 'skip' });
    expect(d.step).toBe('choose-agent');
  });
});

describe('agent', () => {
  const agents = [
    { id: 'main', isDefault: true, listed: true, profileIds: ['anthropic:default'] },
    { id: 'work', isDefault: false, listed: true, profileIds: [] },
  ];
  const mainStore = (): AuthStore => ({ version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: apiKey() } } });

  it('picking another existing agent looks at it, then goes to the method (Esc returns to the picker)', () => {
    const d = new Drive({ probe: false }).looked(lookData({ store: mainStore(), agents }));
    expect(d.step).toBe('choose-agent');
    d.send({ type: 'agent-chosen', agentId: 'work' });
    expect(d.step).toBe('look-first');
    expect(d.effect('look').agentId).toBe('work');
    d.looked(lookData({ agentId: 'work', agents }));
    expect(d.step).toBe('choose-method');
    expect(d.s.flow.agentId).toBe('work');
    expect(d.s.flow.agentIsNew).toBe(false);
    d.send({ type: 'went-back' });
    expect(d.step).toBe('choose-agent');
    d.send({ type: 'went-back' });
    expect(d.step).toBe('cancelled');
    expect(d.s.exitCode).toBe(130);
  });

  it('a credential given as an agent id or a profile name is refused, shown only masked', () => {
    const key = makeSecret('api');
    const d = new Drive({ probe: false }).looked(lookData({ store: mainStore(), agents }));
    d.send({ type: 'new-agent-requested' });
    d.send({ type: 'agent-named', agentId: key });
    expect(d.step).toBe('name-agent');
    const shown = JSON.stringify(d.s.flow.notice);
    expect(shown).toContain('looks like a credential');
    expect(shown).toContain(`sk-ant-api03-…${key.slice(-4)} (108 chars)`);
    expect(shown).not.toContain(key.slice(13, 29));
  });

  it('creating a new agent validates the id; "copy profiles from main?" defaults to No and No means no', () => {
    const d = new Drive({ probe: false }).looked(lookData({ store: mainStore(), agents }));
    d.send({ type: 'new-agent-requested' });
    expect(d.step).toBe('name-agent');
    d.send({ type: 'agent-named', agentId: '../etc' });
    expect(d.step).toBe('name-agent');
    expect(d.s.flow.notice?.text).toMatch(/not a valid agent id/);
    expect(d.s.flow.attempt).toBe(1);
    d.send({ type: 'agent-named', agentId: 'bot' });
    expect(d.effect('look').agentId).toBe('bot');
    d.looked(lookData({ agentId: 'bot', agents: [...agents, { id: 'bot', isDefault: false, listed: false, profileIds: [] }] }));
    expect(d.step).toBe('copy-profiles');
    const c = copyChoices(d.s);
    expect(c.choices[c.initial]!.value).toBe('no');
    d.send({ type: 'copy-answered', copy: false });
    expect(d.step).toBe('choose-method');
    expect(d.s.flow.copyFrom).toBeNull();
    d.send({ type: 'method-chosen', method: 'api-key' })
      .send({ type: 'credential-submitted', raw: apiKey() })
      .validated({ models: ['claude-opus-4-5'] });
    d.send({ type: 'model-chosen', model: 'claude-opus-4-5' }).send({ type: 'cache-ttl-chosen', ttl: '5m' });
    const req = d.effect('save').request;
    expect(req.copyFrom).toBeUndefined();
    expect(req.agentId).toBe('bot');
    expect(req.allowReplace).toBe(false);
  });

  it('Yes copies, and a copied profile id counts as existing (replace or rename is asked)', () => {
    const d = new Drive({ probe: false }).looked(lookData({ store: mainStore(), agents }));
    d.send({ type: 'new-agent-requested' }).send({ type: 'agent-named', agentId: 'bot' });
    d.looked(lookData({ agentId: 'bot', agents }));
    d.send({ type: 'copy-answered', copy: true });
    expect(d.s.flow.copyFrom).toBe('main');
    d.send({ type: 'method-chosen', method: 'api-key' }).send({ type: 'credential-submitted', raw: apiKey() }).validated();
    expect(d.step).toBe('replace-or-rename');
    expect(replaceChoices(d.s).choices[0]!.label).toMatch(/copied from main/);
    d.send({ type: 'replace-answered', replace: true });
    expect(d.step).toBe('saving'); // no model list in that answer: model step skipped, no primary configured: TTL skipped
    expect(d.effect('save').request).toMatchObject({ copyFrom: 'main', allowReplace: true });
  });

  it('Esc walks back through copy → name → picker', () => {
    const d = new Drive({ probe: false }).looked(lookData({ store: mainStore(), agents }));
    d.send({ type: 'new-agent-requested' }).send({ type: 'agent-named', agentId: 'bot' });
    d.looked(lookData({ agentId: 'bot', agents }));
    d.send({ type: 'copy-answered', copy: false });
    d.send({ type: 'went-back' });
    expect(d.step).toBe('copy-profiles');
    d.send({ type: 'went-back' });
    expect(d.step).toBe('name-agent');
    d.send({ type: 'went-back' });
    expect(d.step).toBe('choose-agent');
  });
});
