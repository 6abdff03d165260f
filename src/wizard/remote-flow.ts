// The `--remote` wizard as `reduce(state, event) → state` (pure, like machine.ts, but small): the
// credential is minted or pasted here, then sent to the gateway, which validates and stores it.
// What differs from the local wizard: no agent step or fix-it (they are the gateway's; its status
// is shown instead), no model/cache-TTL step (the gateway's paste-* leave those alone), and no
// (D) "reuse Claude Code's login": that login is this machine's, lives hours and renews by
// rotating its refresh token — a copy on the gateway would die within hours, or sign this
// machine's Claude Code out when renewed there. The gateway's own login: `sync-claude-cli` there.
// Sending happens outside the UI (ssh may ask its own questions on the terminal): the front end
// leaves the screen at `sending` and comes back with `sent` or `send-failed`.
import { parseSecret } from '../core/credentials.js';
import { CONSOLE_API_KEYS, INSTALL_CLAUDE_CODE, SUBSCRIPTION_TERMS } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import type { ProfileStatus } from '../core/status.js';
import type { SetupTokenEvent, SetupTokenResult } from '../ports.js';
import { notFoundNotice, refusedPasteNotice, setupFailureNotice } from './notices.js';
import type { Notice, SetupProgress } from './state.js';

export type RemoteStep = 'choose-method' | 'enter-credential' | 'running-setup-token' | 'sending' | 'refused' | 'send-failed' | 'done' | 'failed' | 'cancelled';
export type RemoteMethod = 'api-key' | 'setup-token' | 'paste-token';

/** Steps drawn by the UI; `sending` and the terminal steps are not. */
export const REMOTE_UI_STEPS: ReadonlySet<RemoteStep> = new Set<RemoteStep>([
  'choose-method',
  'enter-credential',
  'running-setup-token',
  'refused',
  'send-failed',
]);
export const REMOTE_TERMINAL: ReadonlySet<RemoteStep> = new Set<RemoteStep>(['done', 'failed', 'cancelled']);

export interface RemoteFlowOptions {
  /** `setup-token`: `models auth setup-token --remote` (straight to the child; its failure ends the command). */
  mode: 'onboard' | 'setup-token';
  dest: string;
  version: string;
  agent: string;
  /** What the gateway's agent holds now (its `models status --json`). */
  profiles: ProfileStatus[];
  activeProfile: string | null;
  claudeFound: boolean;
  setupTokenTimeoutMs: number;
  profileId?: string;
  authChoice?: RemoteMethod;
}

export interface RemoteFailureView {
  message: string;
  hint?: string;
  details: string[];
  /** The gateway refused the credential (a verdict), as opposed to the transport failing. */
  refused: boolean;
  canSaveUnverified: boolean;
}

export interface RemoteFlowState {
  options: RemoteFlowOptions;
  step: RemoteStep;
  history: RemoteStep[];
  method: RemoteMethod | null;
  expected: 'api_key' | 'token' | null;
  credential: { kind: 'api_key' | 'token'; secret: string; fingerprint: string; expiresInMs?: number; source: string } | null;
  setup: SetupProgress | null;
  notice: Notice | null;
  /** Bumped on each refused input / each arrival, so the view remounts its input. */
  attempt: number;
  saveUnverified: boolean;
  failure: RemoteFailureView | null;
  exitCode: number | null;
}

/** What the --remote screens receive (components/RemoteApp): the state without the credential's secret. */
export type RemoteView = Omit<RemoteFlowState, 'credential'> & { credential: Omit<NonNullable<RemoteFlowState['credential']>, 'secret'> | null };

export function remoteView(s: RemoteFlowState): RemoteView {
  if (!s.credential) return s;
  const { secret: _secret, ...shown } = s.credential;
  return { ...s, credential: shown };
}

export type RemoteEvent =
  | { type: 'method-chosen'; method: RemoteMethod }
  | { type: 'credential-submitted'; raw: string }
  | { type: 'setup-progressed'; event: SetupTokenEvent }
  | { type: 'code-submitted'; code: string }
  | { type: 'setup-retried' }
  | { type: 'setup-finished'; result: SetupTokenResult }
  | { type: 'sent' }
  | { type: 'send-failed'; failure: RemoteFailureView }
  | { type: 'keep-anyway' }
  | { type: 'send-again' }
  | { type: 'other-method' }
  | { type: 'quit' }
  | { type: 'went-back' }
  | { type: 'cancelled'; exitCode?: number };

export function initialRemote(options: RemoteFlowOptions, at: number): RemoteFlowState {
  const s: RemoteFlowState = {
    options,
    step: 'choose-method',
    history: [],
    method: null,
    expected: null,
    credential: null,
    setup: null,
    notice: null,
    attempt: 0,
    saveUnverified: false,
    failure: null,
    exitCode: null,
  };
  const preset = options.mode === 'setup-token' ? 'setup-token' : options.authChoice;
  return preset ? choose(s, preset, at, false) : s;
}

export interface RemoteChoice {
  value: RemoteMethod | 'claude-cli';
  key: string;
  label: string;
  hints: string[];
  disabled?: boolean;
}

/** The method screen: the local wizard's methods, minus (D). */
export function remoteMethodChoices(s: RemoteView): RemoteChoice[] {
  const o = s.options;
  return [
    {
      value: 'api-key',
      key: 'A',
      label: 'Anthropic API key (recommended)',
      hints: [`Usage-based billing. Create one at ${CONSOLE_API_KEYS}.`, `Pasted here (hidden), checked and stored on ${o.dest}.`],
    },
    o.claudeFound
      ? {
          value: 'setup-token',
          key: 'B',
          label: 'Claude subscription: run `claude setup-token` here',
          hints: ["Sign in with this machine's browser; the token (a year) goes straight to the gateway.", SUBSCRIPTION_TERMS],
        }
      : {
          value: 'setup-token',
          key: 'B',
          label: 'Claude subscription: run `claude setup-token` here',
          hints: [`Claude Code CLI not found on this machine (${INSTALL_CLAUDE_CODE}); or paste a token (C).`],
          disabled: true,
        },
    {
      value: 'paste-token',
      key: 'C',
      label: 'Paste a setup-token',
      hints: ['Made with `claude setup-token` on any machine; pasted here (hidden).', SUBSCRIPTION_TERMS],
    },
    {
      value: 'claude-cli',
      key: 'D',
      label: "Reuse Claude Code's login — not over --remote",
      hints: [
        `This machine's login lives hours and renews itself; a copy on ${o.dest} would soon die. If Claude Code is logged in on ${o.dest}: ssh ${o.dest} clawdia models auth sync-claude-cli`,
      ],
      disabled: true,
    },
  ];
}

function choose(s: RemoteFlowState, method: RemoteMethod, at: number, push: boolean): RemoteFlowState {
  const history = push ? [...s.history, s.step] : s.history;
  const base = { ...s, history, method, credential: null, notice: null, failure: null, saveUnverified: false, attempt: s.attempt + 1 };
  switch (method) {
    case 'api-key':
      return { ...base, step: 'enter-credential', expected: 'api_key' };
    case 'paste-token':
      return { ...base, step: 'enter-credential', expected: 'token' };
    case 'setup-token':
      if (!s.options.claudeFound) {
        if (s.options.mode === 'setup-token')
          return fail(
            s,
            notFoundNotice().text,
            `Install it with \`${INSTALL_CLAUDE_CODE}\`, or paste a token instead: clawdia models auth paste-token --remote <dest>`,
          );
        return { ...s, notice: notFoundNotice() };
      }
      return { ...base, step: 'running-setup-token', expected: 'token', setup: { phase: 'starting', startedAt: at } };
  }
}

function fail(s: RemoteFlowState, message: string, hint?: string, details: string[] = []): RemoteFlowState {
  return { ...s, step: 'failed', exitCode: 1, failure: { message, ...(hint ? { hint } : {}), details, refused: false, canSaveUnverified: false } };
}

function back(s: RemoteFlowState): RemoteFlowState {
  if (REMOTE_TERMINAL.has(s.step) || s.step === 'sending') return s;
  const prev = s.history.at(-1);
  if (!prev) return { ...s, step: 'cancelled', exitCode: 130 };
  const stopped = s.step === 'running-setup-token' ? setupFailureNotice('stopped', '', { timeoutMs: s.options.setupTokenTimeoutMs }) : null;
  return { ...s, step: prev, history: s.history.slice(0, -1), setup: null, notice: stopped, attempt: s.attempt + 1 };
}

export function reduceRemote(s: RemoteFlowState, e: RemoteEvent, at: number): RemoteFlowState {
  if (REMOTE_TERMINAL.has(s.step)) return s;
  switch (e.type) {
    case 'cancelled':
      return { ...s, step: 'cancelled', exitCode: e.exitCode ?? 130 };
    case 'went-back':
      return back(s);
    case 'method-chosen':
      if (s.step !== 'choose-method') return s;
      return choose(s, e.method, at, true);
    case 'credential-submitted': {
      if (s.step !== 'enter-credential' || !s.expected) return s;
      const parsed = parseSecret(e.raw, s.expected);
      if (!parsed.ok) {
        return { ...s, attempt: s.attempt + 1, notice: refusedPasteNotice(parsed) };
      }
      return {
        ...s,
        step: 'sending',
        history: [...s.history, s.step],
        notice: null,
        credential: { kind: s.expected, secret: parsed.value, fingerprint: parsed.fingerprint, source: 'pasted' },
      };
    }
    case 'setup-progressed': {
      if (s.step !== 'running-setup-token' || !s.setup) return s;
      const setup = { ...s.setup };
      const ev = e.event;
      if (ev.type === 'started' || (ev.type === 'url' && setup.phase === 'starting')) setup.phase = 'waiting';
      if (ev.type === 'url') setup.url = ev.url;
      if (ev.type === 'awaiting-code' && setup.phase !== 'code-sent') setup.phase = 'awaiting-code';
      if (ev.type === 'code-rejected') Object.assign(setup, { phase: 'awaiting-code', codeError: ev.message });
      if (ev.type === 'oauth-error') Object.assign(setup, { phase: 'oauth-error', oauthError: ev.reason });
      if (ev.type === 'token-captured') Object.assign(setup, { phase: 'captured', fingerprint: ev.fingerprint });
      return { ...s, setup };
    }
    case 'code-submitted':
      if (s.step !== 'running-setup-token' || !s.setup) return s;
      return { ...s, setup: { ...s.setup, phase: 'code-sent', codeError: undefined } };
    case 'setup-retried':
      if (s.step !== 'running-setup-token' || s.setup?.phase !== 'oauth-error') return s;
      return { ...s, setup: { ...s.setup, phase: 'waiting', oauthError: undefined } };
    case 'setup-finished': {
      if (s.step !== 'running-setup-token') return s;
      const r = e.result;
      let notice: Notice;
      if (r.ok) {
        const parsed = parseSecret(r.token, 'token');
        if (parsed.ok) {
          return {
            ...s,
            step: 'sending',
            setup: null,
            credential: {
              kind: 'token',
              secret: parsed.value,
              fingerprint: parsed.fingerprint,
              ...(r.expiresInMs ? { expiresInMs: r.expiresInMs } : {}),
              source: 'claude setup-token',
            },
          };
        }
        notice = {
          tone: 'error',
          text: `\`claude setup-token\` printed something that is not a whole setup-token (${parsed.message})`,
          hint: 'Run it again, or paste the token yourself.',
        };
      } else {
        notice = setupFailureNotice(r.failure, r.message, {
          ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
          ...(r.oauthError ? { oauthError: r.oauthError } : {}),
          timeoutMs: s.options.setupTokenTimeoutMs,
        });
      }
      if (s.options.mode === 'setup-token')
        return fail({ ...s, setup: null }, notice.text, notice.hint ?? 'Paste a token instead: clawdia models auth paste-token --remote <dest>');
      const prev = s.history.at(-1) ?? 'choose-method';
      return { ...s, step: prev, history: s.history.slice(0, -1), setup: null, notice, attempt: s.attempt + 1 };
    }
    case 'sent':
      if (s.step !== 'sending') return s;
      return { ...s, step: 'done', exitCode: 0 };
    case 'send-failed':
      if (s.step !== 'sending') return s;
      return { ...s, step: e.failure.refused ? 'refused' : 'send-failed', failure: e.failure, attempt: s.attempt + 1 };
    case 'keep-anyway':
      if (s.step !== 'refused' || !s.failure?.canSaveUnverified) return s;
      return { ...s, step: 'sending', saveUnverified: true, failure: null };
    case 'send-again':
      if (s.step !== 'send-failed' && s.step !== 'refused') return s;
      return { ...s, step: 'sending', failure: null };
    case 'quit':
      if (s.step !== 'refused' && s.step !== 'send-failed') return s;
      return { ...s, step: 'failed', exitCode: 1 };
    case 'other-method': {
      if (s.step !== 'refused' && s.step !== 'send-failed') return s;
      if (s.options.mode === 'setup-token' || !s.history.includes('choose-method'))
        return fail(s, s.failure?.message ?? 'Nothing was stored.', s.failure?.hint, s.failure?.details);
      return {
        ...s,
        step: 'choose-method',
        history: [],
        credential: null,
        notice: s.failure ? { tone: 'error', text: s.failure.message, ...(s.failure.hint ? { hint: s.failure.hint } : {}) } : null,
        failure: null,
        attempt: s.attempt + 1,
      };
    }
  }
}

/** One stored profile of the gateway's agent, in a line (from its `models status --json`). */
export function profileLine(p: ProfileStatus, active: string | null | undefined, now: number): string {
  const kind = p.type === 'api_key' ? 'API key' : p.type === 'token' ? 'setup-token' : p.type === 'oauth' ? 'OAuth' : 'missing';
  const exp = p.expiresAt ? (p.expiresAt > now ? `expires in ${formatDuration(p.expiresAt - now)}` : `expired ${formatDuration(now - p.expiresAt)} ago`) : '';
  return [p.profileId, kind, p.fingerprint ?? '', p.state, exp, p.profileId === active ? '← active' : ''].filter(Boolean).join('  ');
}
