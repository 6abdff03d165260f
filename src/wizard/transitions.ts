// The wizard's moves, shared by the handlers (machine.ts's table, handlers/*.ts): leaving a step
// (goto, back, backTo, finish, fail), what a step does on arrival (`enter`: start its effect or
// answer itself from flags), and the forks after look-first, a method, a validation, a replace
// question. Pure: time comes in as `at`, the outside world only as effects added to the state.
import { decide, type NewCredential, type StoreDecision } from '../app/credential-flow.js';
import { checkShape, fingerprint, parseSecret, type ExpectedKind } from '../core/credentials.js';
import { defaultProfileId } from '../core/save.js';
import { claudeLoginNotice, notFoundHint, notFoundNotice, setupFailureNotice } from './notices.js';
import {
  copySource,
  existingProfileIds,
  loginUsable,
  needsPreview,
  problemProfiles,
  probeRecords,
  replaceBlocked,
  saveRequestBody,
  shownCredential,
} from './selectors.js';
import {
  DEFAULT_TOKEN_LIFETIME_MS,
  ENV_METHOD_VAR,
  INTERACTIVE_STEPS,
  TERMINAL_STEPS,
  type BackEntry,
  type EffectBody,
  type Effect,
  type EventBody,
  type Flow,
  type HeldCredential,
  type Method,
  type Step,
  type WizardEvent,
  type WizardState,
} from './state.js';

/** One entry of the handler table (machine.ts): the state after an event of type `K`. */
export type Handler<K extends EventBody['type']> = (s: WizardState, e: Extract<WizardEvent, { type: K }>) => WizardState;

// ---------------------------------------------------------------- effects

export function addEffect(s: WizardState, e: EffectBody): WizardState {
  return { ...s, effects: [...s.effects, { ...e, id: s.nextEffectId } as Effect], nextEffectId: s.nextEffectId + 1 };
}

export function hasEffect(s: WizardState, id: number): boolean {
  return s.effects.some((e) => e.id === id);
}

export function dropEffect(s: WizardState, id: number): WizardState {
  return { ...s, effects: s.effects.filter((e) => e.id !== id) };
}

function dropStepEffects(s: WizardState): WizardState {
  return { ...s, effects: s.effects.filter((e) => e.scope === 'background') };
}

// ---------------------------------------------------------------- the new credential

/** The credential as the flow holds it: its fingerprint taken once, here (screens show that, never the secret). */
export function held(c: NewCredential): HeldCredential {
  return { ...c, fingerprint: fingerprint(c.secret) };
}

/** Steps that act on the new credential: an entry on one comes back only with the credential it was left with. */
const CREDENTIAL_STEPS: ReadonlySet<Step> = new Set<Step>([
  'verdict',
  'offer-billing',
  'replace-or-rename',
  'name-profile',
  'choose-model',
  'choose-cache-ttl',
  'use-first',
]);

/** A flow as the back stack keeps it: the credential without its secret. */
function entry(f: Flow): BackEntry {
  return { ...f, credential: shownCredential(f.credential) };
}

/**
 * A back-stack entry as the flow again. Entries hold no secret: the credential comes back from the
 * current flow when it is the one the entry was left with. An entry on a step that acts on the
 * credential and would come back without it (the user entered another one since) is skipped: null.
 */
function restore(e: BackEntry, cur: Flow): Flow | null {
  const c = cur.credential;
  const same = !!e.credential && !!c && c.fingerprint === e.credential.fingerprint && c.kind === e.credential.kind && c.source === e.credential.source;
  if (!same && CREDENTIAL_STEPS.has(e.step)) return null;
  return { ...e, credential: same ? c : null };
}

// ---------------------------------------------------------------- leaving a step

interface GotoOpts {
  /** Put the current step on the back stack (only when it is an interactive step). Default true. */
  push?: boolean;
}

/** Leave the current step for `step`: step effects stop, the new step's effects start. */
export function goto(s: WizardState, step: Step, patch: Partial<Flow>, at: number, opts: GotoOpts = {}): WizardState {
  const push = (opts.push ?? true) && INTERACTIVE_STEPS.has(s.flow.step);
  const next: WizardState = {
    ...dropStepEffects(s),
    history: push ? [...s.history, entry(s.flow)] : s.history,
    flow: { ...s.flow, notice: null, suggest: null, ...patch, step },
  };
  return enter(next, at);
}

/** Return to the latest back-stack entry on one of `steps` (dropping what came after), else go there. */
export function backTo(s: WizardState, steps: Step[], patch: Partial<Flow>, at: number): WizardState {
  for (let i = s.history.length - 1; i >= 0; i--) {
    const e = s.history[i]!;
    const f = steps.includes(e.step) ? restore(e, s.flow) : null;
    if (f) return { ...dropStepEffects(s), history: s.history.slice(0, i), flow: { ...f, notice: null, suggest: null, ...patch } };
  }
  return goto(s, steps[0]!, patch, at, { push: false });
}

/** Esc: the previous interactive step as it was left (the cursor on what was picked there), or quit at the first. */
export function back(s: WizardState): WizardState {
  const f = s.flow;
  if (TERMINAL_STEPS.has(f.step) || f.step === 'saving') return s;
  for (let i = s.history.length - 1; i >= 0; i--) {
    const prev = restore(s.history[i]!, f);
    if (!prev) continue;
    const notice = f.step === 'running-setup-token' ? setupFailureNotice('stopped', '', { timeoutMs: s.options.setupTokenTimeoutMs }) : null;
    return {
      ...dropStepEffects(s),
      history: s.history.slice(0, i),
      flow: { ...prev, notice, suggest: notice ? 'paste-token' : null, ...(notice ? {} : keptChoice(prev, f)) },
    };
  }
  return finish(s, 'cancelled', 130);
}

/** Back on a list step, the cursor is on what was picked there last time. */
function keptChoice(prev: Flow, cur: Flow): Partial<Flow> {
  switch (prev.step) {
    case 'choose-method':
      return cur.method ? { suggest: cur.method } : {};
    case 'fix-it':
      return cur.fix ? { suggest: cur.fix.action } : {};
    case 'choose-model':
      return cur.model ? { model: cur.model } : {};
    case 'choose-cache-ttl':
      return cur.cacheTtl ? { cacheTtl: cur.cacheTtl } : {};
    default:
      return {};
  }
}

export function finish(s: WizardState, step: 'done' | 'failed' | 'cancelled', exitCode: number, extra: Partial<WizardState> = {}): WizardState {
  return { ...s, ...extra, effects: [], exitCode, flow: { ...s.flow, step, lookPhase: null } };
}

export function fail(s: WizardState, message: string, hint: string | undefined, exitCode = 1): WizardState {
  return finish(s, 'failed', exitCode, { error: { message, ...(hint ? { hint } : {}) } });
}

// ---------------------------------------------------------------- arriving at a step

/** What a step does on arrival: start its effect, or answer itself from flags. */
function enter(s: WizardState, at: number): WizardState {
  const f = s.flow;
  switch (f.step) {
    case 'look-first':
      return addEffect({ ...s, flow: { ...f, lookPhase: 'loading' } }, { scope: 'step', type: 'look', agentId: f.agentId });
    case 'choose-method':
      if (s.options.authChoice && !s.facts.autoMethodUsed) {
        const used = { ...s, facts: { ...s.facts, autoMethodUsed: true } };
        // On the back stack like a method picked by hand: Esc from it shows the method screen.
        return chooseMethod(used, s.options.authChoice, at, true);
      }
      return s;
    case 'running-setup-token':
      return addEffect(
        { ...s, flow: { ...f, setup: { phase: 'starting', startedAt: at } } },
        { scope: 'step', type: 'setup-token', timeoutMs: s.options.setupTokenTimeoutMs },
      );
    case 'validating': {
      const c = f.credential!;
      if (s.options.skipValidation)
        return afterValidation(
          { ...s, flow: { ...f, validation: null } },
          decide(null, { saveUnverified: false, now: at }) as Extract<StoreDecision, { store: true }>,
          at,
        );
      // The secret stays in flow.credential: the runner reads it there when it starts the effect.
      return addEffect(
        { ...s, flow: { ...f, validation: { startedAt: at, outcome: null } } },
        { scope: 'step', type: 'validate', kind: c.kind === 'api_key' ? 'api_key' : 'token', timeoutMs: s.options.timeoutMs },
      );
    }
    case 'checking-billing':
      return addEffect(
        { ...s, flow: { ...f, billing: null } },
        { scope: 'step', type: 'validate', kind: 'api_key', timeoutMs: s.options.timeoutMs, billed: true },
      );
    case 'choose-model': {
      if (s.options.model) return goto(s, 'choose-cache-ttl', { model: s.options.model }, at, { push: false });
      const models = f.validation?.outcome?.models ?? [];
      if (models.length === 0) return goto(s, 'choose-cache-ttl', { model: null }, at, { push: false });
      return s;
    }
    case 'choose-cache-ttl': {
      if (s.options.cacheTtl) return goto(s, 'saving', { cacheTtl: s.options.cacheTtl }, at, { push: false });
      const known = f.model ?? s.facts.look?.config.agents?.defaults?.model?.primary;
      if (!known) return goto(s, 'saving', { cacheTtl: null }, at, { push: false });
      return s;
    }
    case 'saving':
      if (f.fix?.action === 'clear') {
        const look = s.facts.look!;
        return addEffect(s, {
          scope: 'step',
          type: 'clear-mark',
          agentId: look.agentId,
          profileId: f.fix.profileId,
          records: probeRecords(s, look.agentId, null),
          dryRun: s.options.dryRun,
        });
      }
      if (needsPreview(s)) return addEffect(s, { scope: 'step', type: 'preview', request: { ...saveRequestBody(s), dryRun: true } });
      return addEffect(s, { scope: 'step', type: 'save', request: saveRequestBody(s) });
    default:
      return s;
  }
}

// ---------------------------------------------------------------- forks

export function afterLook(s: WizardState, at: number): WizardState {
  const f = s.flow;
  if (s.options.mode === 'setup-token') {
    if (!s.facts.look?.claudePath) return fail(s, notFoundNotice().text, notFoundHint());
    return goto(
      s,
      'running-setup-token',
      { lookPhase: null, method: 'setup-token', expected: 'token', profileId: s.options.profileId ?? defaultProfileId('token') },
      at,
      { push: false },
    );
  }
  const withPhase = { ...s, flow: { ...f, lookPhase: null } };
  if (s.options.probe && problemProfiles(withPhase).length > 0) {
    return goto(withPhase, 'fix-it', { fixIndex: 0 }, at, { push: false });
  }
  return afterFixIt(withPhase, at, false);
}

export function afterFixIt(s: WizardState, at: number, push: boolean): WizardState {
  const f = s.flow;
  if (!f.agentConfirmed) return goto(s, 'choose-agent', {}, at, { push });
  if (f.agentIsNew && !s.options.copyFrom && copySource(s)) return goto(s, 'copy-profiles', {}, at, { push });
  return goto(s, 'choose-method', {}, at, { push });
}

function profileIdFor(s: WizardState, kind: 'api_key' | 'token'): string {
  return s.flow.fix?.profileId ?? s.options.profileId ?? defaultProfileId(kind);
}

export function chooseMethod(s: WizardState, method: Method, at: number, push: boolean): WizardState {
  const look = s.facts.look!;
  const refuse = (notice: Flow['notice'], extra: Partial<Flow> = {}): WizardState => ({ ...s, flow: { ...s.flow, step: 'choose-method', notice, ...extra } });
  switch (method) {
    case 'api-key':
      return goto(
        s,
        'enter-credential',
        { method, expected: 'api_key', credential: null, profileId: profileIdFor(s, 'api_key'), replaceConfirmed: false },
        at,
        { push },
      );
    case 'paste-token':
      return goto(s, 'enter-credential', { method, expected: 'token', credential: null, profileId: profileIdFor(s, 'token'), replaceConfirmed: false }, at, {
        push,
      });
    case 'setup-token':
      if (!look.claudePath) return refuse(notFoundNotice(), { suggest: 'paste-token' });
      return goto(s, 'running-setup-token', { method, expected: 'token', credential: null, profileId: profileIdFor(s, 'token'), replaceConfirmed: false }, at, {
        push,
      });
    case 'claude-cli': {
      const login = look.claudeLogin;
      if (!login) return refuse(claudeLoginNotice({ missing: true }));
      if (!loginUsable(s)) return refuse(claudeLoginNotice({ expired: true }));
      const shape = checkShape(login.accessToken, 'token');
      if (!shape.ok) return refuse(claudeLoginNotice({ shape }));
      const credential = held({
        kind: 'oauth',
        secret: login.accessToken,
        ...(login.refreshToken ? { refresh: login.refreshToken } : {}),
        ...(login.expiresAt ? { expires: login.expiresAt } : {}),
        source: login.location,
      });
      return goto(s, 'validating', { method, expected: 'token', credential, profileId: profileIdFor(s, 'token'), replaceConfirmed: false }, at, { push });
    }
    case 'env-api-key':
    case 'env-oauth-token': {
      const name = ENV_METHOD_VAR[method];
      const expected: ExpectedKind = method === 'env-api-key' ? 'api_key' : 'token';
      const parsed = parseSecret(look.env[name] ?? '', expected);
      if (!parsed.ok) return refuse({ tone: 'error', text: `${name}: ${parsed.message}`, hint: parsed.hint });
      const credential = held(
        expected === 'api_key'
          ? { kind: 'api_key', secret: parsed.value, source: name }
          : { kind: 'token', secret: parsed.value, expires: at + DEFAULT_TOKEN_LIFETIME_MS, source: name },
      );
      return goto(s, 'validating', { method, expected, credential, profileId: profileIdFor(s, expected), replaceConfirmed: false }, at, { push });
    }
  }
}

export function afterValidation(s: WizardState, decision: Extract<StoreDecision, { store: true }>, at: number): WizardState {
  return checkReplace({ ...s, flow: { ...s.flow, decision } }, at);
}

/** An existing profile id: ask replace or rename (interactive), unless fixing, --yes, or non-interactive. */
function checkReplace(s: WizardState, at: number): WizardState {
  const f = s.flow;
  const exists = existingProfileIds(s).includes(f.profileId!);
  if (exists && !f.fix && !f.replaceConfirmed && !s.options.yes && !s.options.replaceWithoutAsking) {
    return goto(s, 'replace-or-rename', {}, at);
  }
  if (exists && (s.options.yes || s.options.replaceWithoutAsking) && replaceBlocked(s)) {
    return fail(s, replaceBlocked(s)!, 'Use --profile-id anthropic:<name> for a new profile.');
  }
  return afterReplace(s, at);
}

export function afterReplace(s: WizardState, at: number): WizardState {
  const f = s.flow;
  if (f.credential!.kind === 'api_key' && !f.fix && s.options.mode === 'onboard') {
    return goto(s, 'choose-model', {}, at);
  }
  return goto(s, 'saving', { model: null, cacheTtl: null }, at);
}
