// Handlers for the method and the credential (SPEC §6 steps 3 and 4): a method picked, a secret
// typed or pasted (its shape checked before any request; refused ones never leave this step).
import { parseSecret } from '../../core/credentials.js';
import { refusedPasteNotice } from '../notices.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from '../state.js';
import { chooseMethod, goto, held, type Handler } from '../transitions.js';

export const methodChosen: Handler<'method-chosen'> = (s, e) => {
  if (s.flow.step !== 'choose-method') return s;
  return chooseMethod(s, e.method, e.at, true);
};

export const credentialSubmitted: Handler<'credential-submitted'> = (s, e) => {
  const f = s.flow;
  if (f.step !== 'enter-credential' || !f.expected) return s;
  const parsed = parseSecret(e.raw, f.expected);
  if (!parsed.ok) return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: refusedPasteNotice(parsed) } };
  const credential = held(
    f.expected === 'api_key'
      ? { kind: 'api_key', secret: parsed.value, source: 'pasted' }
      : { kind: 'token', secret: parsed.value, expires: e.at + DEFAULT_TOKEN_LIFETIME_MS, source: 'pasted' },
  );
  return goto(s, 'validating', { credential }, e.at);
};
