// Handlers for the check and its verdict (SPEC §6 step 5): the free check's outcome, the billed
// check offered for an API key, and what the verdict step offers (retry, paste again, save
// unverified, another method).
import { decide } from '../../app/credential-flow.js';
import type { ValidationOutcome } from '../../ports.js';
import { billingApplies } from '../selectors.js';
import type { Method, WizardState } from '../state.js';
import { afterValidation, backTo, dropEffect, fail, goto, hasEffect, type Handler } from '../transitions.js';

export const validated: Handler<'validated'> = (s, e) => {
  const f = s.flow;
  const at = e.at;
  if (!hasEffect(s, e.effectId)) return s;
  if (f.step === 'checking-billing') return afterBillingCheck(dropEffect(s, e.effectId), e.outcome, at);
  if (f.step !== 'validating') return s;
  const next: WizardState = { ...dropEffect(s, e.effectId), flow: { ...f, validation: { startedAt: f.validation?.startedAt ?? at, outcome: e.outcome } } };
  const d = decide(e.outcome, { saveUnverified: s.options.saveUnverified, now: at });
  if (d.store && e.outcome.verdict === 'valid' && billingApplies(next)) {
    if (s.options.checkBilling) return goto(next, 'checking-billing', {}, at, { push: false });
    if (!s.options.replaceWithoutAsking && !s.options.yes) return goto(next, 'offer-billing', {}, at, { push: false });
  }
  if (d.store) return afterValidation(next, d, at);
  if (s.options.replaceWithoutAsking) return fail(next, d.error.message, d.error.hint);
  return goto(next, 'verdict', {}, at, { push: false });
};

export const verdictAnswered: Handler<'verdict-answered'> = (s, e) => {
  const f = s.flow;
  const at = e.at;
  if (f.step !== 'verdict') return s;
  const outcome = f.validation?.outcome;
  switch (e.action) {
    case 'retry':
      return goto(s, 'validating', {}, at, { push: false });
    case 'save-unverified': {
      if (!outcome || outcome.verdict === 'invalid') return s;
      const d = decide(outcome, { saveUnverified: true, now: at });
      if (!d.store) return s;
      return afterValidation(s, d, at);
    }
    case 'paste-again': {
      const expected = f.expected ?? 'token';
      const method: Method = expected === 'api_key' ? 'api-key' : 'paste-token';
      if (s.history.some((h) => h.step === 'enter-credential')) return backTo(s, ['enter-credential'], { attempt: f.attempt + 1 }, at);
      return goto(s, 'enter-credential', { method, expected, credential: null, attempt: f.attempt + 1 }, at, { push: false });
    }
    case 'other-method':
      if (s.options.mode === 'setup-token')
        return fail(s, 'Nothing was stored.', 'Paste a token instead: clawdia models auth paste-token --provider anthropic');
      return backTo(s, f.fix ? ['fix-it'] : ['choose-method'], {}, at);
  }
};

export const billingAnswered: Handler<'billing-answered'> = (s, e) => {
  const f = s.flow;
  if (f.step !== 'offer-billing' || !f.validation?.outcome) return s;
  if (e.check) return goto(s, 'checking-billing', {}, e.at);
  const d = decide(f.validation.outcome, { saveUnverified: s.options.saveUnverified, now: e.at });
  if (!d.store) return s;
  return afterValidation(s, d, e.at);
};

/**
 * The billed check's answer: valid → on as before; anything else replaces the free check's
 * outcome (its model list kept), so the verdict step explains it and offers what it allows.
 */
function afterBillingCheck(s: WizardState, outcome: ValidationOutcome, at: number): WizardState {
  const f = s.flow;
  const first = f.validation?.outcome ?? null;
  if (outcome.verdict === 'valid') {
    const d = decide(first ?? outcome, { saveUnverified: s.options.saveUnverified, now: at });
    if (!d.store) return s;
    return afterValidation({ ...s, flow: { ...f, billing: outcome } }, { ...d, record: { ...d.record, detail: outcome.detail } }, at);
  }
  const merged: ValidationOutcome = {
    ...outcome,
    ...(first?.models ? { models: first.models } : {}),
    ...(first?.modelNames ? { modelNames: first.modelNames } : {}),
  };
  const next: WizardState = { ...s, flow: { ...f, billing: outcome, validation: { startedAt: f.validation?.startedAt ?? at, outcome: merged } } };
  const d = decide(merged, { saveUnverified: s.options.saveUnverified, now: at });
  if (d.store) return afterValidation(next, d, at);
  if (s.options.replaceWithoutAsking) return fail(next, d.error.message, d.error.hint);
  return goto(next, 'verdict', {}, at, { push: false });
}
