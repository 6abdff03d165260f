// What an answer from the Anthropic API means (SPEC §4 table): verdict, reason, the verdict in
// words and the next step. Pure — the validator adapter only makes the request and hands the
// answer (or the network failure) here, so what the user reads is decided in one place.
import { CONSOLE_API_KEYS, CONSOLE_BILLING } from './copy.js';
import { formatDuration } from './duration.js';
import type { Verdict } from './types.js';

export type LiveVerdict = Exclude<Verdict, 'unverified'>;

export type VerdictReason =
  | 'billing'
  | 'claude_code_only'
  | 'permission'
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'dns'
  | 'connect'
  | 'cancelled'
  | 'insecure_base_url';

export interface Judgement {
  verdict: LiveVerdict;
  /** The verdict in words — never contains a secret. */
  message: string;
  /** The next step. */
  hint: string;
  /** Short detail for `validation[profileId].detail` (sanitized by the caller). */
  detail: string;
  reason?: VerdictReason;
  requestId?: string;
  httpStatus?: number;
  /** From a 429's `retry-after` / `retry-after-ms`, in ms from now. */
  retryAfterMs?: number;
}

/** An HTTP error answer as the API sent it: status, `error.type`, `error.message`, headers. */
export interface HttpAnswer {
  status: number;
  type: string | null;
  message: string;
  requestId?: string;
  retryAfter?: string | null;
  retryAfterMs?: string | null;
}

export interface JudgeContext {
  kind: 'api_key' | 'token';
  /** The base URL as shown to the user (no userinfo). */
  shownBase: string;
  host: string;
  timeoutMs: number;
  now: number;
}

export type NetworkFailure = 'dns' | 'connect' | 'timeout' | 'cancelled';

export const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

const SAVE_UNVERIFIED = 'or save it unverified (--save-unverified) and re-check later with `clawdia models status --probe`.';

const what = (c: JudgeContext) => (c.kind === 'api_key' ? 'API key' : 'token');
const The = (c: JudgeContext) => (c.kind === 'api_key' ? 'The API key' : 'The token');

/** `retry-after` is seconds or an HTTP date; ms from `now`, or undefined when absent/unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** A 400/404 about the *model* (not the credential): try the next Haiku id (SPEC §4). */
export function isAboutModel(a: HttpAnswer): boolean {
  return (
    (a.status === 404 || a.status === 400) &&
    (a.type === 'not_found_error' || a.type === 'invalid_request_error') &&
    /\bmodel\b/i.test(a.message) &&
    !/only authorized for use with Claude Code|credit balance/i.test(a.message)
  );
}

/** A 2xx: the credential works. */
export function judgeValid(c: JudgeContext, detail: string, extra: { models?: number; noHaiku?: boolean; billed?: boolean } = {}): Judgement {
  if (extra.billed) {
    return {
      verdict: 'valid',
      detail,
      message: `${The(c)} works: a billed 1-token request went through, so the account has credit.`,
      hint: 'Nothing more to do.',
    };
  }
  if (extra.noHaiku) {
    return {
      verdict: 'valid',
      detail,
      message: `${The(c)} works (no Haiku model was available to check with, but the credential was accepted).`,
      hint: 'Nothing more to do; choose a model this account can use.',
    };
  }
  const n = extra.models;
  return {
    verdict: 'valid',
    detail,
    // Listing models is free: it cannot see the balance (an account without credit lists them too).
    message: n !== undefined ? `${The(c)} is accepted; its balance was not checked.` : `${The(c)} works.`,
    hint: n ? `Nothing more to do; it can use ${n} model${n === 1 ? '' : 's'}.` : 'Nothing more to do.',
  };
}

/** Any HTTP answer: the SPEC §4 table. `detail` is the sanitized server detail. */
export function judgeAnswer(a: HttpAnswer, detail: string, c: JudgeContext): Judgement {
  const base = { detail, httpStatus: a.status, ...(a.requestId ? { requestId: a.requestId } : {}) };
  const shown = c.shownBase;
  if (a.status >= 200 && a.status < 300) return { ...judgeValid(c, detail), ...base };
  if (a.status === 401) {
    return {
      ...base,
      verdict: 'invalid',
      message: `${The(c)} was refused (401): it is wrong, revoked or expired.`,
      hint:
        c.kind === 'api_key'
          ? `Create a new key in the Anthropic Console (${CONSOLE_API_KEYS}) and paste it.`
          : 'Run `claude setup-token` again and paste the new token (or sign in to Claude Code again).',
    };
  }
  if ((a.status === 400 || a.status === 403) && /only authorized for use with Claude Code/i.test(a.message)) {
    return {
      ...base,
      verdict: 'forbidden',
      reason: 'claude_code_only',
      message: `${The(c)} works only inside Claude Code; the API refuses it for other requests.`,
      hint: `Use an Anthropic API key instead (${CONSOLE_API_KEYS}).`,
    };
  }
  if (a.status === 402 || a.type === 'billing_error' || ((a.status === 400 || a.status === 403) && /credit balance is too low/i.test(a.message))) {
    return {
      ...base,
      verdict: 'no_credit',
      reason: 'billing',
      message: `${The(c)} is accepted, but the account has no credit: the API refuses every request (credit balance too low).`,
      hint: `Add credits under Plans & Billing in the Anthropic Console (${CONSOLE_BILLING}), then check again: clawdia models status --probe --spend`,
    };
  }
  if (a.status === 403) {
    return {
      ...base,
      verdict: 'forbidden',
      reason: 'permission',
      message: `${The(c)} is recognized but not allowed to do this (403).`,
      hint: `Check the ${what(c)}'s organization and workspace permissions in the Anthropic Console, or use another ${what(c)}.`,
    };
  }
  if (a.status === 429) {
    const retryAfterMs = a.retryAfterMs != null && /^\d+$/.test(a.retryAfterMs.trim()) ? Number(a.retryAfterMs.trim()) : parseRetryAfter(a.retryAfter, c.now);
    return {
      ...base,
      verdict: 'rate_limited',
      reason: 'rate_limit',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      message: `${The(c)} works, but it is rate-limited right now (429).`,
      hint:
        retryAfterMs !== undefined
          ? `Nothing to fix; it can be used again in about ${formatDuration(retryAfterMs, { style: 'long' })}.`
          : 'Nothing to fix; wait a minute before using it.',
    };
  }
  if (a.status === 529 || a.type === 'overloaded_error') {
    return {
      ...base,
      verdict: 'unavailable',
      reason: 'overloaded',
      message: `The Anthropic API is overloaded right now (${a.status}); the ${what(c)} could not be checked.`,
      hint: `Try again in a minute, ${SAVE_UNVERIFIED}`,
    };
  }
  if (a.status >= 500) {
    return {
      ...base,
      verdict: 'unavailable',
      reason: 'server',
      message: `The Anthropic API had a server error (${a.status}); the ${what(c)} could not be checked.`,
      hint: `Try again in a minute, ${SAVE_UNVERIFIED}`,
    };
  }
  // Some other 4xx (404 on /v1/models, 405, 413…): not an answer about the credential — most
  // likely ANTHROPIC_BASE_URL points somewhere that is not the Anthropic API.
  return {
    ...base,
    verdict: 'unavailable',
    message: `${shown} answered ${a.status}, which says nothing about the ${what(c)}; it could not be checked.`,
    hint: `Check that ANTHROPIC_BASE_URL (${shown}) points to the Anthropic API; then try again, ${SAVE_UNVERIFIED}`,
  };
}

/** No HTTP answer: DNS, connection, deadline, or the user cancelled. `code` is the network error code. */
export function judgeNetworkFailure(reason: NetworkFailure, detail: string, c: JudgeContext, code?: string): Judgement {
  const shown = c.shownBase;
  switch (reason) {
    case 'cancelled':
      return {
        verdict: 'offline',
        reason,
        detail,
        message: `The check of the ${what(c)} was cancelled.`,
        hint: 'Nothing was verified; run the command again, or use --skip-validation to save without a check.',
      };
    case 'timeout':
      return {
        verdict: 'offline',
        reason,
        detail,
        message: `No answer from ${shown} within ${formatDuration(c.timeoutMs, { style: 'long' })}.`,
        hint: `Check your network connection (and HTTPS_PROXY if you use a proxy) and ANTHROPIC_BASE_URL, then try again with a longer --timeout, ${SAVE_UNVERIFIED}`,
      };
    case 'dns':
      return {
        verdict: 'offline',
        reason,
        detail,
        message: `Could not resolve the API host ${c.host}${code ? ` (${code})` : ''}.`,
        hint: `Check your network connection and DNS, and that ANTHROPIC_BASE_URL is right; then try again, ${SAVE_UNVERIFIED}`,
      };
    case 'connect': {
      const tls = code !== undefined && TLS_CODE.test(code);
      return {
        verdict: 'offline',
        reason,
        detail,
        message: tls
          ? `The TLS connection to ${shown} failed (${code}).`
          : code === undefined || /^E(CONNREFUSED|HOSTUNREACH|NETUNREACH|ADDRNOTAVAIL)$/.test(code)
            ? `Could not connect to ${shown}${code ? ` (${code})` : ''}.`
            : `The connection to ${shown} was lost before an answer (${code}).`,
        hint: tls
          ? `A proxy that inspects TLS needs its CA in NODE_EXTRA_CA_CERTS; check ANTHROPIC_BASE_URL too. Then try again, ${SAVE_UNVERIFIED}`
          : `Check your network connection (and HTTPS_PROXY if you use a proxy) and ANTHROPIC_BASE_URL; then try again, ${SAVE_UNVERIFIED}`,
      };
    }
  }
}

/** The redirect statuses: each is an answer of its own, never followed with the credential attached. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * The base URL answered a redirect (issue 9 §3). Following it would hand the credential to `target`
 * (another host, or the same one over plain http): the request stops here, and the answer says
 * nothing about the credential. Never stored, even with --save-unverified.
 */
export function judgeRedirect(status: number, target: string, c: JudgeContext): Judgement {
  return {
    verdict: 'redirected',
    httpStatus: status,
    detail: `HTTP ${status} redirect to ${target}; not followed`,
    message: `The API base answered a redirect to ${target}; nothing was sent there (HTTP ${status} from ${c.shownBase}).`,
    hint: `Set ANTHROPIC_BASE_URL to the address that answers itself (clawdia never follows a redirect with a credential), or unset it to use the Anthropic API; the ${what(c)} was not checked.`,
  };
}

/** The request never left (bad base URL, a value no header can carry, an unexpected error). */
export function judgeNotSent(
  why: 'bad_base_url' | 'bad_characters' | 'insecure_base_url' | 'failed',
  detail: string,
  c: JudgeContext,
  defaultBase: string,
): Judgement {
  switch (why) {
    case 'insecure_base_url':
      return {
        verdict: 'offline',
        reason: 'insecure_base_url',
        detail,
        message: `ANTHROPIC_BASE_URL (${c.shownBase}) is plain http to a host that is not this machine; the ${what(c)} was not sent.`,
        hint: `Use the gateway's https:// address, or add --allow-insecure-base-url if this network is trusted.`,
      };
    case 'bad_base_url':
      return {
        verdict: 'offline',
        reason: 'connect',
        detail,
        message: `ANTHROPIC_BASE_URL is not an http(s) URL: ${c.shownBase}`,
        hint: `Unset ANTHROPIC_BASE_URL (the default is ${defaultBase}) or set it to your gateway's https:// URL.`,
      };
    case 'bad_characters':
      return {
        verdict: 'invalid',
        detail,
        message: `${The(c)} contains characters no Anthropic credential has, so it was not sent.`,
        hint: `Copy the ${what(c)} again, exactly as shown, and paste it.`,
      };
    case 'failed':
      return {
        verdict: 'unavailable',
        detail,
        message: `The ${what(c)} could not be checked: the request failed before reaching ${c.shownBase}.`,
        hint: `Run with CLAWDIA_DEBUG=1 for details, or ${SAVE_UNVERIFIED}`,
      };
  }
}
