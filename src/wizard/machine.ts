// The whole onboarding flow (SPEC §6, §6.2, §9) as `reduce(state, event) → state`.
// No React, no I/O, no clock: time arrives in events (`at`), results of the outside world arrive
// as events, and each state lists the effects it needs (`effects`). A front end (Ink TUI, --plain,
// --non-interactive) renders the step, turns answers into events, runs new effects through the
// ports and aborts effects that vanish from the list (Esc while validating, Ctrl-C while
// `claude setup-token` runs). Results carry their effect id: a stale one is ignored.
import type { AuthChoice } from '../core/types.js';
import { decide, type NewCredential, type SaveRequest, type SaveSummary, type StoreDecision } from '../app/credential-flow.js';
import { INSTALL_CLAUDE_CODE } from '../core/copy.js';
import { checkShape, parseSecret, type ExpectedKind } from '../core/credentials.js';
import { formatDuration } from '../core/duration.js';
import { isValidAgentId, PROFILE_ID } from '../core/paths.js';
import { checkModeCompatible, defaultProfileId, SETUP_TOKEN_LIFETIME_MS } from '../core/save.js';
import { computeStatus, type AgentStatus, type ProbeResult, type ProfileStatus } from '../core/status.js';
import type { AuthStore, ClawdiaConfig, ValidationRecord } from '../core/types.js';
import type { ClaudeAuthStatus, ClaudeLogin, SetupTokenEvent, SetupTokenFailure, SetupTokenResult, ValidationOutcome } from '../ports.js';

// ---------------------------------------------------------------- steps, options, facts

export type Step =
  | 'look-first'
  | 'fix-it'
  | 'choose-agent'
  | 'name-agent'
  | 'copy-profiles'
  | 'choose-method'
  | 'enter-credential'
  | 'running-setup-token'
  | 'validating'
  | 'offer-billing'
  | 'checking-billing'
  | 'verdict'
  | 'replace-or-rename'
  | 'name-profile'
  | 'choose-model'
  | 'choose-cache-ttl'
  | 'use-first'
  | 'saving'
  | 'done'
  | 'failed'
  | 'cancelled';

/** Steps that wait for the user. Only these go on the back stack. */
export const INTERACTIVE_STEPS: ReadonlySet<Step> = new Set<Step>([
  'fix-it',
  'choose-agent',
  'name-agent',
  'copy-profiles',
  'choose-method',
  'enter-credential',
  'offer-billing',
  'verdict',
  'replace-or-rename',
  'name-profile',
  'choose-model',
  'choose-cache-ttl',
  'use-first',
]);

export const TERMINAL_STEPS: ReadonlySet<Step> = new Set<Step>(['done', 'failed', 'cancelled']);

/** The four methods of SPEC §6 step 3, plus the detected env credentials. */
export type Method = AuthChoice | 'env-api-key' | 'env-oauth-token';

export const ENV_METHOD_VAR: Record<'env-api-key' | 'env-oauth-token', string> = {
  'env-api-key': 'ANTHROPIC_API_KEY',
  'env-oauth-token': 'CLAUDE_CODE_OAUTH_TOKEN',
};

export interface WizardOptions {
  /** `onboard`: the whole wizard. `setup-token`: `clawdia models auth setup-token` (straight to §6.2, failures end the command). */
  mode: 'onboard' | 'setup-token';
  agent?: string;
  profileId?: string;
  authChoice?: AuthChoice;
  model?: string;
  cacheTtl?: '5m' | '1h';
  copyFrom?: string;
  skipValidation: boolean;
  saveUnverified: boolean;
  yes: boolean;
  dryRun: boolean;
  timeoutMs: number;
  setupTokenTimeoutMs: number;
  /** Probe the agent's stored profiles live after the first frame (interactive front ends). */
  probe: boolean;
  /** API keys: also send one billed 1-token request (sees the balance) without asking. */
  checkBilling?: boolean;
  /** The summary shows every field, the config snippet and the files. */
  verbose?: boolean;
  /** Non-interactive: replace an existing profile without asking (SPEC §9). */
  replaceWithoutAsking?: boolean;
}

export interface AgentInfo {
  id: string;
  isDefault: boolean;
  /** Listed in the config's agents.list. */
  listed: boolean;
  profileIds: string[];
}

/** What look-first found (read by the `look` effect; secrets stay in memory, never on screen). */
export interface LookData {
  agentId: string;
  config: ClawdiaConfig;
  configPath: string;
  storePath: string;
  migrated: string[];
  store: AuthStore;
  storeExists: boolean;
  configLoose: boolean;
  storeLoose: boolean;
  agents: AgentInfo[];
  defaultAgent: string;
  /** ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_BASE_URL. */
  env: Record<string, string | undefined>;
  claudePath: string | null;
  claudeLogin: ClaudeLogin | null;
}

export interface ProbeTarget {
  profileId: string;
  kind: 'api_key' | 'token';
  secret: string;
}

export type ProbeOutcome = ProbeResult & { detail?: string };

// ---------------------------------------------------------------- effects

export type Effect =
  | { id: number; scope: 'step'; type: 'look'; agentId: string | null }
  | { id: number; scope: 'background'; type: 'probe'; agentId: string; targets: ProbeTarget[]; timeoutMs: number }
  | { id: number; scope: 'background'; type: 'claude-status' }
  | { id: number; scope: 'step'; type: 'setup-token'; timeoutMs: number }
  | { id: number; scope: 'step'; type: 'validate'; kind: 'api_key' | 'token'; secret: string; timeoutMs: number; billed?: boolean }
  | { id: number; scope: 'step'; type: 'save'; request: SaveRequest }
  /** The same write as `save`, dry: which profile the agent would use (asked before the real write). */
  | { id: number; scope: 'step'; type: 'preview'; request: SaveRequest }
  | { id: number; scope: 'step'; type: 'clear-mark'; agentId: string; profileId: string; records: Record<string, ValidationRecord>; dryRun: boolean };

type EffectBody = Effect extends infer E ? (E extends Effect ? Omit<E, 'id'> : never) : never;

// ---------------------------------------------------------------- events (past tense)

export type FixAction = 'setup-token' | 'paste-token' | 'resync' | 'paste-api-key' | 'clear' | 'skip';
export type VerdictAction = 'retry' | 'paste-again' | 'save-unverified' | 'other-method';

export interface ClearedSummary {
  agent: string;
  profileId: string;
  cleared: string[];
  wrote: string[];
  dryRun: boolean;
  activeProfile: string | null;
}

export type EventBody =
  | { type: 'looked'; effectId: number; data: LookData }
  | { type: 'probed'; effectId: number; agentId: string; results: Record<string, ProbeOutcome> }
  | { type: 'check-skipped' }
  | { type: 'claude-status-read'; effectId: number; status: ClaudeAuthStatus | null }
  | { type: 'fix-chosen'; action: FixAction }
  | { type: 'agent-chosen'; agentId: string }
  | { type: 'new-agent-requested' }
  | { type: 'agent-named'; agentId: string }
  | { type: 'copy-answered'; copy: boolean }
  | { type: 'method-chosen'; method: Method }
  | { type: 'credential-submitted'; raw: string }
  | { type: 'setup-token-progressed'; effectId: number; event: SetupTokenEvent }
  | { type: 'code-submitted'; code: string }
  | { type: 'setup-token-retried' }
  | { type: 'setup-token-finished'; effectId: number; result: SetupTokenResult }
  | { type: 'validated'; effectId: number; outcome: ValidationOutcome }
  | { type: 'verdict-answered'; action: VerdictAction }
  | { type: 'billing-answered'; check: boolean }
  | { type: 'replace-answered'; replace: boolean }
  | { type: 'profile-named'; name: string }
  | { type: 'model-chosen'; model: string }
  | { type: 'cache-ttl-chosen'; ttl: '5m' | '1h' }
  | { type: 'saved'; effectId: number; summary: SaveSummary }
  | { type: 'previewed'; effectId: number; summary: SaveSummary }
  | { type: 'put-first-answered'; first: boolean }
  | { type: 'mark-cleared'; effectId: number; summary: ClearedSummary }
  | { type: 'effect-failed'; effectId: number; message: string; hint?: string; exitCode?: number }
  | { type: 'went-back' }
  | { type: 'cancelled'; exitCode?: number; reason?: string };

export type WizardEvent = EventBody & { at: number };

// ---------------------------------------------------------------- state

export interface Notice {
  tone: 'info' | 'warn' | 'error';
  text: string;
  hint?: string;
}

export interface SetupProgress {
  phase: 'starting' | 'waiting' | 'awaiting-code' | 'code-sent' | 'oauth-error' | 'captured';
  startedAt: number;
  /** When the code was last sent (the "waiting for the token" counter runs from here). */
  codeSentAt?: number;
  url?: string;
  codeError?: string;
  oauthError?: string;
  fingerprint?: string;
}

/** Choices made on the way; the back stack holds earlier copies of it. */
export interface Flow {
  step: Step;
  /** The agent this run writes to (null only before the first look). */
  agentId: string | null;
  agentIsNew: boolean;
  /** The user settled the agent (picked it, named it, or --agent). */
  agentConfirmed: boolean;
  copyFrom: string | null;
  /** The problem profiles offered by fix-it, and which one is on screen. */
  fixIndex: number;
  /** Set once the user picked a fix: the profile id, order and agent are kept. */
  fix: { profileId: string; action: FixAction } | null;
  method: Method | null;
  expected: ExpectedKind | null;
  credential: NewCredential | null;
  profileId: string | null;
  replaceConfirmed: boolean;
  setup: SetupProgress | null;
  validation: { startedAt: number; outcome: ValidationOutcome | null } | null;
  /** The billed check's result (one max_tokens: 1 request), when the user asked for it. */
  billing: ValidationOutcome | null;
  decision: Extract<StoreDecision, { store: true }> | null;
  model: string | null;
  cacheTtl: '5m' | '1h' | null;
  /** Put the new profile first in the order: null = not decided (the preview decides whether to ask). */
  putFirst: boolean | null;
  /** What the preview found: the profile the agent would use instead of the new one, and the order. */
  wouldUse: { activeProfile: string | null; order: string[] } | null;
  /** Shown at the top of the step (a failure that brought the user back, a shape problem). */
  notice: Notice | null;
  /** Bumped when an input is refused, so the view clears it. */
  attempt: number;
  /** Pre-selected choice on a list step (e.g. paste-token after setup-token failed). */
  suggest: string | null;
  lookPhase: 'loading' | 'probing' | null;
}

export interface Facts {
  look: LookData | null;
  /** When `look` was read: the clock for every derived status. */
  lookedAt: number;
  probes: Record<string, Record<string, ProbeOutcome>>;
  claudeStatus: ClaudeAuthStatus | null;
  claudeStatusAsked: boolean;
  autoMethodUsed: boolean;
}

export interface WizardState {
  options: WizardOptions;
  flow: Flow;
  history: Flow[];
  facts: Facts;
  effects: Effect[];
  nextEffectId: number;
  /** Set on a terminal step. */
  exitCode: number | null;
  result: { type: 'saved'; summary: SaveSummary } | { type: 'cleared'; summary: ClearedSummary } | null;
  error: { message: string; hint?: string } | null;
  /** Ctrl-C arrived while the final write ran: it finishes first (SPEC §9). */
  cancelRequested: boolean;
}

export const DEFAULT_TOKEN_LIFETIME_MS = SETUP_TOKEN_LIFETIME_MS;
/** Claude Code's login copied within 5 minutes of its expiry is as good as expired (SPEC §5 sync-claude-cli). */
export const LOGIN_MARGIN_MS = 5 * 60_000;

const FIXABLE = new Set(['expired', 'invalid', 'disabled', 'cooldown']);

// ---------------------------------------------------------------- construction

function emptyFlow(): Flow {
  return {
    step: 'look-first',
    agentId: null,
    agentIsNew: false,
    agentConfirmed: false,
    copyFrom: null,
    fixIndex: 0,
    fix: null,
    method: null,
    expected: null,
    credential: null,
    profileId: null,
    replaceConfirmed: false,
    setup: null,
    validation: null,
    billing: null,
    decision: null,
    model: null,
    cacheTtl: null,
    putFirst: null,
    wouldUse: null,
    notice: null,
    attempt: 0,
    suggest: null,
    lookPhase: 'loading',
  };
}

export function initialState(options: WizardOptions): WizardState {
  const flow = emptyFlow();
  flow.agentId = options.agent ?? null;
  flow.agentConfirmed = options.agent !== undefined;
  flow.copyFrom = options.copyFrom ?? null;
  return {
    options,
    flow,
    history: [],
    facts: { look: null, lookedAt: 0, probes: {}, claudeStatus: null, claudeStatusAsked: false, autoMethodUsed: false },
    effects: [{ id: 1, scope: 'step', type: 'look', agentId: options.agent ?? null }],
    nextEffectId: 2,
    exitCode: null,
    result: null,
    error: null,
    cancelRequested: false,
  };
}

// ---------------------------------------------------------------- selectors (pure; views use them)

/** The agent's profiles with their states, probe verdicts included. */
export function agentStatus(s: WizardState): AgentStatus | null {
  const look = s.facts.look;
  if (!look) return null;
  return computeStatus({
    agent: look.agentId,
    configPath: look.configPath,
    agentDir: look.storePath,
    storePath: look.storePath,
    config: look.config,
    store: look.store,
    storeExists: look.storeExists,
    env: look.env,
    now: s.facts.lookedAt,
    probes: s.facts.probes[look.agentId],
    migrated: look.migrated,
    configLoose: look.configLoose,
    storeLoose: look.storeLoose,
  });
}

export function problemProfiles(s: WizardState): ProfileStatus[] {
  return (agentStatus(s)?.auth.profiles ?? []).filter((p) => FIXABLE.has(p.state) && p.type !== null);
}

/** The profile the fix-it step is about. */
export function currentProblem(s: WizardState): ProfileStatus | null {
  return problemProfiles(s)[s.flow.fixIndex] ?? null;
}

export function loginUsable(s: WizardState): boolean {
  const login = s.facts.look?.claudeLogin;
  if (!login) return false;
  return login.expiresAt === undefined || login.expiresAt - s.facts.lookedAt > LOGIN_MARGIN_MS;
}

/** Ids that exist in the target agent's store once this run writes (its own, plus copied ones). */
export function existingProfileIds(s: WizardState): string[] {
  const look = s.facts.look;
  if (!look) return [];
  const ids = new Set(Object.keys(look.store.profiles));
  if (s.flow.copyFrom) {
    for (const id of look.agents.find((a) => a.id === s.flow.copyFrom)?.profileIds ?? []) ids.add(id);
  }
  return [...ids];
}

/** The agent whose profiles "copy profiles from …?" offers: the default agent, when it has any. */
export function copySource(s: WizardState): AgentInfo | null {
  const look = s.facts.look;
  if (!look || !s.flow.agentIsNew) return null;
  const src = look.agents.find((a) => a.id === look.defaultAgent && a.id !== s.flow.agentId);
  return src && src.profileIds.length > 0 ? src : null;
}

export function isTerminal(s: WizardState): boolean {
  return TERMINAL_STEPS.has(s.flow.step);
}

// ---------------------------------------------------------------- transitions

function addEffect(s: WizardState, e: EffectBody): WizardState {
  return { ...s, effects: [...s.effects, { ...e, id: s.nextEffectId } as Effect], nextEffectId: s.nextEffectId + 1 };
}

function hasEffect(s: WizardState, id: number): boolean {
  return s.effects.some((e) => e.id === id);
}

function dropEffect(s: WizardState, id: number): WizardState {
  return { ...s, effects: s.effects.filter((e) => e.id !== id) };
}

function dropStepEffects(s: WizardState): WizardState {
  return { ...s, effects: s.effects.filter((e) => e.scope === 'background') };
}

interface GotoOpts {
  /** Put the current step on the back stack (only when it is an interactive step). Default true. */
  push?: boolean;
}

/** Leave the current step for `step`: step effects stop, the new step's effects start. */
function goto(s: WizardState, step: Step, patch: Partial<Flow>, at: number, opts: GotoOpts = {}): WizardState {
  const push = (opts.push ?? true) && INTERACTIVE_STEPS.has(s.flow.step);
  let next: WizardState = {
    ...dropStepEffects(s),
    history: push ? [...s.history, s.flow] : s.history,
    flow: { ...s.flow, notice: null, suggest: null, ...patch, step },
  };
  next = enter(next, at);
  return next;
}

/** Return to the latest back-stack entry on one of `steps` (dropping what came after), else go there. */
function backTo(s: WizardState, steps: Step[], patch: Partial<Flow>, at: number): WizardState {
  for (let i = s.history.length - 1; i >= 0; i--) {
    const f = s.history[i]!;
    if (steps.includes(f.step)) {
      return { ...dropStepEffects(s), history: s.history.slice(0, i), flow: { ...f, notice: null, suggest: null, ...patch } };
    }
  }
  return goto(s, steps[0]!, patch, at, { push: false });
}

function finish(s: WizardState, step: 'done' | 'failed' | 'cancelled', exitCode: number, extra: Partial<WizardState> = {}): WizardState {
  return { ...s, ...extra, effects: [], exitCode, flow: { ...s.flow, step, lookPhase: null } };
}

function fail(s: WizardState, message: string, hint: string | undefined, exitCode = 1): WizardState {
  return finish(s, 'failed', exitCode, { error: { message, ...(hint ? { hint } : {}) } });
}

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
      if (s.options.skipValidation) return afterValidation({ ...s, flow: { ...f, validation: null } }, decide(null, { saveUnverified: false, now: at }) as Extract<StoreDecision, { store: true }>, at);
      return addEffect(
        { ...s, flow: { ...f, validation: { startedAt: at, outcome: null } } },
        { scope: 'step', type: 'validate', kind: c.kind === 'api_key' ? 'api_key' : 'token', secret: c.secret, timeoutMs: s.options.timeoutMs },
      );
    }
    case 'checking-billing': {
      const c = f.credential!;
      return addEffect({ ...s, flow: { ...f, billing: null } }, { scope: 'step', type: 'validate', kind: 'api_key', secret: c.secret, timeoutMs: s.options.timeoutMs, billed: true });
    }
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
        return addEffect(s, { scope: 'step', type: 'clear-mark', agentId: look.agentId, profileId: f.fix.profileId, records: probeRecords(s, look.agentId, null), dryRun: s.options.dryRun });
      }
      if (needsPreview(s)) return addEffect(s, { scope: 'step', type: 'preview', request: { ...saveRequest(s), dryRun: true } });
      return addEffect(s, { scope: 'step', type: 'save', request: saveRequest(s) });
    default:
      return s;
  }
}

/** The request the final write sends to save() (app/credential-flow.ts). */
export function saveRequest(s: WizardState): SaveRequest {
  const f = s.flow;
  const look = s.facts.look!;
  const replacing = existingProfileIds(s).includes(f.profileId!);
  return {
    agentId: f.agentId!,
    profileId: f.profileId!,
    credential: f.credential!,
    decision: f.decision!,
    ...(f.copyFrom && f.copyFrom !== f.agentId ? { copyFrom: f.copyFrom } : {}),
    ...(f.model ? { model: f.model } : {}),
    ...(f.cacheTtl ? { cacheTtl: f.cacheTtl } : {}),
    dryRun: s.options.dryRun,
    allowReplace: replacing,
    records: probeRecords(s, look.agentId, f.profileId!),
    ...otherAgentRecords(s, f.agentId!),
    ...(f.putFirst ? { putFirst: true } : {}),
  };
}

/**
 * The interactive wizard asks "Use the new … first?" when the agent would go on using another
 * profile. Only possible when the agent holds (or gets copied) other profiles; a dry write of the
 * real request tells (copied profiles and their order included). Scripted runs never ask: they
 * warn (commands/onboard.tsx report()).
 */
function needsPreview(s: WizardState): boolean {
  const f = s.flow;
  // A fix keeps the profile's place in the order (that is what it promises).
  if (s.options.mode !== 'onboard' || s.options.replaceWithoutAsking || f.putFirst !== null || f.fix) return false;
  return existingProfileIds(s).some((id) => id !== f.profileId);
}

/** Look-first's probe verdicts, recorded only with the final write (SPEC §9). */
function probeRecords(s: WizardState, agentId: string, except: string | null): Record<string, ValidationRecord> {
  const out: Record<string, ValidationRecord> = {};
  for (const [id, p] of Object.entries(s.facts.probes[agentId] ?? {})) {
    if (id === except || p.verdict === 'skipped') continue;
    out[id] = { at: s.facts.lookedAt, verdict: p.verdict, ...(p.detail ? { detail: p.detail } : {}), ...(p.requestId ? { requestId: p.requestId } : {}) };
  }
  return out;
}

/**
 * Verdicts look-first found for another agent (the default agent, checked before the user named a
 * new one): a 401 the user skipped stays recorded once something is written.
 */
function otherAgentRecords(s: WizardState, target: string): { otherRecords?: Record<string, Record<string, ValidationRecord>> } {
  const out: Record<string, Record<string, ValidationRecord>> = {};
  for (const agentId of Object.keys(s.facts.probes)) {
    if (agentId === target) continue;
    // Only what refused: another agent's files change only to keep a broken profile on record.
    const recs = Object.fromEntries(Object.entries(probeRecords(s, agentId, null)).filter(([, r]) => r.verdict === 'invalid' || r.verdict === 'forbidden' || r.verdict === 'no_credit'));
    if (Object.keys(recs).length) out[agentId] = recs;
  }
  return Object.keys(out).length ? { otherRecords: out } : {};
}

function probeTargets(look: LookData, now: number): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const [id, c] of Object.entries(look.store.profiles)) {
    if (!c || c.provider !== 'anthropic') continue;
    const secret = c.type === 'api_key' ? c.key : c.type === 'token' ? c.token : c.type === 'oauth' ? c.access : undefined;
    if (typeof secret !== 'string' || !secret) continue;
    if (typeof c.expires === 'number' && c.type !== 'api_key' && c.expires <= now) continue; // expired: not probed
    out.push({ profileId: id, kind: c.type === 'api_key' ? 'api_key' : 'token', secret });
  }
  return out;
}

function afterLook(s: WizardState, at: number): WizardState {
  const f = s.flow;
  if (s.options.mode === 'setup-token') {
    if (!s.facts.look?.claudePath) {
      const n = notFoundNotice();
      return fail(s, n.text, `Install it with \`${INSTALL_CLAUDE_CODE}\`, or make a token on another machine and store it with \`clawdia models auth paste-token --provider anthropic\`.`);
    }
    return goto(s, 'running-setup-token', { lookPhase: null, method: 'setup-token', expected: 'token', profileId: s.options.profileId ?? defaultProfileId('token') }, at, { push: false });
  }
  const withPhase = { ...s, flow: { ...f, lookPhase: null } };
  if (s.options.probe && problemProfiles(withPhase).length > 0) {
    return goto(withPhase, 'fix-it', { fixIndex: 0 }, at, { push: false });
  }
  return afterFixIt(withPhase, at, false);
}

function afterFixIt(s: WizardState, at: number, push: boolean): WizardState {
  const f = s.flow;
  if (!f.agentConfirmed) return goto(s, 'choose-agent', {}, at, { push });
  if (f.agentIsNew && !s.options.copyFrom && copySource(s)) return goto(s, 'copy-profiles', {}, at, { push });
  return goto(s, 'choose-method', {}, at, { push });
}

function profileIdFor(s: WizardState, kind: 'api_key' | 'token'): string {
  return s.flow.fix?.profileId ?? s.options.profileId ?? defaultProfileId(kind);
}

function chooseMethod(s: WizardState, method: Method, at: number, push: boolean): WizardState {
  const look = s.facts.look!;
  switch (method) {
    case 'api-key':
      return goto(s, 'enter-credential', { method, expected: 'api_key', credential: null, profileId: profileIdFor(s, 'api_key'), replaceConfirmed: false }, at, { push });
    case 'paste-token':
      return goto(s, 'enter-credential', { method, expected: 'token', credential: null, profileId: profileIdFor(s, 'token'), replaceConfirmed: false }, at, { push });
    case 'setup-token':
      if (!look.claudePath) {
        return { ...s, flow: { ...s.flow, step: 'choose-method', notice: notFoundNotice(), suggest: 'paste-token' } };
      }
      return goto(s, 'running-setup-token', { method, expected: 'token', credential: null, profileId: profileIdFor(s, 'token'), replaceConfirmed: false }, at, { push });
    case 'claude-cli': {
      const login = look.claudeLogin;
      if (!login) {
        return { ...s, flow: { ...s.flow, step: 'choose-method', notice: { tone: 'error', text: "No Claude Code login was found on this host.", hint: 'Sign in with `claude` first, or choose another method.' } } };
      }
      if (!loginUsable(s)) {
        return {
          ...s,
          flow: { ...s.flow, step: 'choose-method', notice: { tone: 'error', text: "Claude Code's login on this host has expired (or expires within 5 minutes).", hint: 'Run `claude` (it refreshes its own login), then run the wizard again.' } },
        };
      }
      const shape = checkShape(login.accessToken, 'token');
      if (!shape.ok) {
        return { ...s, flow: { ...s.flow, step: 'choose-method', notice: { tone: 'error', text: `Claude Code's login holds ${shape.message.charAt(0).toLowerCase()}${shape.message.slice(1)}`, hint: shape.hint } } };
      }
      const credential: NewCredential = {
        kind: 'oauth',
        secret: login.accessToken,
        ...(login.refreshToken ? { refresh: login.refreshToken } : {}),
        ...(login.expiresAt ? { expires: login.expiresAt } : {}),
        source: login.location,
      };
      return goto(s, 'validating', { method, expected: 'token', credential, profileId: profileIdFor(s, 'token'), replaceConfirmed: false }, at, { push });
    }
    case 'env-api-key':
    case 'env-oauth-token': {
      const name = ENV_METHOD_VAR[method];
      const expected: ExpectedKind = method === 'env-api-key' ? 'api_key' : 'token';
      const raw = look.env[name] ?? '';
      const parsed = parseSecret(raw, expected);
      if (!parsed.ok) {
        return { ...s, flow: { ...s.flow, step: 'choose-method', notice: { tone: 'error', text: `${name}: ${parsed.message}`, hint: parsed.hint } } };
      }
      const credential: NewCredential =
        expected === 'api_key'
          ? { kind: 'api_key', secret: parsed.value, source: name }
          : { kind: 'token', secret: parsed.value, expires: at + DEFAULT_TOKEN_LIFETIME_MS, source: name };
      return goto(s, 'validating', { method, expected, credential, profileId: profileIdFor(s, expected), replaceConfirmed: false }, at, { push });
    }
  }
}

export function notFoundNotice(): Notice {
  return {
    tone: 'error',
    text: 'Claude Code CLI not found (looked for $CLAWDIA_CLAUDE_BIN, then `claude` on PATH).',
    hint: `Install it with \`${INSTALL_CLAUDE_CODE}\`, or make a token on another machine and choose "Paste a setup-token".`,
  };
}

/** A setup-token failure in words: the reason, and the way out (SPEC §6.2). */
export function setupFailureNotice(failure: SetupTokenFailure, message: string, opts: { exitCode?: number; oauthError?: string; timeoutMs: number; lastLines?: string[] }): Notice {
  const paste = 'You can paste a setup-token instead: run `claude setup-token` on a machine with a browser and choose "Paste a setup-token".';
  // claude's own last words (redacted by the adapter), quoted: they usually name the cause.
  const said = opts.lastLines?.length ? ` It said: "${opts.lastLines.join(' / ')}"` : '';
  switch (failure) {
    case 'not_found':
      return notFoundNotice();
    case 'exit_code':
      return { tone: 'error', text: `\`claude setup-token\` exited with code ${opts.exitCode ?? '?'} before printing a token.${said}`, hint: paste };
    case 'no_token':
      return { tone: 'error', text: `\`claude setup-token\` ended without printing a token.${said}`, hint: paste };
    case 'timeout':
      return { tone: 'error', text: `\`claude setup-token\` did not finish within ${formatDuration(opts.timeoutMs, { style: 'long' })}; clawdia stopped it.`, hint: `${paste} (Or allow longer with --setup-token-timeout <ms>.)` };
    case 'oauth_error':
      return { tone: 'error', text: `Sign-in failed: ${describeOAuthError(opts.oauthError ?? message)}`, hint: paste };
    case 'stopped':
      return { tone: 'info', text: 'Stopped `claude setup-token`; nothing was stored.', hint: paste };
    case 'spawn_failed':
      return { tone: 'error', text: `Could not start \`claude setup-token\`: ${message}`, hint: paste };
  }
}

/** A refused paste as both wizards show it: the fingerprint (unless nothing was pasted), why, and the hint. */
export function refusedPasteNotice(p: { fingerprint: string; message: string; hint: string }): Notice {
  return { tone: 'error', text: `${p.fingerprint === '(empty)' ? '' : p.fingerprint + ': '}${p.message}`, ...(p.hint ? { hint: p.hint } : {}) };
}

export function describeOAuthError(reason: string): string {
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(reason)) return `no network connection to the sign-in service (${reason.trim()}).`;
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT/i.test(reason)) return `the sign-in service could not be reached (${reason.trim()}).`;
  return reason.trim().replace(/\.?$/, '.');
}

function afterValidation(s: WizardState, decision: Extract<StoreDecision, { store: true }>, at: number): WizardState {
  const withDecision: WizardState = { ...s, flow: { ...s.flow, decision } };
  return checkReplace(withDecision, at);
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

/** Why the current profile id cannot take this credential (API key into a token id, or the reverse). */
export function replaceBlocked(s: WizardState): string | null {
  const look = s.facts.look;
  const f = s.flow;
  if (!look || !f.credential || !f.profileId) return null;
  const stored =
    f.credential.kind === 'api_key'
      ? { type: 'api_key' as const, provider: 'anthropic', key: f.credential.secret }
      : { type: 'token' as const, provider: 'anthropic', token: f.credential.secret };
  try {
    checkModeCompatible(look.config, look.store, f.profileId, stored);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function afterReplace(s: WizardState, at: number): WizardState {
  const f = s.flow;
  if (f.credential!.kind === 'api_key' && !f.fix && s.options.mode === 'onboard') {
    return goto(s, 'choose-model', {}, at);
  }
  return goto(s, 'saving', { model: null, cacheTtl: null }, at);
}

function back(s: WizardState): WizardState {
  const f = s.flow;
  if (TERMINAL_STEPS.has(f.step) || f.step === 'saving') return s;
  if (s.history.length === 0) return finish(s, 'cancelled', 130);
  const prev = s.history[s.history.length - 1]!;
  const notice = f.step === 'running-setup-token' ? setupFailureNotice('stopped', '', { timeoutMs: s.options.setupTokenTimeoutMs }) : null;
  return {
    ...dropStepEffects(s),
    history: s.history.slice(0, -1),
    flow: { ...prev, notice, suggest: notice ? 'paste-token' : null, ...(notice ? {} : keptChoice(prev, f)) },
  };
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

function problemCount(s: WizardState): number {
  return problemProfiles(s).length;
}

// ---------------------------------------------------------------- the reducer

export function reduce(s: WizardState, e: WizardEvent): WizardState {
  const f = s.flow;
  const at = e.at;
  if (isTerminal(s)) return s;

  switch (e.type) {
    case 'cancelled':
      // The final write finishes first; a dry preview of it is simply dropped.
      if (f.step === 'saving' && !s.effects.some((x) => x.type === 'preview')) return { ...s, cancelRequested: true };
      return finish(s, 'cancelled', e.exitCode ?? 130, e.reason ? { error: { message: e.reason } } : {});

    case 'went-back':
      return back(s);

    case 'effect-failed':
      if (!hasEffect(s, e.effectId)) return s;
      return fail(dropEffect(s, e.effectId), e.message, e.hint, e.exitCode ?? 1);

    case 'looked': {
      if (!hasEffect(s, e.effectId) || f.step !== 'look-first') return s;
      const known = e.data.agents.some((a) => a.id === e.data.agentId && (a.listed || a.profileIds.length > 0));
      let next: WizardState = {
        ...dropEffect(s, e.effectId),
        facts: { ...s.facts, look: e.data, lookedAt: at },
        flow: { ...f, agentId: e.data.agentId, agentIsNew: !known },
      };
      if (s.options.probe && s.options.mode === 'onboard' && e.data.claudePath && !s.facts.claudeStatusAsked) {
        next = addEffect({ ...next, facts: { ...next.facts, claudeStatusAsked: true } }, { scope: 'background', type: 'claude-status' });
      }
      const targets = s.options.probe && s.options.mode === 'onboard' && !s.facts.probes[e.data.agentId] ? probeTargets(e.data, at) : [];
      if (targets.length > 0) {
        next = addEffect({ ...next, flow: { ...next.flow, lookPhase: 'probing' } }, {
          scope: 'background',
          type: 'probe',
          agentId: e.data.agentId,
          targets,
          timeoutMs: s.options.timeoutMs,
        });
        return next;
      }
      return afterLook(next, at);
    }

    case 'probed': {
      if (!hasEffect(s, e.effectId)) return s;
      const next: WizardState = { ...dropEffect(s, e.effectId), facts: { ...s.facts, probes: { ...s.facts.probes, [e.agentId]: e.results } } };
      if (f.step === 'look-first' && f.lookPhase === 'probing' && s.facts.look?.agentId === e.agentId) return afterLook(next, at);
      return next;
    }

    case 'check-skipped':
      if (f.step !== 'look-first' || f.lookPhase !== 'probing') return s;
      return afterLook(s, at);

    case 'claude-status-read':
      if (!hasEffect(s, e.effectId)) return s;
      return { ...dropEffect(s, e.effectId), facts: { ...s.facts, claudeStatus: e.status } };

    case 'fix-chosen': {
      if (f.step !== 'fix-it') return s;
      const p = currentProblem(s);
      if (!p) return afterFixIt(s, at, true);
      if (e.action === 'skip') {
        if (f.fixIndex + 1 < problemCount(s)) return goto(s, 'fix-it', { fixIndex: f.fixIndex + 1 }, at);
        return afterFixIt(s, at, true);
      }
      const fix = { profileId: p.profileId, action: e.action };
      const base = { ...s, flow: { ...f, fix, agentConfirmed: true } };
      switch (e.action) {
        case 'setup-token':
          return chooseMethod(base, 'setup-token', at, true);
        case 'paste-token':
          return chooseMethod(base, 'paste-token', at, true);
        case 'paste-api-key':
          return chooseMethod(base, 'api-key', at, true);
        case 'resync':
          return chooseMethod(base, 'claude-cli', at, true);
        case 'clear':
          return goto(base, 'saving', { profileId: p.profileId }, at);
      }
      return s;
    }

    case 'agent-chosen': {
      if (f.step !== 'choose-agent') return s;
      if (!isValidAgentId(e.agentId)) return { ...s, flow: { ...f, notice: { tone: 'error', text: `Invalid agent id "${e.agentId}".` } } };
      const isNew = !s.facts.look?.agents.some((a) => a.id === e.agentId && (a.listed || a.profileIds.length > 0));
      if (s.facts.look?.agentId === e.agentId) {
        return afterFixIt({ ...s, flow: { ...f, agentConfirmed: true, agentIsNew: isNew, copyFrom: s.options.copyFrom ?? null, fixIndex: 0 } }, at, true);
      }
      return goto(s, 'look-first', { agentId: e.agentId, agentConfirmed: true, agentIsNew: isNew, copyFrom: s.options.copyFrom ?? null, fixIndex: 0 }, at);
    }

    case 'new-agent-requested':
      if (f.step !== 'choose-agent') return s;
      return goto(s, 'name-agent', {}, at);

    case 'agent-named': {
      if (f.step !== 'name-agent') return s;
      const id = e.agentId.trim();
      if (!isValidAgentId(id)) {
        return {
          ...s,
          flow: {
            ...f,
            attempt: f.attempt + 1,
            notice: { tone: 'error', text: `"${id.length > 40 ? id.slice(0, 40) + '…' : id}" is not a valid agent id.`, hint: 'Use 1–64 lowercase letters, digits, "-" or "_", starting with a letter or digit (e.g. work, bot-2).' },
          },
        };
      }
      const existing = s.facts.look?.agents.find((a) => a.id === id && (a.listed || a.profileIds.length > 0));
      if (existing) {
        return {
          ...s,
          flow: { ...f, attempt: f.attempt + 1, notice: { tone: 'error', text: `Agent ${id} already exists${existing.profileIds.length ? ` (${existing.profileIds.length} profile${existing.profileIds.length === 1 ? '' : 's'})` : ''}.`, hint: 'Type another id for a new agent, or press Esc and pick it from the list.' } },
        };
      }
      const patch = { agentId: id, agentConfirmed: true, agentIsNew: !existing, copyFrom: s.options.copyFrom ?? null, fixIndex: 0 };
      if (s.facts.look?.agentId === id) return afterFixIt({ ...s, flow: { ...f, ...patch } }, at, true);
      return goto(s, 'look-first', patch, at);
    }

    case 'copy-answered': {
      if (f.step !== 'copy-profiles') return s;
      const src = copySource(s);
      return goto(s, 'choose-method', { copyFrom: e.copy && src ? src.id : null }, at);
    }

    case 'method-chosen':
      if (f.step !== 'choose-method') return s;
      return chooseMethod(s, e.method, at, true);

    case 'credential-submitted': {
      if (f.step !== 'enter-credential' || !f.expected) return s;
      const parsed = parseSecret(e.raw, f.expected);
      if (!parsed.ok) {
        return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: refusedPasteNotice(parsed) } };
      }
      const credential: NewCredential =
        f.expected === 'api_key'
          ? { kind: 'api_key', secret: parsed.value, source: 'pasted' }
          : { kind: 'token', secret: parsed.value, expires: at + DEFAULT_TOKEN_LIFETIME_MS, source: 'pasted' };
      return goto(s, 'validating', { credential }, at);
    }

    case 'setup-token-progressed': {
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
    }

    case 'code-submitted':
      if (f.step !== 'running-setup-token' || !f.setup) return s;
      return { ...s, flow: { ...f, setup: { ...f.setup, phase: 'code-sent', codeError: undefined, codeSentAt: at } } };

    case 'setup-token-retried':
      if (f.step !== 'running-setup-token' || !f.setup || f.setup.phase !== 'oauth-error') return s;
      return { ...s, flow: { ...f, setup: { ...f.setup, phase: 'waiting', oauthError: undefined } } };

    case 'setup-token-finished': {
      if (!hasEffect(s, e.effectId) || f.step !== 'running-setup-token') return s;
      const r = e.result;
      const rest = dropEffect(s, e.effectId);
      if (r.ok) {
        const parsed = parseSecret(r.token, 'token');
        if (parsed.ok) {
          const credential: NewCredential = { kind: 'token', secret: parsed.value, expires: at + (r.expiresInMs ?? DEFAULT_TOKEN_LIFETIME_MS), source: 'claude setup-token' };
          return goto(rest, 'validating', { credential }, at, { push: false });
        }
        return setupFailed(rest, { tone: 'error', text: `\`claude setup-token\` printed something that is not a whole setup-token (${parsed.message})`, hint: 'Run it again, or paste the token yourself.' }, at);
      }
      return setupFailed(rest, setupFailureNotice(r.failure, r.message, { exitCode: r.exitCode, oauthError: r.oauthError, timeoutMs: s.options.setupTokenTimeoutMs, lastLines: r.lastLines }), at);
    }

    case 'validated': {
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
    }

    case 'verdict-answered': {
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
          if (s.options.mode === 'setup-token') return fail(s, 'Nothing was stored.', 'Paste a token instead: clawdia models auth paste-token --provider anthropic');
          return backTo(s, f.fix ? ['fix-it'] : ['choose-method'], {}, at);
      }
      return s;
    }

    case 'billing-answered': {
      if (f.step !== 'offer-billing' || !f.validation?.outcome) return s;
      if (e.check) return goto(s, 'checking-billing', {}, at);
      const d = decide(f.validation.outcome, { saveUnverified: s.options.saveUnverified, now: at });
      if (!d.store) return s;
      return afterValidation(s, d, at);
    }

    case 'replace-answered':
      if (f.step !== 'replace-or-rename') return s;
      if (e.replace) {
        if (replaceBlocked(s)) return s;
        return afterReplace({ ...s, flow: { ...f, replaceConfirmed: true } }, at);
      }
      return goto(s, 'name-profile', {}, at);

    case 'profile-named': {
      if (f.step !== 'name-profile') return s;
      const name = e.name.trim().replace(/^anthropic:/, '');
      const id = `anthropic:${name}`;
      if (!PROFILE_ID.test(id)) {
        return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: { tone: 'error', text: `"${name.slice(0, 40)}" is not a valid profile name.`, hint: 'Use lowercase letters, digits, ".", "-" or "_" (e.g. work, personal-2).' } } };
      }
      if (existingProfileIds(s).includes(id)) {
        return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: { tone: 'error', text: `${id} already exists for agent ${f.agentId}.`, hint: 'Pick another name, or press Esc to go back and replace it.' } } };
      }
      const next: WizardState = { ...s, flow: { ...f, profileId: id, replaceConfirmed: false } };
      return afterReplace(next, at);
    }

    case 'model-chosen':
      if (f.step !== 'choose-model') return s;
      return goto(s, 'choose-cache-ttl', { model: e.model }, at);

    case 'cache-ttl-chosen':
      if (f.step !== 'choose-cache-ttl') return s;
      return goto(s, 'saving', { cacheTtl: e.ttl }, at);

    case 'previewed': {
      if (!hasEffect(s, e.effectId) || f.step !== 'saving') return s;
      const r = e.summary;
      const rest = dropEffect(s, e.effectId);
      const behind = r.activeProfile !== r.profileId && r.order.indexOf(r.profileId) > 0;
      if (!behind || s.options.yes) {
        const next: WizardState = { ...rest, flow: { ...f, putFirst: behind } };
        return addEffect(next, { scope: 'step', type: 'save', request: saveRequest(next) });
      }
      return goto(rest, 'use-first', { wouldUse: { activeProfile: r.activeProfile, order: r.order } }, at, { push: false });
    }

    case 'put-first-answered':
      if (f.step !== 'use-first') return s;
      return goto(s, 'saving', { putFirst: e.first }, at);

    case 'saved':
      if (!hasEffect(s, e.effectId)) return s;
      return finish(s, 'done', 0, { result: { type: 'saved', summary: e.summary } });

    case 'mark-cleared':
      if (!hasEffect(s, e.effectId)) return s;
      return finish(s, 'done', 0, { result: { type: 'cleared', summary: e.summary } });
  }
}

/** A billed check is offered for an API key the free check accepted (onboard only; a fix keeps it short). */
function billingApplies(s: WizardState): boolean {
  return s.options.mode === 'onboard' && s.flow.credential?.kind === 'api_key' && !s.flow.fix;
}

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
  const merged: ValidationOutcome = { ...outcome, ...(first?.models ? { models: first.models } : {}), ...(first?.modelNames ? { modelNames: first.modelNames } : {}) };
  const next: WizardState = { ...s, flow: { ...f, billing: outcome, validation: { startedAt: f.validation?.startedAt ?? at, outcome: merged } } };
  const d = decide(merged, { saveUnverified: s.options.saveUnverified, now: at });
  if (d.store) return afterValidation(next, d, at);
  if (s.options.replaceWithoutAsking) return fail(next, d.error.message, d.error.hint);
  return goto(next, 'verdict', {}, at, { push: false });
}

function setupFailed(s: WizardState, notice: Notice, at: number): WizardState {
  if (s.options.mode === 'setup-token') {
    return fail(s, notice.text, notice.hint ?? 'Paste a token instead: clawdia models auth paste-token --provider anthropic');
  }
  return backTo(s, s.flow.fix ? ['fix-it', 'choose-method'] : ['choose-method'], { notice, suggest: 'paste-token', setup: null }, at);
}
