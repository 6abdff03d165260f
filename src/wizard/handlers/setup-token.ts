// Handlers for `claude setup-token` (SPEC §6.2): its progress (URL, code asked, code refused,
// OAuth error, token captured), the code the user pastes, Enter to retry, and how it ended.
import { parseSecret } from '../../core/credentials.js';
import { partialTokenNotice, setupFailureNotice } from '../notices.js';
import { DEFAULT_TOKEN_LIFETIME_MS, type Notice, type WizardState } from '../state.js';
import { backTo, dropEffect, fail, goto, hasEffect, held, type Handler } from '../transitions.js';

export const setupTokenProgressed: Handler<'setup-token-progressed'> = (s, e) => {
  const f = s.flow;
  if (!hasEffect(s, e.effectId) || f.step !== 'running-setup-token' || !f.setup) return s;
  const ev = e.event;
  const setup = { ...f.setup };
  switch (ev.type) {
    case 'started':
      setup.phase = 'waiting';
      break;
    case 'url':
      setup.url = ev.url;
      if (setup.phase === 'starting') setup.phase = 'waiting';
      break;
    case 'awaiting-code':
      if (setup.phase !== 'code-sent') setup.phase = 'awaiting-code';
      break;
    case 'code-rejected':
      setup.phase = 'awaiting-code';
      setup.codeError = ev.message;
      break;
    case 'oauth-error':
      setup.phase = 'oauth-error';
      setup.oauthError = ev.reason;
      break;
    case 'token-captured':
      setup.phase = 'captured';
      setup.fingerprint = ev.fingerprint;
      break;
  }
  return { ...s, flow: { ...f, setup } };
};

export const codeSubmitted: Handler<'code-submitted'> = (s, e) => {
  const f = s.flow;
  if (f.step !== 'running-setup-token' || !f.setup) return s;
  return { ...s, flow: { ...f, setup: { ...f.setup, phase: 'code-sent', codeError: undefined, codeSentAt: e.at } } };
};

export const setupTokenRetried: Handler<'setup-token-retried'> = (s) => {
  const f = s.flow;
  if (f.step !== 'running-setup-token' || !f.setup || f.setup.phase !== 'oauth-error') return s;
  return { ...s, flow: { ...f, setup: { ...f.setup, phase: 'waiting', oauthError: undefined } } };
};

export const setupTokenFinished: Handler<'setup-token-finished'> = (s, e) => {
  if (!hasEffect(s, e.effectId) || s.flow.step !== 'running-setup-token') return s;
  const r = e.result;
  const rest = dropEffect(s, e.effectId);
  if (r.ok) {
    const parsed = parseSecret(r.token, 'token');
    if (!parsed.ok) return setupFailed(rest, partialTokenNotice(parsed.message), e.at);
    const credential = held({
      kind: 'token',
      secret: parsed.value,
      expires: e.at + (r.expiresInMs ?? DEFAULT_TOKEN_LIFETIME_MS),
      source: 'claude setup-token',
    });
    return goto(rest, 'validating', { credential }, e.at, { push: false });
  }
  const notice = setupFailureNotice(r.failure, r.message, {
    exitCode: r.exitCode,
    oauthError: r.oauthError,
    timeoutMs: s.options.setupTokenTimeoutMs,
    lastLines: r.lastLines,
  });
  return setupFailed(rest, notice, e.at);
};

/** `models auth setup-token` ends with the failure; the wizard goes back to the methods, paste offered. */
function setupFailed(s: WizardState, notice: Notice, at: number): WizardState {
  if (s.options.mode === 'setup-token') {
    return fail(s, notice.text, notice.hint ?? 'Paste a token instead: clawdia models auth paste-token --provider anthropic');
  }
  return backTo(s, s.flow.fix ? ['fix-it', 'choose-method'] : ['choose-method'], { notice, suggest: 'paste-token', setup: null }, at);
}
