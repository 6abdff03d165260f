// What each list step offers, in words, as data: the Ink screens and the --plain prompts render
// the same choices, and a choice's `event` is what picking it dispatches. Pure.
// Over 400 lines on purpose: one short list per step (a dozen of them), side by side, sharing list()
// and the words; the Ink screens and --plain import them from this one module.
import { modelRef } from '../core/save.js';
import { fingerprint, normalizeSecret } from '../core/credentials.js';
import { CONSOLE_API_KEYS, INSTALL_CLAUDE_CODE, SUBSCRIPTION_TERMS } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import type { ProfileStatus } from '../core/status.js';
import { credentialSecret } from '../core/types.js';
import { agentStatus, copySource, currentProblem, existingProfileIds, loginUsable, problemProfiles, replaceBlocked } from './selectors.js';
import type { EventBody, Method, ViewState } from './state.js';

export interface Choice {
  /** Stable id (tests, --plain answers, `suggest`). */
  value: string;
  /** A letter or number shown before the label. */
  key?: string;
  label: string;
  /** Dim lines under the label. */
  hints?: string[];
  /** Shown but not selectable (with the reason in `hints`). */
  disabled?: boolean;
  event: EventBody | null;
}

export interface ChoiceList {
  choices: Choice[];
  /** Index pre-selected. */
  initial: number;
}

function list(choices: Choice[], preferred: Array<string | null | undefined>): ChoiceList {
  for (const p of preferred) {
    if (!p) continue;
    const i = choices.findIndex((c) => c.value === p && !c.disabled);
    if (i >= 0) return { choices, initial: i };
  }
  const first = choices.findIndex((c) => !c.disabled);
  return { choices, initial: Math.max(0, first) };
}

export function kindWords(type: ProfileStatus['type'] | 'api_key' | 'token' | 'oauth'): string {
  return type === 'api_key' ? 'API key' : type === 'token' ? 'setup-token' : type === 'oauth' ? "Claude Code's login (OAuth)" : 'missing';
}

/** "expires in 5h", "expired 2d ago", or "". */
export function expiryWords(expiresAt: number | null | undefined, now: number): string {
  if (!expiresAt) return '';
  return expiresAt > now ? `expires in ${formatDuration(expiresAt - now)}` : `expired ${formatDuration(now - expiresAt)} ago`;
}

// ---------------------------------------------------------------- fix-it

/** "has expired (2d ago)", "is cooling down (4m left)", … — what is wrong with a profile, in words. */
export function problemWords(p: ProfileStatus, s: ViewState): string {
  const now = s.facts.lookedAt;
  const stats = s.facts.look?.store.usageStats?.[p.profileId];
  switch (p.state) {
    case 'expired':
      return `has expired${p.expiresAt ? ` (${formatDuration(now - p.expiresAt)} ago)` : ''}`;
    case 'cooldown':
      return p.cooldownUntil
        ? `is cooling down (rate limited, ${formatDuration(p.cooldownUntil - now)} left)`
        : 'is cooling down (rate limited at its last check)';
    case 'disabled':
      return `is disabled (${stats?.disabledReason ?? 'no reason recorded'}${stats?.disabledUntil ? `, ${formatDuration(stats.disabledUntil - now)} left` : ''})`;
    case 'invalid':
      return `does not work: ${p.problem ?? 'the API refused it'}`;
    default:
      return `is ${p.state}`;
  }
}

export function fixChoices(s: ViewState): ChoiceList {
  const p = currentProblem(s);
  const look = s.facts.look;
  if (!p || !look) return list([], []);
  const remaining = problemProfiles(s).length - s.flow.fixIndex - 1;
  const skip: Choice = {
    value: 'skip',
    label: remaining > 0 ? `Skip — look at the next problem (${remaining} more)` : 'Skip — leave it as it is and continue',
    event: { type: 'fix-chosen', action: 'skip' },
  };
  const choices: Choice[] = [];
  if (p.state === 'cooldown') {
    choices.push({
      value: 'clear',
      label: 'Clear the cooldown now',
      hints: [
        p.cooldownUntil ? `Otherwise it ends by itself in ${formatDuration(p.cooldownUntil - s.facts.lookedAt)}.` : 'It was rate limited at its last check.',
      ],
      event: { type: 'fix-chosen', action: 'clear' },
    });
  } else if (p.state === 'disabled') {
    const stats = look.store.usageStats?.[p.profileId];
    choices.push({
      value: 'clear',
      label: 'Clear the mark now (only if you fixed the cause)',
      hints: [
        `Disabled because: ${stats?.disabledReason ?? 'no reason recorded'}${stats?.disabledUntil ? `, until ${new Date(stats.disabledUntil).toISOString().replace('T', ' ').slice(0, 16)} UTC` : ''}.`,
      ],
      event: { type: 'fix-chosen', action: 'clear' },
    });
  } else if (p.type === 'api_key') {
    choices.push({
      value: 'paste-api-key',
      label: 'Paste a new API key',
      hints: [`Create one at ${CONSOLE_API_KEYS}.`],
      event: { type: 'fix-chosen', action: 'paste-api-key' },
    });
  } else {
    choices.push(
      look.claudePath
        ? {
            value: 'setup-token',
            label: 'Run `claude setup-token` again',
            hints: ['Sign in with your browser; the new token lasts a year.'],
            event: { type: 'fix-chosen', action: 'setup-token' },
          }
        : {
            value: 'setup-token',
            label: 'Run `claude setup-token` again',
            hints: [`Claude Code CLI not found on this host (${INSTALL_CLAUDE_CODE}).`],
            disabled: true,
            event: null,
          },
      {
        value: 'paste-token',
        label: 'Paste a new setup-token',
        hints: ['Made with `claude setup-token` on any machine.'],
        event: { type: 'fix-chosen', action: 'paste-token' },
      },
    );
    const login = look.claudeLogin;
    if (login) {
      const fp = fingerprint(login.accessToken);
      choices.push(
        loginUsable(s)
          ? {
              value: 'resync',
              label: "Resync from Claude Code's login on this host",
              hints: [`${fp}, ${expiryWords(login.expiresAt, s.facts.lookedAt) || 'no expiry recorded'} — it lives hours, not a year.`],
              event: { type: 'fix-chosen', action: 'resync' },
            }
          : {
              value: 'resync',
              label: "Resync from Claude Code's login on this host",
              hints: ['Its login has expired too: run `claude` first (it refreshes its own login).'],
              disabled: true,
              event: null,
            },
      );
    }
  }
  choices.push(skip);
  return list(choices, [s.flow.suggest]);
}

// ---------------------------------------------------------------- agent

export function agentChoices(s: ViewState): ChoiceList {
  const look = s.facts.look;
  const agents = look?.agents ?? [];
  const choices: Choice[] = agents.map((a) => ({
    value: `agent:${a.id}`,
    label: `${a.id}${a.isDefault ? ' (default)' : ''}`,
    hints: [a.profileIds.length ? `${a.profileIds.length} profile${a.profileIds.length === 1 ? '' : 's'}: ${a.profileIds.join(', ')}` : 'no credentials yet'],
    event: { type: 'agent-chosen', agentId: a.id },
  }));
  choices.push({
    value: 'new',
    label: 'Create a new agent…',
    hints: ["Its own credentials; until it has some, the gateway lends it main's."],
    event: { type: 'new-agent-requested' },
  });
  return list(choices, [s.flow.suggest, s.flow.agentId ? `agent:${s.flow.agentId}` : null, look ? `agent:${look.defaultAgent}` : null]);
}

/** " (refused at start-up: 401)" for a profile look-first's check refused, else "". */
function brokenAtStartup(s: ViewState, agentId: string, profileId: string): string {
  const v = s.facts.probes[agentId]?.[profileId]?.verdict;
  if (v === 'invalid') return ' (refused at start-up: 401)';
  if (v === 'forbidden' || v === 'no_credit') return ` (refused at start-up: ${v})`;
  return '';
}

/** The server the checks ask: $ANTHROPIC_BASE_URL's host, or api.anthropic.com. */
export function apiHost(s: ViewState): string {
  const base = s.facts.look?.env.ANTHROPIC_BASE_URL;
  if (!base) return 'api.anthropic.com';
  try {
    return new URL(base).host || base;
  } catch {
    return base;
  }
}

export function copyChoices(s: ViewState): ChoiceList {
  const src = copySource(s);
  const choices: Choice[] = [
    { value: 'no', label: `No — ${s.flow.agentId} starts empty`, event: { type: 'copy-answered', copy: false } },
    {
      value: 'yes',
      label: `Yes — copy ${src?.id ?? 'main'}'s ${src?.profileIds.length ?? 0} profile${src?.profileIds.length === 1 ? '' : 's'}`,
      hints: src ? [src.profileIds.map((id) => `${id}${brokenAtStartup(s, src.id, id)}`).join(', ')] : [],
      event: { type: 'copy-answered', copy: true },
    },
  ];
  return list(choices, [s.flow.copyFrom ? 'yes' : 'no']);
}

// ---------------------------------------------------------------- method

export function methodChoices(s: ViewState): ChoiceList {
  const look = s.facts.look;
  const now = s.facts.lookedAt;
  const choices: Choice[] = [];
  const pick = (method: Method): EventBody => ({ type: 'method-chosen', method });
  choices.push({
    value: 'api-key',
    key: 'A',
    label: 'Anthropic API key — recommended',
    hints: [`Usage-based billing. Create one at ${CONSOLE_API_KEYS}.`],
    event: pick('api-key'),
  });
  if (look?.claudePath) {
    choices.push({
      value: 'setup-token',
      key: 'B',
      label: 'Claude subscription: run `claude setup-token` here',
      hints: ['Browser sign-in; the token lasts a year.', SUBSCRIPTION_TERMS],
      event: pick('setup-token'),
    });
  } else {
    choices.push({
      value: 'setup-token',
      key: 'B',
      label: 'Claude subscription: `claude setup-token` — Claude Code CLI not found',
      hints: [`Install it (${INSTALL_CLAUDE_CODE}) and run the wizard again, or paste a setup-token made elsewhere (next choice).`],
      disabled: true,
      event: null,
    });
  }
  choices.push({
    value: 'paste-token',
    key: 'C',
    label: 'Paste a setup-token made on another machine',
    hints: ['Made with `claude setup-token` where a browser is (sk-ant-oat…).', SUBSCRIPTION_TERMS],
    event: pick('paste-token'),
  });
  const login = look?.claudeLogin;
  if (login) {
    const fp = fingerprint(login.accessToken);
    const exp = expiryWords(login.expiresAt, now);
    const email = s.facts.claudeStatus?.email ? `${s.facts.claudeStatus.email}, ` : '';
    choices.push(
      loginUsable(s)
        ? {
            value: 'claude-cli',
            key: 'D',
            label: `Reuse Claude Code's login on this host (${email}${exp || 'no expiry recorded'})`,
            hints: [`${fp} · it lives hours; only Claude Code refreshes it.`, SUBSCRIPTION_TERMS],
            event: pick('claude-cli'),
          }
        : {
            value: 'claude-cli',
            key: 'D',
            label: `Reuse Claude Code's login on this host — ${exp || 'expired'}`,
            hints: ['Run `claude` (it refreshes its own login), then run the wizard again.'],
            disabled: true,
            event: null,
          },
    );
  }
  const apiKey = look?.env.ANTHROPIC_API_KEY;
  if (apiKey?.trim()) {
    choices.push({
      value: 'env-api-key',
      key: 'E',
      label: `Use ANTHROPIC_API_KEY from this shell (${fingerprint(normalizeSecret(apiKey).value)})`,
      hints: ['An API key: usage-based billing.'],
      event: pick('env-api-key'),
    });
  }
  const oauth = look?.env.CLAUDE_CODE_OAUTH_TOKEN;
  if (oauth?.trim()) {
    choices.push({
      value: 'env-oauth-token',
      key: apiKey?.trim() ? 'F' : 'E',
      label: `Use CLAUDE_CODE_OAUTH_TOKEN from this shell (${fingerprint(normalizeSecret(oauth).value)})`,
      hints: ['A setup-token (Claude subscription).', SUBSCRIPTION_TERMS],
      event: pick('env-oauth-token'),
    });
  }
  return list(choices, [s.flow.suggest, s.flow.method, s.options.authChoice]);
}

/** Detected but never offered as input (SPEC §9): ANTHROPIC_AUTH_TOKEN. */
export function detectedNotes(s: ViewState): string[] {
  const look = s.facts.look;
  if (!look) return [];
  const notes: string[] = [];
  const t = look.env.ANTHROPIC_AUTH_TOKEN;
  if (t?.trim())
    notes.push(
      `ANTHROPIC_AUTH_TOKEN is set (${fingerprint(normalizeSecret(t).value)}): detected, not used as input; the gateway sends it beside an API key (Authorization: Bearer), never with a token.`,
    );
  return notes;
}

// ---------------------------------------------------------------- verdict

export function verdictChoices(s: ViewState): ChoiceList {
  const o = s.flow.validation?.outcome;
  const pasteLabel = s.flow.expected === 'api_key' ? 'Paste a different API key' : 'Paste a setup-token';
  const choices: Choice[] = [];
  if (o && (o.verdict === 'offline' || o.verdict === 'unavailable')) {
    choices.push({ value: 'retry', label: 'Try the check again', event: { type: 'verdict-answered', action: 'retry' } });
  }
  choices.push({ value: 'paste-again', label: pasteLabel, event: { type: 'verdict-answered', action: 'paste-again' } });
  if (o && (o.verdict === 'forbidden' || o.verdict === 'no_credit' || o.verdict === 'offline' || o.verdict === 'unavailable')) {
    choices.push({
      value: 'save-unverified',
      label: `Save it anyway, marked ${o.verdict}`,
      hints: ['Only if you know it works (e.g. this host cannot reach the API right now).'],
      event: { type: 'verdict-answered', action: 'save-unverified' },
    });
  }
  choices.push({
    value: 'other-method',
    label: s.options.mode === 'setup-token' ? 'Stop here (nothing is stored)' : s.flow.fix ? 'Back to the fix options' : 'Choose another method',
    event: { type: 'verdict-answered', action: 'other-method' },
  });
  return list(choices, []);
}

// ---------------------------------------------------------------- replace

export function replaceChoices(s: ViewState): ChoiceList {
  const look = s.facts.look;
  const id = s.flow.profileId ?? '';
  const existing = look?.store.profiles[id];
  const copied = !existing && existingProfileIds(s).includes(id);
  const fp = existing ? fingerprint(credentialSecret(existing)) : copied ? 'copied from ' + s.flow.copyFrom : '';
  const blocked = replaceBlocked(s);
  const hints: string[] = [];
  if (existing && s.flow.credential?.kind === 'oauth' && existing.type === 'token') {
    const exp = expiryWords(typeof existing.expires === 'number' ? existing.expires : null, s.facts.lookedAt);
    hints.push(`Careful: Claude Code's login lives hours; the setup-token it replaces lasts a year${exp ? ` (${exp})` : ''}.`);
  }
  if (existing) hints.push('Keeps its place in the order; clears its cooldown and last error.');
  if (blocked) hints.splice(0, hints.length, blocked);
  const choices: Choice[] = [
    { value: 'replace', label: `Replace ${id} (${fp})`, hints, disabled: !!blocked, event: blocked ? null : { type: 'replace-answered', replace: true } },
    { value: 'rename', label: 'Keep it, and save this one under a new name (anthropic:<name>)', event: { type: 'replace-answered', replace: false } },
  ];
  return list(choices, hints.some((h) => h.startsWith('Careful')) ? ['rename'] : ['replace']);
}

// ---------------------------------------------------------------- billed check

export const BILLING_PRICE_WORDS = 'costs a fraction of a cent';

export function billingTitle(): string {
  return 'Check the balance too? (one billed request)';
}

export function billingIntro(): string[] {
  return [
    "The key is accepted. That check lists models, which is free, so it cannot see the account's balance: a key on an account without credit passes it.",
    `One 1-token request to Claude Haiku shows whether requests will go through; it ${BILLING_PRICE_WORDS}.`,
  ];
}

export function billingChoices(): ChoiceList {
  const choices: Choice[] = [
    { value: 'skip', label: 'No — go on (the balance stays unchecked)', event: { type: 'billing-answered', check: false } },
    { value: 'check', label: `Yes — send one 1-token request (${BILLING_PRICE_WORDS})`, event: { type: 'billing-answered', check: true } },
  ];
  return list(choices, ['skip']);
}

// ---------------------------------------------------------------- use the new one first

export function activeFirstTitle(s: ViewState): string {
  return `Use the new ${kindWords(s.flow.credential?.kind ?? 'api_key')} first? (Y/n)`;
}

export function activeFirstIntro(s: ViewState): string[] {
  const w = s.flow.wouldUse;
  const agent = s.flow.agentId ?? 'main';
  if (!w) return [];
  return [`Agent ${agent} would go on using ${w.activeProfile ?? 'none of its profiles'}: the order is ${w.order.join(', ')}.`];
}

export function activeFirstChoices(s: ViewState): ChoiceList {
  const id = s.flow.profileId ?? '';
  const active = s.flow.wouldUse?.activeProfile;
  const choices: Choice[] = [
    { value: 'yes', key: 'y', label: `Yes — put ${id} first`, event: { type: 'put-first-answered', first: true } },
    {
      value: 'no',
      key: 'n',
      label: `No — keep ${active ?? 'the current order'} first (${id} is used when it fails)`,
      event: { type: 'put-first-answered', first: false },
    },
  ];
  return list(choices, ['yes']);
}

// ---------------------------------------------------------------- model and cache

export function defaultModel(s: ViewState): string | null {
  const models = s.flow.validation?.outcome?.models ?? [];
  const current = s.facts.look?.config.agents?.defaults?.model?.primary?.replace(/^anthropic\//, '');
  if (s.options.model) return s.options.model;
  if (current && models.includes(current)) return current;
  return models[0] ?? null;
}

export function modelChoices(s: ViewState): ChoiceList {
  const models = s.flow.validation?.outcome?.models ?? [];
  const cur = s.facts.look?.config.agents?.defaults?.model?.primary?.replace(/^anthropic\//, '');
  const def = defaultModel(s);
  const names = s.flow.validation?.outcome?.modelNames ?? {};
  const choices: Choice[] = models.map((m) => ({
    value: m,
    label: `${m}${names[m] ? ` · ${names[m]}` : ''}${m === cur ? '  (current)' : m === def ? '  (suggested)' : ''}`,
    event: { type: 'model-chosen', model: m },
  }));
  return list(choices, [s.flow.model, def]);
}

export function ttlChoices(s: ViewState): ChoiceList {
  const model = s.flow.model ?? s.facts.look?.config.agents?.defaults?.model?.primary ?? '';
  const ref = modelRef(model);
  const current = s.facts.look?.config.agents?.defaults?.models?.[ref]?.params?.cacheControlTtl;
  const choices: Choice[] = [
    {
      value: '5m',
      label: `5 minutes — Anthropic's default${current === '1h' ? ' (removes the 1h setting)' : ' (nothing written)'}`,
      event: { type: 'cache-ttl-chosen', ttl: '5m' },
    },
    {
      value: '1h',
      label: '1 hour — fewer cache misses on slow conversations (writes cacheControlTtl: "1h")',
      hints: ['1-hour cache writes cost more than 5-minute ones.'],
      event: { type: 'cache-ttl-chosen', ttl: '1h' },
    },
  ];
  return list(choices, [s.flow.cacheTtl, current === '1h' ? '1h' : '5m']);
}

/** The stored profiles of the agent with their states, one aligned line each (look-first, method screens). */
export function profileLines(s: ViewState): string[] {
  const st = agentStatus(s);
  if (!st) return [];
  const now = s.facts.lookedAt;
  const rows = st.auth.profiles.map((p) => {
    let state: string = p.state;
    if (p.state === 'expired') state = `expired ${expiryWords(p.expiresAt, now).replace(/^expired /, '')}`;
    else if (p.state === 'cooldown' && p.cooldownUntil) state = `cooldown ${formatDuration(p.cooldownUntil - now)}`;
    else if (p.state === 'expiring') state = expiryWords(p.expiresAt, now);
    const fp = (p.fingerprint ?? '').replace(/ \(\d+ chars\)$/, '');
    const probe = s.facts.probes[st.agent]?.[p.profileId];
    if (probe && (probe.verdict === 'offline' || probe.verdict === 'unavailable')) {
      state += /timed out/.test(probe.detail ?? '') ? ' (the start-up check timed out)' : ' (the start-up check got no answer)';
    }
    const active = st.auth.activeProfile.anthropic === p.profileId ? '  ← active' : '';
    return [p.profileId, kindWords(p.type).replace(' (OAuth)', ''), fp, state + active];
  });
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join('  '));
}
