// Validator port (SPEC §4): one live request through the official SDK, one deadline, verdicts with
// their own message and next step. The SDK (≈ 80 ms to import) loads only when a check runs.
import type { Env, ValidationOutcome, ValidationRequest, Validator } from '../ports.js';
import { DEFAULT_BASE_URL } from '../core/copy.js';
import { redact } from '../core/redact.js';
import { checkBaseUrl } from '../core/status.js';
import {
  isAboutModel,
  judgeAnswer,
  judgeNetworkFailure,
  judgeNotSent,
  judgeRedirect,
  judgeValid,
  REDIRECT_STATUSES,
  TLS_CODE,
  type HttpAnswer,
  type JudgeContext,
  type Judgement,
  type NetworkFailure,
} from '../core/verdicts.js';

export { parseRetryAfter } from '../core/verdicts.js';

type Sdk = typeof import('@anthropic-ai/sdk');
type Client = InstanceType<Sdk['default']>;

export const OAUTH_BETA = 'oauth-2025-04-20';
/** Tried in order; a 400/404 about the model moves on to the next (SPEC §4). */
export const HAIKU_MODELS = ['claude-haiku-4-5', 'claude-3-5-haiku-latest', 'claude-3-haiku-20240307'] as const;

const DETAIL_MAX = 200;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
/** A definite answer: asking again cannot change it, so no retry. */
const FINAL_NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

export interface ValidatorOptions {
  /** Wall clock for turning an HTTP-date `retry-after` into ms from now. */
  now?: () => number;
  /** --allow-insecure-base-url: plain http to a host that is not this machine may be used. */
  allowInsecureBaseUrl?: boolean;
}

/** Where a redirect pointed: host[:port], or a word when the answer named no readable place. */
function redirectTarget(location: string | null, from: string): string {
  if (!location) return 'an address it did not name';
  try {
    const u = new URL(location, from);
    return redact(u.host || u.protocol);
  } catch {
    return 'an unreadable address';
  }
}

/**
 * The SDK's fetch: Node's, with `redirect: 'manual'`. A 301/302/303/307/308 ends the request here —
 * fetch would otherwise send the same headers (the credential) to wherever Location points, another
 * host or the same one over plain http. `onRedirect` records it; the thrown error only stops the SDK.
 */
function noRedirectFetch(onRedirect: (status: number, target: string) => void): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, { ...init, redirect: 'manual' });
    if (!REDIRECT_STATUSES.has(res.status)) return res;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    onRedirect(res.status, redirectTarget(res.headers.get('location'), url));
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`redirect (${res.status}) not followed`);
  };
}

/** Anything secret-shaped becomes its fingerprint; the request's own secret too, whatever its shape. */
export function sanitize(text: string, secret?: string): string {
  const s = redact(text, secret ? [secret] : []);
  return s.length > DETAIL_MAX ? s.slice(0, DETAIL_MAX - 1) + '…' : s;
}

/** The base URL as shown to a user: no userinfo (a proxy password must not be printed either). */
function displayBase(base: string): string {
  try {
    const u = new URL(base);
    if (!u.username && !u.password) return base;
    u.username = '***';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return base;
  }
}

function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const c = (inner as { code?: unknown } | null)?.code;
        if (typeof c === 'string' && c) return c;
      }
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

let proxyInstalled = false;

/**
 * Node's fetch ignores HTTPS_PROXY / NO_PROXY unless NODE_USE_ENV_PROXY is set at start (SPEC §9).
 * Node ≥ 24.14 can switch it on at run time; older Nodes go direct (as before).
 */
async function honourProxyEnv(env: Env): Promise<void> {
  if (proxyInstalled) return;
  const pick = (name: string) => env.get(name) ?? env.get(name.toLowerCase());
  // Loopback always goes direct: a proxy cannot reach this machine's localhost.
  const noProxy = [pick('NO_PROXY'), 'localhost', '127.0.0.1', '::1', '[::1]'].filter(Boolean).join(',');
  const proxyEnv = { HTTPS_PROXY: pick('HTTPS_PROXY'), HTTP_PROXY: pick('HTTP_PROXY'), NO_PROXY: noProxy };
  if (!proxyEnv.HTTPS_PROXY && !proxyEnv.HTTP_PROXY) return;
  const http = await import('node:http');
  const install = (http as { setGlobalProxyFromEnv?: (env: Record<string, string | undefined>) => unknown }).setGlobalProxyFromEnv;
  if (typeof install !== 'function') return;
  install(proxyEnv);
  proxyInstalled = true;
}

export function createValidator(env: Env, opts: ValidatorOptions = {}): Validator {
  const now = opts.now ?? Date.now;
  return {
    async validate(req: ValidationRequest): Promise<ValidationOutcome> {
      const started = performance.now();
      const baseUrl = (env.get('ANTHROPIC_BASE_URL') || DEFAULT_BASE_URL).replace(/\/+$/, '');
      const shown = displayBase(baseUrl);
      const c: JudgeContext = { kind: req.kind, shownBase: shown, host: hostOf(baseUrl), timeoutMs: req.timeoutMs, now: now() };
      const done = (j: Judgement & { models?: string[]; modelNames?: Record<string, string> }): ValidationOutcome => ({
        ...j,
        ms: Math.round(performance.now() - started),
        baseUrl: shown,
      });
      const detailOf = (a: HttpAnswer) => sanitize(a.type ? `${a.type}: ${a.message}` : `HTTP ${a.status}${a.message ? ': ' + a.message : ''}`, req.secret);
      const offline = (reason: NetworkFailure, detail: string, code?: string) => done(judgeNetworkFailure(reason, detail, c, code));
      const fromAnswer = (a: HttpAnswer) => done(judgeAnswer(a, detailOf(a), c));

      let protocol = '';
      try {
        protocol = new URL(baseUrl).protocol;
      } catch {
        // handled below
      }
      if (protocol !== 'https:' && protocol !== 'http:') {
        return done(judgeNotSent('bad_base_url', 'invalid ANTHROPIC_BASE_URL', c, DEFAULT_BASE_URL));
      }
      // The commands refuse first, with a usage-style error; this is the last gate before a send.
      if (!checkBaseUrl(baseUrl, !!opts.allowInsecureBaseUrl).ok) {
        return done(judgeNotSent('insecure_base_url', 'not sent: plain http to another host', c, DEFAULT_BASE_URL));
      }
      // Header values must be visible ASCII; anything else cannot be sent (and fetch's error would
      // quote it). The caller's shape check normally refuses such a value first.
      if (!/^[\x21-\x7e]+$/.test(req.secret)) {
        return done(judgeNotSent('bad_characters', 'not sent: characters a credential never has', c, DEFAULT_BASE_URL));
      }
      if (req.signal?.aborted) return offline('cancelled', 'cancelled');

      const deadline = AbortSignal.timeout(Math.max(1, req.timeoutMs));
      const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
      const deadlineAt = performance.now() + req.timeoutMs;
      // The SDK's own timer is only a backstop: our signal is the one deadline, so its abort is
      // what ends a slow check (and tells a timeout from a cancel).
      const requestOptions = () => ({ signal, timeout: Math.max(1, Math.ceil(deadlineAt - performance.now())) + 1000, maxRetries: 0 });

      let sdk: Sdk;
      try {
        await honourProxyEnv(env);
        sdk = await import('@anthropic-ai/sdk');
      } catch (err) {
        if (req.signal?.aborted) return offline('cancelled', 'cancelled');
        throw new Error(`could not load the Anthropic SDK: ${sanitize(String((err as Error)?.message ?? err), req.secret)}`);
      }

      const answerOf = (err: InstanceType<Sdk['APIError']>): HttpAnswer => {
        const body = err.error as { error?: { type?: unknown; message?: unknown } } | undefined;
        const message = typeof body?.error?.message === 'string' ? body.error.message : typeof err.apiMessage === 'string' ? err.apiMessage : '';
        const type = typeof body?.error?.type === 'string' ? body.error.type : (err.type ?? null);
        const requestId = err.requestID ?? err.headers?.get('request-id') ?? undefined;
        return {
          status: err.status ?? 0,
          type,
          message,
          ...(requestId ? { requestId } : {}),
          retryAfter: err.headers?.get('retry-after'),
          retryAfterMs: err.headers?.get('retry-after-ms'),
        };
      };

      let redirected: { status: number; target: string } | undefined;
      const fetchOnce = noRedirectFetch((status, target) => {
        redirected = { status, target };
      });

      /** Maps anything but an HTTP answer to `offline`; rethrows nothing that could hold the secret. */
      const failure = (err: unknown): ValidationOutcome => {
        if (redirected) return done(judgeRedirect(redirected.status, redirected.target, c));
        if (req.signal?.aborted) return offline('cancelled', 'cancelled');
        if (deadline.aborted || err instanceof sdk.APIConnectionTimeoutError) return offline('timeout', `timed out after ${req.timeoutMs} ms`);
        if (err instanceof sdk.APIUserAbortError) return offline('cancelled', 'cancelled');
        if (err instanceof sdk.APIError && typeof err.status === 'number') return fromAnswer(answerOf(err));
        if (err instanceof sdk.APIConnectionError) {
          const code = networkCode(err);
          if (code !== undefined && /TIMEDOUT|TIMEOUT/.test(code)) return offline('timeout', code, code);
          return offline(code !== undefined && DNS_CODES.has(code) ? 'dns' : 'connect', code ?? 'connection error', code);
        }
        // Not a network or HTTP failure (a bad header value, a bug): name it, never echo it raw.
        const name = err instanceof Error ? err.name : typeof err;
        const msg = err instanceof Error ? err.message : '';
        return done(judgeNotSent('failed', sanitize(`${name}: ${msg}`, req.secret), c, DEFAULT_BASE_URL));
      };

      let retried = false;
      /** At most one retry in the whole check, and only after a connection error (SPEC §4). */
      const once = async <T>(call: () => Promise<T>): Promise<T> => {
        for (;;) {
          try {
            return await call();
          } catch (err) {
            const retryable =
              !redirected &&
              !retried &&
              !signal.aborted &&
              err instanceof sdk.APIConnectionError &&
              !(err instanceof sdk.APIConnectionTimeoutError) &&
              !(err instanceof sdk.APIUserAbortError);
            const code = retryable ? networkCode(err) : undefined;
            if (!retryable || (code !== undefined && (FINAL_NETWORK_CODES.has(code) || TLS_CODE.test(code) || /TIMEDOUT|TIMEOUT/.test(code)))) throw err;
            retried = true;
          }
        }
      };

      let client: Client;
      try {
        client =
          req.kind === 'api_key'
            ? new sdk.default({
                apiKey: req.secret,
                authToken: null,
                baseURL: baseUrl,
                maxRetries: 0,
                timeout: Math.ceil(Math.max(1, req.timeoutMs)) + 1000,
                logLevel: 'off',
                fetch: fetchOnce,
                // The SDK sends a key as `Authorization: Bearer`; `x-api-key` is the API's documented
                // header for keys and what gateways behind ANTHROPIC_BASE_URL check. Pinned here, after the
                // SDK's auth header and over anything ANTHROPIC_CUSTOM_HEADERS adds.
                defaultHeaders: { 'x-api-key': req.secret, authorization: null },
              })
            : new sdk.default({
                apiKey: null,
                authToken: req.secret,
                baseURL: baseUrl,
                maxRetries: 0,
                timeout: Math.ceil(Math.max(1, req.timeoutMs)) + 1000,
                logLevel: 'off',
                fetch: fetchOnce,
                // Default headers are applied after the SDK's auth header, and ANTHROPIC_CUSTOM_HEADERS
                // feeds them: pin both credential headers so the environment cannot swap them.
                defaultHeaders: { 'anthropic-beta': OAUTH_BETA, authorization: `Bearer ${req.secret}`, 'x-api-key': null },
              });
      } catch (err) {
        return failure(err);
      }

      try {
        if (req.kind === 'api_key' && !req.billed) {
          const { data: page, request_id } = await once(() => client.models.list({ limit: 1000 }, requestOptions()).withResponse());
          const models = page.data.map((m) => m.id);
          const modelNames = Object.fromEntries(
            page.data.filter((m) => typeof m.display_name === 'string' && m.display_name).map((m) => [m.id, m.display_name]),
          );
          return done({
            modelNames,
            ...judgeValid(c, `${models.length} model${models.length === 1 ? '' : 's'} listed`, { models: models.length }),
            httpStatus: 200,
            models,
            ...(request_id ? { requestId: request_id } : {}),
          });
        }

        let last: HttpAnswer | undefined;
        for (const model of HAIKU_MODELS) {
          try {
            // client.post, not messages.create: create() console.warns for deprecated model ids, and
            // nothing may write to the user's terminal behind the UI's back.
            const { response } = await once(() =>
              client.post('/v1/messages', { body: { model, max_tokens: 1, messages: [{ role: 'user', content: 'Hi' }] }, ...requestOptions() }).withResponse(),
            );
            const requestId = response.headers.get('request-id');
            return done({
              ...judgeValid(c, `checked with ${model}${req.billed ? ' (billed)' : ''}`, { billed: !!req.billed }),
              httpStatus: response.status,
              ...(requestId ? { requestId } : {}),
            });
          } catch (err) {
            if (redirected || !(err instanceof sdk.APIError) || typeof err.status !== 'number' || signal.aborted) throw err;
            const a = answerOf(err);
            if (!isAboutModel(a)) return fromAnswer(a);
            last = a;
          }
        }
        return done({
          ...judgeValid(c, sanitize(`no Haiku model was available (tried ${HAIKU_MODELS.join(', ')}); last: ${last ? detailOf(last) : ''}`, req.secret), {
            noHaiku: true,
          }),
          ...(last?.requestId ? { requestId: last.requestId } : {}),
        });
      } catch (err) {
        return failure(err);
      }
    },
  };
}

function hostOf(base: string): string {
  try {
    return new URL(base).hostname;
  } catch {
    return base;
  }
}
