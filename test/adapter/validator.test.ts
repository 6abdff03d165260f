// The real validator (official SDK, real HTTP) against the loopback fake API.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createValidator, HAIKU_MODELS, OAUTH_BETA, parseRetryAfter, sanitize } from '../../src/adapters/validator.js';
import { fingerprint } from '../../src/core/credentials.js';
import type { Env, ValidationOutcome, ValidationRequest } from '../../src/ports.js';
import { DEFAULT_FAKE_MODELS, startFakeApi, type FakeApi, type FakeBehavior } from '../support/fake-api.js';

// Built at run time: no full-length secret is ever committed.
const body = () => randomBytes(72).toString('base64url').slice(0, 95);
const apiKey = () => 'sk-ant-api03-' + body();
const token = () => 'sk-ant-oat01-' + body();

const envOf = (vars: Record<string, string | undefined>): Env => ({ get: (name) => vars[name] });

let api: FakeApi;
/** Every secret this file made, to check that no outcome ever carries one. */
const secrets: string[] = [];
const ENV_NAMES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_CUSTOM_HEADERS'] as const;
const saved: Record<string, string | undefined> = {};

function secretFor(kind: 'api_key' | 'token', behavior?: FakeBehavior, opts?: { retryAfter?: number | string }): string {
  const s = kind === 'api_key' ? apiKey() : token();
  secrets.push(s);
  if (behavior) api.setBehavior(s, behavior, opts);
  return s;
}

async function check(req: Partial<ValidationRequest> & Pick<ValidationRequest, 'kind' | 'secret'>, env?: Env): Promise<ValidationOutcome> {
  const validator = createValidator(env ?? envOf({ ANTHROPIC_BASE_URL: api.url }));
  const outcome = await validator.validate({ timeoutMs: 5000, ...req });
  const text = JSON.stringify(outcome);
  for (const s of secrets) expect(text.includes(s), 'an outcome contains a secret').toBe(false);
  expect(outcome.message).not.toBe('');
  expect(outcome.hint).not.toBe('');
  expect(typeof outcome.ms).toBe('number');
  return outcome;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  api = await startFakeApi();
  for (const name of ENV_NAMES) saved[name] = process.env[name];
  // The user's environment must never override the credential or the base URL under test: point
  // every variable the SDK reads at something that would make a wrong check visible.
  const envKey = secretFor('api_key', 'valid');
  const envToken = secretFor('token', 'valid');
  process.env['ANTHROPIC_API_KEY'] = envKey;
  process.env['ANTHROPIC_AUTH_TOKEN'] = envToken;
  process.env['ANTHROPIC_BASE_URL'] = `http://127.0.0.1:${await closedPort()}`;
});

afterAll(async () => {
  for (const name of ENV_NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await api.close();
});

beforeEach(() => api.reset());
afterEach(() => api.setBehavior('default', 'invalid'));

describe('API key: GET /v1/models', () => {
  it('valid: 200 with the model ids, request-id and x-api-key (never Bearer, never the beta)', async () => {
    const key = secretFor('api_key', 'valid');
    const o = await check({ kind: 'api_key', secret: key });
    expect(o).toMatchObject({ verdict: 'valid', httpStatus: 200, baseUrl: api.url, message: 'The API key is accepted; its balance was not checked.' });
    expect(o.models).toEqual(DEFAULT_FAKE_MODELS.map((m) => m.id));
    expect(o.requestId).toMatch(/^req_/);
    expect(api.requests).toHaveLength(1);
    const [r] = api.requests;
    expect(r).toMatchObject({ method: 'GET', auth: 'x-api-key', credential: fingerprint(key) });
    expect(r!.path).toMatch(/^\/v1\/models\b/);
    expect(r!.headers['authorization']).toBeUndefined();
    expect(r!.headers['anthropic-beta']).toBeUndefined();
  });

  it('invalid: 401 authentication_error', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'invalid') });
    expect(o).toMatchObject({ verdict: 'invalid', httpStatus: 401, detail: 'authentication_error: invalid x-api-key' });
    expect(o.requestId).toMatch(/^req_/);
    expect(o.hint).toMatch(/Console/);
  });

  it('an unregistered key gets the default behavior (invalid)', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key') });
    expect(o.verdict).toBe('invalid');
  });

  it('forbidden: 403 permission_error', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'forbidden') });
    expect(o).toMatchObject({ verdict: 'forbidden', reason: 'permission', httpStatus: 403 });
    expect(o.detail).toMatch(/^permission_error: /);
  });

  it('billing: 400 credit balance too low → no_credit with a Plans & Billing hint', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'billing') });
    expect(o).toMatchObject({ verdict: 'no_credit', reason: 'billing', httpStatus: 400 });
    expect(o.hint).toMatch(/Plans & Billing/);
    expect(o.detail).toMatch(/^invalid_request_error: Your credit balance is too low/);
  });

  it('an account without credit: the free model list says accepted (balance not checked); the billed check says no_credit', async () => {
    const secret = secretFor('api_key', 'no_credit');
    const free = await check({ kind: 'api_key', secret });
    expect(free).toMatchObject({ verdict: 'valid', message: 'The API key is accepted; its balance was not checked.' });
    api.reset();
    const billed = await check({ kind: 'api_key', secret, billed: true });
    expect(billed).toMatchObject({ verdict: 'no_credit', reason: 'billing', httpStatus: 400 });
    expect(billed.hint).toMatch(/Plans & Billing/);
    // One request: a 1-token Haiku message with the key in x-api-key.
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', auth: 'x-api-key' });
    expect(api.requests[0]!.body).toMatchObject({ max_tokens: 1, model: expect.stringMatching(/haiku/) });
    const ok = await check({ kind: 'api_key', secret: secretFor('api_key', 'valid'), billed: true });
    expect(ok).toMatchObject({ verdict: 'valid', message: expect.stringMatching(/billed 1-token request went through/) });
  });

  it('rate_limited: 429 records retry-after in seconds and does not wait or retry', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'rate_limited', { retryAfter: 17 }) });
    expect(o).toMatchObject({ verdict: 'rate_limited', reason: 'rate_limit', httpStatus: 429, retryAfterMs: 17_000 });
    expect(o.ms).toBeLessThan(5000);
    expect(api.requests).toHaveLength(1);
  });

  it('rate_limited: retry-after as an HTTP date', async () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    const key = secretFor('api_key', 'rate_limited', { retryAfter: 'Wed, 21 Oct 2026 07:28:30 GMT' });
    const o = await createValidator(envOf({ ANTHROPIC_BASE_URL: api.url }), { now: () => now }).validate({ kind: 'api_key', secret: key, timeoutMs: 5000 });
    expect(o).toMatchObject({ verdict: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('unavailable: 529 overloaded and 500 server error, each answered once (no retry)', async () => {
    const over = await check({ kind: 'api_key', secret: secretFor('api_key', 'overloaded') });
    expect(over).toMatchObject({ verdict: 'unavailable', reason: 'overloaded', httpStatus: 529, detail: 'overloaded_error: Overloaded' });
    const err = await check({ kind: 'api_key', secret: secretFor('api_key', 'server_error') });
    expect(err).toMatchObject({ verdict: 'unavailable', reason: 'server', httpStatus: 500 });
    expect(api.requests).toHaveLength(2);
  });

  it('an unexpected 404 (base URL that is not the API) is unavailable, not a verdict on the key', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'valid') }, envOf({ ANTHROPIC_BASE_URL: api.url + '/not-the-api' }));
    expect(o).toMatchObject({ verdict: 'unavailable', httpStatus: 404 });
    expect(o.hint).toMatch(/ANTHROPIC_BASE_URL/);
  });
});

describe('token: POST /v1/messages on Haiku', () => {
  it('valid: Bearer + oauth beta, no x-api-key, max_tokens 1 on the first Haiku id', async () => {
    const t = secretFor('token', 'valid');
    const o = await check({ kind: 'token', secret: t });
    expect(o).toMatchObject({ verdict: 'valid', httpStatus: 200, message: 'The token works.' });
    expect(o.requestId).toMatch(/^req_/);
    expect(api.requests).toHaveLength(1);
    const [r] = api.requests;
    expect(r).toMatchObject({ method: 'POST', path: '/v1/messages', auth: 'bearer', credential: fingerprint(t) });
    expect(r!.headers['authorization']).toBe(`Bearer ${fingerprint(t)}`);
    expect(r!.headers['x-api-key']).toBeUndefined();
    expect(r!.headers['anthropic-beta']?.split(',').map((b) => b.trim())).toContain(OAUTH_BETA);
    expect(r!.body).toMatchObject({ model: HAIKU_MODELS[0], max_tokens: 1 });
  });

  it('invalid: 401 Invalid bearer token → setup-token hint', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'invalid') });
    expect(o).toMatchObject({ verdict: 'invalid', httpStatus: 401, detail: 'authentication_error: Invalid bearer token' });
    expect(o.hint).toMatch(/claude setup-token/);
  });

  it('claude_code_only: 400 "only authorized for use with Claude Code" → forbidden, use an API key', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'claude_code_only') });
    expect(o).toMatchObject({ verdict: 'forbidden', reason: 'claude_code_only', httpStatus: 400 });
    expect(o.hint).toMatch(/API key/);
    expect(api.requests).toHaveLength(1);
  });

  it('billing, forbidden, rate_limited, overloaded on the token path', async () => {
    expect((await check({ kind: 'token', secret: secretFor('token', 'billing') })).reason).toBe('billing');
    expect((await check({ kind: 'token', secret: secretFor('token', 'forbidden') })).reason).toBe('permission');
    const rl = await check({ kind: 'token', secret: secretFor('token', 'rate_limited', { retryAfter: 5 }) });
    expect(rl).toMatchObject({ verdict: 'rate_limited', retryAfterMs: 5000 });
    expect((await check({ kind: 'token', secret: secretFor('token', 'overloaded') })).verdict).toBe('unavailable');
    expect(api.requests).toHaveLength(4);
  });

  it('a 404 about the model tries the next Haiku id', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'model_not_found_first') });
    expect(o).toMatchObject({ verdict: 'valid', detail: `checked with ${HAIKU_MODELS[1]}` });
    expect(api.requests.map((r) => (r.body as { model: string }).model)).toEqual([HAIKU_MODELS[0], HAIKU_MODELS[1]]);
  });

  it('a 400 invalid_request_error about the model tries the next Haiku id', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'model_bad_request_first') });
    expect(o.verdict).toBe('valid');
    expect(api.requests).toHaveLength(2);
  });

  it('no Haiku id available: valid, and the detail says so', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'model_not_found_all') });
    expect(o.verdict).toBe('valid');
    expect(o.detail).toMatch(/no Haiku model was available/);
    expect(api.requests.map((r) => (r.body as { model: string }).model)).toEqual([...HAIKU_MODELS]);
  });

  it('a 404 that is not about a model (wrong base URL) is not mistaken for "model missing"', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'valid') }, envOf({ ANTHROPIC_BASE_URL: api.url + '/nope' }));
    expect(o).toMatchObject({ verdict: 'unavailable', httpStatus: 404 });
    expect(api.requests).toHaveLength(1);
  });
});

describe("the user's environment cannot override the check", () => {
  it('ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN / ANTHROPIC_BASE_URL in process.env are ignored', async () => {
    const key = secretFor('api_key', 'invalid');
    const t = secretFor('token', 'invalid');
    // The env's own secrets are registered `valid`: using them would turn these verdicts to valid.
    expect((await check({ kind: 'api_key', secret: key })).verdict).toBe('invalid');
    expect((await check({ kind: 'token', secret: t })).verdict).toBe('invalid');
    expect(api.requests.map((r) => r.credential)).toEqual([fingerprint(key), fingerprint(t)]);
  });

  it('ANTHROPIC_CUSTOM_HEADERS cannot add a second credential header', async () => {
    const key = secretFor('api_key', 'valid');
    const t = secretFor('token', 'valid');
    process.env['ANTHROPIC_CUSTOM_HEADERS'] = `Authorization: Bearer ${process.env['ANTHROPIC_AUTH_TOKEN']}\nx-api-key: ${process.env['ANTHROPIC_API_KEY']}`;
    try {
      expect((await check({ kind: 'api_key', secret: key })).verdict).toBe('valid');
      expect((await check({ kind: 'token', secret: t })).verdict).toBe('valid');
    } finally {
      delete process.env['ANTHROPIC_CUSTOM_HEADERS'];
    }
    const [k, b] = api.requests;
    expect(k!.headers['x-api-key']).toBe(fingerprint(key));
    expect(k!.headers['authorization']).toBeUndefined();
    expect(b!.headers['authorization']).toBe(`Bearer ${fingerprint(t)}`);
    expect(b!.headers['x-api-key']).toBeUndefined();
  });

  it('without ANTHROPIC_BASE_URL in the Env port the base is api.anthropic.com (reported, not used here)', async () => {
    const controller = new AbortController();
    controller.abort();
    const o = await check({ kind: 'api_key', secret: secretFor('api_key'), signal: controller.signal }, envOf({}));
    expect(o).toMatchObject({ verdict: 'offline', reason: 'cancelled', baseUrl: 'https://api.anthropic.com' });
  });
});

describe('network failures, deadline and cancel', () => {
  it('connection refused → offline/connect, quickly, after exactly one retry', async () => {
    const started = Date.now();
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'valid') }, envOf({ ANTHROPIC_BASE_URL: `http://127.0.0.1:${await closedPort()}` }));
    expect(o).toMatchObject({ verdict: 'offline', reason: 'connect', detail: 'ECONNREFUSED' });
    expect(o.hint).toMatch(/ANTHROPIC_BASE_URL/);
    expect(o.hint).toMatch(/--save-unverified/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a dropped connection is retried once: reset_once ends valid after 2 requests', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'reset_once') });
    expect(o.verdict).toBe('valid');
    expect(api.requests.map((r) => r.answered)).toEqual(['reset', 200]);
  });

  it('never more than one retry: reset every time → offline after 2 requests', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'reset') });
    expect(o).toMatchObject({ verdict: 'offline', reason: 'connect' });
    expect(api.requests).toHaveLength(2);
  });

  it('hang with timeoutMs 500 → offline/timeout, no retry after a timeout', async () => {
    const o = await check({ kind: 'token', secret: secretFor('token', 'hang'), timeoutMs: 500 });
    expect(o).toMatchObject({ verdict: 'offline', reason: 'timeout' });
    expect(o.ms).toBeGreaterThanOrEqual(400);
    expect(o.ms).toBeLessThan(5000);
    expect(api.requests).toHaveLength(1);
  });

  it('abort through the signal → offline/cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const o = await check({ kind: 'api_key', secret: secretFor('api_key', 'hang'), signal: controller.signal, timeoutMs: 5000 });
    expect(o).toMatchObject({ verdict: 'offline', reason: 'cancelled' });
    expect(o.ms).toBeLessThan(4000);
  });

  it('an unresolvable host → offline/dns', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key') }, envOf({ ANTHROPIC_BASE_URL: 'https://clawdia-no-such-host.invalid' }));
    expect(o.verdict).toBe('offline');
    // A sandbox without DNS may only time out; either way it is offline and says why.
    expect(['dns', 'timeout']).toContain(o.reason);
  });

  it('an invalid ANTHROPIC_BASE_URL → offline/connect without a request', async () => {
    const o = await check({ kind: 'api_key', secret: secretFor('api_key') }, envOf({ ANTHROPIC_BASE_URL: 'not a url' }));
    expect(o).toMatchObject({ verdict: 'offline', reason: 'connect' });
    expect(o.message).toMatch(/ANTHROPIC_BASE_URL/);
  });

  it('a base URL with a password is never shown with it', async () => {
    const o = await check(
      { kind: 'api_key', secret: secretFor('api_key', 'valid') },
      envOf({ ANTHROPIC_BASE_URL: `http://user:hunter2@127.0.0.1:${await closedPort()}` }),
    );
    expect(JSON.stringify(o)).not.toContain('hunter2');
  });

  it('a secret with characters that cannot go in a header is not sent, and not echoed', async () => {
    const odd = apiKey() + 'é\n';
    secrets.push(odd, odd.slice(0, -2));
    const o = await check({ kind: 'api_key', secret: odd });
    expect(o.verdict).toBe('invalid');
    expect(api.requests).toHaveLength(0);
  });
});

describe('helpers', () => {
  it('parseRetryAfter: seconds, decimals, HTTP dates, junk', () => {
    const now = Date.parse('2026-10-21T07:28:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:29:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('sanitize: secret-shaped text becomes a fingerprint, and the detail is capped at 200 chars', () => {
    const key = secretFor('api_key');
    const out = sanitize(`echo: ${key} and ${key.slice(0, 50)}`, key);
    expect(out).not.toContain(key);
    expect(out).not.toContain(key.slice(13, 50));
    expect(out).toContain(fingerprint(key));
    expect(sanitize('x'.repeat(500)).length).toBeLessThanOrEqual(200);
    const odd = 'not-shaped-' + body();
    expect(sanitize(`bad header ${odd}`, odd)).not.toContain(odd);
  });
});
