import { describe, expect, it } from 'vitest';
import { checkShape, detectKind, describeShape, fingerprint, normalizeSecret, parseSecret } from '../../src/core/credentials.js';
import { makeSecret } from '../support/cli.js';

describe('normalizeSecret', () => {
  const t = makeSecret('oat');
  it.each([
    ['wrapped at 80 columns', t.slice(0, 80) + '\n' + t.slice(80)],
    ['wrapped with CRLF and indentation', t.slice(0, 50) + '\r\n   ' + t.slice(50)],
    ['bracketed paste markers', '\x1b[200~' + t + '\x1b[201~'],
    ['colour codes', '\x1b[32m' + t + '\x1b[0m'],
    ['double quotes', `"${t}"`],
    ['single quotes', `'${t}'`],
    ['export NAME=', `export CLAUDE_CODE_OAUTH_TOKEN=${t}`],
    ['NAME="…";', `TOKEN="${t}";`],
    ['trailing semicolon', `${t};`],
    ['surrounding whitespace', `\n\n  ${t}  \n`],
    ['zero-width space', t.slice(0, 30) + '\u200b' + t.slice(30)],
  ])('recovers the token from %s', (_name, raw) => {
    expect(normalizeSecret(raw).value).toBe(t);
  });
  it('says what it changed', () => {
    expect(normalizeSecret(t.slice(0, 60) + '\n' + t.slice(60)).changes).toContain('joined 2 lines');
  });
});

describe('detectKind', () => {
  it('tells API keys, access tokens and refresh tokens apart', () => {
    expect(detectKind(makeSecret('api'))).toBe('api_key');
    expect(detectKind(makeSecret('oat'))).toBe('access_token');
    expect(detectKind(makeSecret('ort'))).toBe('refresh_token');
    expect(detectKind('hello')).toBe('unknown');
  });
});

describe('fingerprint', () => {
  it('shows prefix, last 4 and length', () => {
    const t = makeSecret('oat');
    expect(fingerprint(t)).toBe(`sk-ant-oat01-…${t.slice(-4)} (108 chars)`);
  });
  it('shows only kind and length when too short to be safe', () => {
    expect(fingerprint('sk-ant-oat01-abcdefgh')).toBe('sk-ant-oat01-… (21 chars)');
  });
});

describe('checkShape', () => {
  it('accepts a whole token and a whole key', () => {
    expect(checkShape(makeSecret('oat'), 'token').ok).toBe(true);
    expect(checkShape(makeSecret('api'), 'api_key').ok).toBe(true);
  });
  it('refuses a truncated token (first line of a wrap)', () => {
    const r = checkShape(makeSecret('oat').slice(0, 60), 'token');
    expect(r).toMatchObject({ ok: false, problem: 'truncated' });
  });
  it('refuses the 80-char first line of a token wrapped at 80 columns (SPEC §3 minimum alone would pass it)', () => {
    expect(checkShape(makeSecret('oat').slice(0, 80), 'token')).toMatchObject({
      ok: false,
      problem: 'truncated',
      message: expect.stringContaining('80 chars, a whole sk-ant-oat01-… is 108'),
    });
    expect(checkShape(makeSecret('api').slice(0, 100), 'api_key')).toMatchObject({ ok: false, problem: 'truncated' });
  });
  it('keeps the SPEC minimum (80) for versions whose length is not known', () => {
    expect(checkShape('sk-ant-oat02-' + 'a'.repeat(70), 'token').ok).toBe(true);
    expect(checkShape('sk-ant-oat02-' + 'a'.repeat(60), 'token').ok).toBe(false);
  });
  it('refuses a refresh token wherever an access credential is expected', () => {
    expect(checkShape(makeSecret('ort'), 'token')).toMatchObject({ ok: false, problem: 'refresh_token' });
    expect(checkShape(makeSecret('ort'), 'api_key')).toMatchObject({ ok: false, problem: 'refresh_token' });
  });
  it('refuses an API key where a token is expected, and the reverse', () => {
    expect(checkShape(makeSecret('api'), 'token')).toMatchObject({ ok: false, problem: 'wrong_kind' });
    expect(checkShape(makeSecret('oat'), 'api_key')).toMatchObject({ ok: false, problem: 'wrong_kind' });
  });
  it('refuses empty and foreign values', () => {
    expect(checkShape('', 'token')).toMatchObject({ ok: false, problem: 'empty' });
    expect(checkShape('ghp_abcdef', 'token')).toMatchObject({ ok: false, problem: 'not_anthropic' });
  });
  it('never puts the secret in a message or hint', () => {
    for (const s of [makeSecret('ort'), makeSecret('api'), makeSecret('oat').slice(0, 70) + '$$']) {
      const r = parseSecret(s, 'token');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(`${r.message} ${r.hint} ${r.fingerprint}`).not.toContain(s.slice(20, 36));
      expect(describeShape(s, 'token')).not.toContain(s.slice(20, 36));
    }
  });
});
