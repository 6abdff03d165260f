// The machine tests' driver (test/unit/machine*.test.ts): feeds events through the real reducer
// and answers effects by type; first-run look-first data; a save summary to answer `save` with.
import type { SaveSummary } from '../../src/app/credential-flow.js';
import type { ValidationOutcome } from '../../src/ports.js';
import { reduce } from '../../src/wizard/machine.js';
import { initialState, type Effect, type EventBody, type LookData, type WizardOptions, type WizardState } from '../../src/wizard/state.js';
import { lookData as sharedLookData, opts, outcome, T0 } from './wizard-data.js';

/** Look-first data where `main` is not yet in the config's agents.list (a first run). */
export const lookData = (o: Parameters<typeof sharedLookData>[0] = {}) => sharedLookData({ listed: false, ...o });

/** A tiny driver: feeds events, answers effects by type. */
export class Drive {
  s: WizardState;
  t = T0;
  constructor(o: Partial<WizardOptions> = {}) {
    this.s = initialState(opts(o));
  }
  send(e: EventBody): this {
    this.s = reduce(this.s, { ...e, at: this.t } as never);
    return this;
  }
  effect<T extends Effect['type']>(type: T): Extract<Effect, { type: T }> {
    const e = this.s.effects.find((x) => x.type === type);
    if (!e) throw new Error(`no ${type} effect in ${JSON.stringify(this.s.effects.map((x) => x.type))} at ${this.s.flow.step}`);
    return e as Extract<Effect, { type: T }>;
  }
  looked(data: LookData = lookData()): this {
    return this.send({ type: 'looked', effectId: this.effect('look').id, data });
  }
  validated(o: Partial<ValidationOutcome> = {}): this {
    return this.send({ type: 'validated', effectId: this.effect('validate').id, outcome: outcome(o) }).noBillingCheck();
  }
  /** An accepted API key is offered a billed check; most tests go on without it. */
  noBillingCheck(): this {
    return this.step === 'offer-billing' ? this.send({ type: 'billing-answered', check: false }) : this;
  }
  get step() {
    return this.s.flow.step;
  }
}

export function summary(o: Partial<SaveSummary> = {}): SaveSummary {
  return {
    agent: 'main',
    profileId: 'anthropic:default',
    type: 'api_key',
    fingerprint: 'sk-ant-api03-…abcd (108 chars)',
    verdict: 'valid',
    requestId: 'req_1',
    expiresAt: null,
    cooldownUntil: null,
    billing: 'usage-based (API key)',
    replaced: false,
    previousFingerprint: null,
    previousActive: null,
    activeProfile: 'anthropic:default',
    order: ['anthropic:default'],
    configSnippet: { auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } },
    copied: [],
    betaKept: [],
    wrote: ['/s/clawdia.json', '/s/agents/main/agent/auth-profiles.json'],
    migrated: [],
    dryRun: false,
    storePath: '/s/agents/main/agent/auth-profiles.json',
    configPath: '/s/clawdia.json',
    shadowedBy: [],
    warnings: [],
    ...o,
  };
}
