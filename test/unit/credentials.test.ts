import { describe, expect, it } from 'vitest';
import { checkShape, fingerprint, normalizeSecret } from '../../src/core/credentials.js';

const body = (n: number) => 'A1b2_C3-d4'.repeat(20).slice(0, n);
const token = () => 'sk-ant-oat01-' + body(95);

describe('normalizeSecret', () => {
  it('joins a token wrapped over lines', () => {
    const t = token();
    expect(normalizeSecret(t.slice(0, 60) + '\n' + t.slice(60)).value).toBe(t);
  });
});
describe('fingerprint', () => {
  it('shows prefix, last 4 and length', () => {
    const t = token();
    expect(fingerprint(t)).toBe(`sk-ant-oat01-…${t.slice(-4)} (108 chars)`);
  });
});
describe('checkShape', () => {
  it('accepts a whole token', () => expect(checkShape(token(), 'token').ok).toBe(true));
});
