// The whole onboarding flow (SPEC §6, §6.2, §9) as `reduce(state, event) → state`.
// No React, no I/O, no clock: time arrives in events (`at`), results of the outside world arrive
// as events, and each state lists the effects it needs (`effects`). A front end (Ink TUI, --plain,
// --non-interactive) renders the step, turns answers into events, runs new effects through the
// ports and aborts effects that vanish from the list (Esc while validating, Ctrl-C while
// `claude setup-token` runs). Results carry their effect id: a stale one is ignored.
// This file is the handler table: one small function per event type (handlers/*.ts by phase, the
// three that apply on every step below). The data is in state.ts, the reads in selectors.ts, the
// moves the handlers share (goto, back, what a step does on arrival) in transitions.ts.
import { agentChosen, agentNamed, copyAnswered, newAgentRequested } from './handlers/agent.js';
import { credentialSubmitted, methodChosen } from './handlers/credential.js';
import { checkSkipped, claudeStatusRead, fixChosen, looked, probed } from './handlers/look.js';
import { cacheTtlChosen, markCleared, modelChosen, previewed, profileNamed, putFirstAnswered, replaceAnswered, saved } from './handlers/save.js';
import { codeSubmitted, setupTokenFinished, setupTokenProgressed, setupTokenRetried } from './handlers/setup-token.js';
import { billingAnswered, validated, verdictAnswered } from './handlers/validation.js';
import { isTerminal } from './selectors.js';
import type { EventBody, WizardEvent, WizardState } from './state.js';
import { back, dropEffect, fail, finish, hasEffect, type Handler } from './transitions.js';

const cancelled: Handler<'cancelled'> = (s, e) => {
  // The final write finishes first; a dry preview of it is simply dropped.
  if (s.flow.step === 'saving' && !s.effects.some((x) => x.type === 'preview')) return { ...s, cancelRequested: true };
  return finish(s, 'cancelled', e.exitCode ?? 130, e.reason ? { error: { message: e.reason } } : {});
};

const wentBack: Handler<'went-back'> = (s) => back(s);

const effectFailed: Handler<'effect-failed'> = (s, e) => {
  if (!hasEffect(s, e.effectId)) return s;
  return fail(dropEffect(s, e.effectId), e.message, e.hint, e.exitCode ?? 1);
};

/** Every event type has exactly one entry: a missing or misspelt one does not compile. */
const HANDLERS: { [K in EventBody['type']]: Handler<K> } = {
  cancelled,
  'went-back': wentBack,
  'effect-failed': effectFailed,
  // look-first, fix-it
  looked,
  probed,
  'check-skipped': checkSkipped,
  'claude-status-read': claudeStatusRead,
  'fix-chosen': fixChosen,
  // the agent
  'agent-chosen': agentChosen,
  'new-agent-requested': newAgentRequested,
  'agent-named': agentNamed,
  'copy-answered': copyAnswered,
  // the method and the credential
  'method-chosen': methodChosen,
  'credential-submitted': credentialSubmitted,
  // claude setup-token
  'setup-token-progressed': setupTokenProgressed,
  'code-submitted': codeSubmitted,
  'setup-token-retried': setupTokenRetried,
  'setup-token-finished': setupTokenFinished,
  // the check and its verdict
  validated,
  'verdict-answered': verdictAnswered,
  'billing-answered': billingAnswered,
  // after the check: replace or rename, model, TTL, order, the write
  'replace-answered': replaceAnswered,
  'profile-named': profileNamed,
  'model-chosen': modelChosen,
  'cache-ttl-chosen': cacheTtlChosen,
  previewed,
  'put-first-answered': putFirstAnswered,
  saved,
  'mark-cleared': markCleared,
};

export function reduce(s: WizardState, e: WizardEvent): WizardState {
  if (isTerminal(s)) return s;
  // The table pairs each type with its handler; TypeScript cannot follow that pairing through a union.
  const handle = HANDLERS[e.type] as (s: WizardState, e: WizardEvent) => WizardState;
  return handle(s, e);
}
