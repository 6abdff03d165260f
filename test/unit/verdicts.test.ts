import { describe, expect, it } from 'vitest';
import { isAboutModel, judgeAnswer, judgeNetworkFailure, type HttpAnswer, type JudgeContext } from '../../src/core/verdicts.js';

const c: JudgeContext = { kind: 'api_key', shownBase: 'https://api.anthropic.com', host: 'api.anthropic.com', timeoutMs: 10_000, now: 0 };
const answer = (status: number, type: string | null, message = '', extra: Partial<HttpAnswer> = {}): HttpAnswer => ({ status, type, message, ...extra });

describe('judgeAnswer: the SPEC §4 table', () => {
  it.each([
    [answer(200, null), 'valid', undefined],
    [answer(401, 'authentication_error', 'invalid x-api-key'), 'invalid', undefined],
    [answer(403, 'permission_error', 'no'), 'forbidden', 'permission'],
    [
      answer(400, 'invalid_request_error', 'This credential is only authorized for use with Claude Code and cannot be used for other API requests.'),
      'forbidden',
      'claude_code_only',
    ],
    [answer(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'), 'no_credit', 'billing'],
    [answer(429, 'rate_limit_error', 'slow down', { retryAfter: '30' }), 'rate_limited', 'rate_limit'],
    [answer(529, 'overloaded_error', 'Overloaded'), 'unavailable', 'overloaded'],
    [answer(500, 'api_error', 'oops'), 'unavailable', 'server'],
    [answer(404, null, 'Not Found'), 'unavailable', undefined],
  ] as const)('%o → %s', (a, verdict, reason) => {
    const j = judgeAnswer(a, 'd', c);
    expect(j.verdict).toBe(verdict);
    expect(j.reason).toBe(reason);
    expect(j.message).not.toBe('');
    expect(j.hint).not.toBe('');
  });
  it('429 turns retry-after into retryAfterMs, and says when', () => {
    expect(judgeAnswer(answer(429, 'rate_limit_error', '', { retryAfter: '30' }), 'd', c)).toMatchObject({
      retryAfterMs: 30_000,
      hint: expect.stringContaining('30 s'),
    });
    expect(judgeAnswer(answer(429, 'rate_limit_error', '', { retryAfterMs: '1500' }), 'd', c).retryAfterMs).toBe(1500);
  });
  it('the next step depends on the credential kind', () => {
    expect(judgeAnswer(answer(401, 'authentication_error'), 'd', c).hint).toMatch(/Anthropic Console/);
    expect(judgeAnswer(answer(401, 'authentication_error'), 'd', { ...c, kind: 'token' }).hint).toMatch(/claude setup-token/);
  });
});

describe('isAboutModel', () => {
  it('a 404/400 naming the model is about the model, not the credential', () => {
    expect(isAboutModel(answer(404, 'not_found_error', 'model: claude-haiku-4-5'))).toBe(true);
    expect(isAboutModel(answer(404, null, 'Not Found'))).toBe(false);
    expect(isAboutModel(answer(400, 'invalid_request_error', 'This model credential is only authorized for use with Claude Code'))).toBe(false);
  });
});

describe('judgeNetworkFailure', () => {
  it('names the host for DNS, the deadline for a timeout, and TLS failures apart', () => {
    expect(judgeNetworkFailure('dns', 'ENOTFOUND', c, 'ENOTFOUND').message).toBe('Could not resolve the API host api.anthropic.com (ENOTFOUND).');
    expect(judgeNetworkFailure('timeout', 't', c).message).toBe('No answer from https://api.anthropic.com within 10 s.');
    expect(judgeNetworkFailure('connect', 'x', c, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE').hint).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(judgeNetworkFailure('connect', 'x', c, 'ECONNREFUSED').verdict).toBe('offline');
  });
});
