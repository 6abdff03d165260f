// Where the new credential's secret lives in the wizard's state (issue 12): in `flow.credential`
// of the current flow and nowhere else — not in effects, not on the back stack, not in what a
// screen receives (viewOf). A whole API-key run through the real reducer, every state searched.
import { describe, expect, it } from 'vitest';
import type { SaveSummary } from '../../src/app/credential-flow.js';
import { reduce } from '../../src/wizard/machine.js';
import { saveRequest, viewOf } from '../../src/wizard/selectors.js';
import { initialState, type Effect, type EventBody, type WizardState } from '../../src/wizard/state.js';
import { apiKey, lookData, opts, outcome, T0 } from '../support/wizard-data.js';

const count = (hay: string, needle: string) => hay.split(needle).length - 1;

describe('the secret in the wizard state', () => {
  it('an API-key run keeps it in flow.credential.secret only, never on the back stack or in an effect', () => {
    const key = apiKey();
    const other = apiKey();
    const states: WizardState[] = [];
    let s = initialState(opts({ agent: 'main', probe: false }));
    const send = (e: EventBody) => {
      s = reduce(s, { ...e, at: T0 } as never);
      states.push(s);
    };
    const effect = <T extends Effect['type']>(type: T) => {
      const e = s.effects.find((x) => x.type === type);
      if (!e) throw new Error(`no ${type} effect at ${s.flow.step}`);
      return e as Extract<Effect, { type: T }>;
    };
    // Another profile is stored: the run also asks "use the new one first?" after a dry write.
    const store = { version: 1 as const, profiles: { 'anthropic:other': { type: 'api_key' as const, provider: 'anthropic', key: other } } };
    send({ type: 'looked', effectId: effect('look').id, data: lookData({ store }) });
    send({ type: 'method-chosen', method: 'api-key' });
    expect(s.flow.step).toBe('enter-credential');
    // Pasted with an `export` prefix: the normalized value is what must not spread.
    send({ type: 'credential-submitted', raw: `export ANTHROPIC_API_KEY="${key}"` });
    expect(s.flow.step).toBe('validating');
    send({ type: 'validated', effectId: effect('validate').id, outcome: outcome({ models: ['m1', 'm2'] }) });
    expect(s.flow.step).toBe('offer-billing');
    send({ type: 'billing-answered', check: true });
    send({ type: 'validated', effectId: effect('validate').id, outcome: outcome({ detail: 'billed' }) });
    expect(s.flow.step).toBe('choose-model');
    send({ type: 'model-chosen', model: 'm2' });
    expect(s.flow.step).toBe('choose-cache-ttl');
    // Back and forth: the credential comes back from the current flow, not from the back stack.
    send({ type: 'went-back' });
    expect(s.flow.step).toBe('choose-model');
    expect(s.flow.credential?.secret).toBe(key);
    send({ type: 'model-chosen', model: 'm1' });
    send({ type: 'cache-ttl-chosen', ttl: '1h' });
    expect(s.flow.step).toBe('saving');
    const summary = { profileId: 'anthropic:default', activeProfile: 'anthropic:other', order: ['anthropic:other', 'anthropic:default'] } as SaveSummary;
    send({ type: 'previewed', effectId: effect('preview').id, summary });
    expect(s.flow.step).toBe('use-first');
    send({ type: 'put-first-answered', first: true });
    expect(saveRequest(s).credential).toMatchObject({ kind: 'api_key', secret: key, source: 'pasted' });
    send({ type: 'saved', effectId: effect('save').id, summary: { ...summary, activeProfile: 'anthropic:default' } as SaveSummary });
    expect(s.flow.step).toBe('done');

    expect(states.length).toBeGreaterThan(12);
    for (const st of states) {
      const where = `at ${st.flow.step}`;
      const json = JSON.stringify(st);
      // Once entered, exactly one copy: flow.credential.secret.
      expect(count(json, key), where).toBe(st.flow.credential ? 1 : 0);
      if (st.flow.credential) expect(st.flow.credential.secret, where).toBe(key);
      expect(JSON.stringify(st.history), where).not.toContain(key);
      expect(JSON.stringify(st.effects), where).not.toContain(key);
      expect(JSON.stringify(viewOf(st)), where).not.toContain(key);
      // The stored profile's secret is look-first's (facts.look.store), once.
      expect(count(json, other), where).toBe(1);
    }
    // The back stack still says which credential each step was left with (without its secret).
    expect(s.history.some((h) => h.credential?.fingerprint === s.flow.credential?.fingerprint)).toBe(true);
  });

  it('back to the credential step shows an empty input: its entry never held the credential', () => {
    let s = initialState(opts({ agent: 'main', probe: false }));
    const send = (e: EventBody) => (s = reduce(s, { ...e, at: T0 } as never));
    send({ type: 'looked', effectId: s.effects[0]!.id, data: lookData() });
    send({ type: 'method-chosen', method: 'api-key' });
    send({ type: 'credential-submitted', raw: apiKey() });
    send({ type: 'went-back' });
    expect(s.flow.step).toBe('enter-credential');
    expect(s.flow.credential).toBeNull();
    expect(s.effects).toEqual([]);
  });
});
