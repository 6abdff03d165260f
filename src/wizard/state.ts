// The wizard's data (SPEC §6, §6.2, §9): steps, options, what look-first found, effects as data,
// events (past tense), the state and its construction. No logic beyond `initialState`: the reads
// are in selectors.ts, the transitions in machine.ts (the handler table) and transitions.ts.
// The new credential's secret lives in one place only, `flow.credential.secret` of the current
// flow: back-stack entries, effects and the state a screen receives (`ViewState`) hold none.
import type { NewCredential, SaveRequest, SaveSummary, StoreDecision } from '../app/credential-flow.js';
import type { ProbeTarget } from '../app/status-input.js';
import type { ExpectedKind } from '../core/credentials.js';
import { SETUP_TOKEN_LIFETIME_MS } from '../core/save.js';
import type { ProbeResult } from '../core/status.js';
import type { AuthChoice, AuthStore, ClawdiaConfig, ValidationRecord } from '../core/types.js';
import type { ClaudeAuthStatus, ClaudeLogin, SetupTokenEvent, SetupTokenResult, ValidationOutcome } from '../ports.js';

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

/** A stored profile look-first checks live (app/status-input.ts probeTargets). */
export type { ProbeTarget };

export type ProbeOutcome = ProbeResult & { detail?: string };

// ---------------------------------------------------------------- effects

/** A save request as an effect carries it: the runner adds `flow.credential` when it starts the effect. */
export type SaveRequestBody = Omit<SaveRequest, 'credential'>;

/**
 * `validate`, `save` and `preview` carry no secret: the runner reads `flow.credential` of the state
 * that lists the effect, when it starts it. `probe` carries the stored secrets it checks (they are
 * look-first's, already in `facts.look.store`; never the new credential).
 */
export type Effect =
  | { id: number; scope: 'step'; type: 'look'; agentId: string | null }
  | { id: number; scope: 'background'; type: 'probe'; agentId: string; targets: ProbeTarget[]; timeoutMs: number }
  | { id: number; scope: 'background'; type: 'claude-status' }
  | { id: number; scope: 'step'; type: 'setup-token'; timeoutMs: number }
  | { id: number; scope: 'step'; type: 'validate'; kind: 'api_key' | 'token'; timeoutMs: number; billed?: boolean }
  | { id: number; scope: 'step'; type: 'save'; request: SaveRequestBody }
  /** The same write as `save`, dry: which profile the agent would use (asked before the real write). */
  | { id: number; scope: 'step'; type: 'preview'; request: SaveRequestBody }
  | { id: number; scope: 'step'; type: 'clear-mark'; agentId: string; profileId: string; records: Record<string, ValidationRecord>; dryRun: boolean };

export type EffectBody = Effect extends infer E ? (E extends Effect ? Omit<E, 'id'> : never) : never;

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

/** The new credential as the wizard holds it: the fingerprint is taken once, when it arrives. */
export type HeldCredential = NewCredential & { fingerprint: string };

/** The new credential without its secrets: what a screen or a back-stack entry may hold. */
export type CredentialView = Omit<HeldCredential, 'secret' | 'refresh'>;

/** Choices made on the way; the back stack holds earlier copies of it, without the secret (`BackEntry`). */
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
  /** The one place the new credential's secret lives (null before it is entered). */
  credential: HeldCredential | null;
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

/** A flow as the back stack (and a screen) holds it: the credential without its secret. */
export type ViewFlow = Omit<Flow, 'credential'> & { credential: CredentialView | null };

/** A back-stack entry: going back takes the secret from the current flow (transitions.ts `restore`). */
export type BackEntry = ViewFlow;

export interface WizardState {
  options: WizardOptions;
  flow: Flow;
  history: BackEntry[];
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

/**
 * What a screen receives (components/StepProps): no effects, the credential without its secret.
 * Every reader a screen shares with the plain front end (selectors, choices, summary) takes this
 * type; a `WizardState` is one too. App passes `viewOf(state)` (selectors.ts), so the secret is
 * not in the screens' props at run time either.
 */
export type ViewState = Omit<WizardState, 'flow' | 'effects'> & { flow: ViewFlow };

export const DEFAULT_TOKEN_LIFETIME_MS = SETUP_TOKEN_LIFETIME_MS;
/** Claude Code's login copied within 5 minutes of its expiry is as good as expired (SPEC §5 sync-claude-cli). */
export const LOGIN_MARGIN_MS = 5 * 60_000;

/** Profile states fix-it offers to fix. */
export const FIXABLE: ReadonlySet<string> = new Set(['expired', 'invalid', 'disabled', 'cooldown']);

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
