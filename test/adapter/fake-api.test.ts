// The fake API's own wire rules, checked with plain fetch: the validator tests trust them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/credentials.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';

const body = () => randomBytes(72).toString('base64url').slice(0, 95);
const apiKey = 'sk-ant-api03-' + body();
const token = 'sk-ant-oat01-' + body();

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ behaviors: { [apiKey]: 'valid', [token]: 'valid' } });
});
afterAll(() => api.close());
beforeEach(() => api.reset());

async function call(path: string, headers: Record<string, string>, init: RequestInit = {}) {
  const res = await fetch(api.url + path, { ...init, headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}
const message = { model: 'claude-haiku-4-5', max_tokens: 1, messages: [{ role: 'user', content: 'Hi' }] };
const post = (headers: Record<string, string>) =>
  call('/v1/messages', { 'content-type': 'application/json', ...headers }, { method: 'POST', body: JSON.stringify(message) });

describe('auth rules', () => {
  it('GET /v1/models takes an API key as x-api-key or as Bearer', async () => {
    const a = await call('/v1/models', { 'x-api-key': apiKey });
    const b = await call('/v1/models', { authorization: `Bearer ${apiKey}` });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json).toMatchObject({ has_more: false, first_id: 'claude-opus-4-5-20251101' });
    expect(a.json.data.every((m: any) => m.type === 'model' && m.id && m.display_name && m.created_at)).toBe(true);
    expect(a.headers.get('request-id')).toMatch(/^req_/);
    expect(a.headers.get('content-type')).toBe('application/json');
  });

  it('a token as Bearer without the oauth beta: 401 OAuth not supported; with it: 200', async () => {
    const without = await post({ authorization: `Bearer ${token}` });
    expect(without.status).toBe(401);
    expect(without.json).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'OAuth authentication is currently not supported.' },
    });
    expect(without.json.request_id).toBe(without.headers.get('request-id'));
    const withBeta = await post({ authorization: `Bearer ${token}`, 'anthropic-beta': 'foo-2025-01-01,oauth-2025-04-20' });
    expect(withBeta.status).toBe(200);
    expect(withBeta.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'H' }],
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: { input_tokens: 8, output_tokens: 1 },
    });
    expect(withBeta.json.id).toMatch(/^msg_/);
  });

  it('no credential: 401; a token in x-api-key: 401 invalid x-api-key; unknown path: 404', async () => {
    expect((await call('/v1/models', {})).status).toBe(401);
    const t = await call('/v1/models', { 'x-api-key': token });
    expect(t.json.error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
    expect((await call('/v1/nothing', { 'x-api-key': apiKey })).json.error.type).toBe('not_found_error');
  });

  it('recorded requests carry fingerprints, never the secret', async () => {
    await call('/v1/models', { 'x-api-key': apiKey });
    await post({ authorization: `Bearer ${token}`, 'anthropic-beta': 'oauth-2025-04-20' });
    const text = JSON.stringify(api.requests);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(token);
    expect(api.requests.map((r) => r.credential)).toEqual([fingerprint(apiKey), fingerprint(token)]);
  });
});

describe('behaviors', () => {
  it('rate_limited sends retry-after; the default behavior applies to unknown secrets', async () => {
    const other = 'sk-ant-api03-' + body();
    api.setBehavior(other, 'rate_limited', { retryAfter: 42 });
    const r = await call('/v1/models', { 'x-api-key': other });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('42');
    expect(r.json.error.type).toBe('rate_limit_error');
    const unknown = await call('/v1/models', { 'x-api-key': 'sk-ant-api03-' + body() });
    expect(unknown.json.error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
    api.setBehavior('default', 'overloaded');
    expect((await call('/v1/models', { 'x-api-key': 'sk-ant-api03-' + body() })).status).toBe(529);
    api.setBehavior('default', 'invalid');
  });

  it('hang never answers but close() still ends cleanly', async () => {
    const local = await startFakeApi({ defaultBehavior: 'hang' });
    const pending = fetch(local.url + '/v1/models', { headers: { 'x-api-key': apiKey } }).then(
      () => 'answered',
      () => 'failed',
    );
    // Wait for the request to arrive (a condition, not a fixed pause).
    while (!local.requests[0]?.answered) await new Promise((r) => setTimeout(r, 5));
    expect(local.requests[0]?.answered).toBe('hang');
    await local.close();
    expect(await pending).toBe('failed');
  });
});
