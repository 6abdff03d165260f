import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_EXPIRES_IN_MS, parseDuration, parseExpiresIn } from '../../src/core/duration.js';
import { UsageError } from '../../src/core/errors.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatDuration', () => {
  it.each([
    [0, '1s'],
    [400, '1s'],
    [45 * S, '45s'],
    [-45 * S, '45s'],
    [4 * M, '4m'],
    [59 * M, '59m'],
    [H, '1h'],
    [3 * H + 5 * M, '3h 5m'],
    [12 * H + 5 * M, '12h'],
    [23 * H, '23h'],
    [2 * D, '2d'],
    [365 * D, '365d'],
  ])('short (the default): %d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(formatDuration(ms, { style: 'short' })).toBe(text);
  });

  it.each([
    [50, '50 ms'],
    [300, '0.3 s'],
    [1500, '1.5 s'],
    [10 * S, '10 s'],
    [90 * S, '90 s'],
    [10 * M, '10 min'],
    [60 * M, '60 min'],
    [3 * H, '3 h'],
  ])('long: %d ms → %s', (ms, text) => {
    expect(formatDuration(ms, { style: 'long' })).toBe(text);
  });

  it.each([
    [-5, '0.0 s'],
    [0, '0.0 s'],
    [1234, '1.2 s'],
    [59_900, '59.9 s'],
    [65 * S, '1 min 5 s'],
    [10 * M + 999, '10 min 0 s'],
  ])('clock: %d ms → %s', (ms, text) => {
    expect(formatDuration(ms, { style: 'clock' })).toBe(text);
  });
});

describe('parseDuration', () => {
  it.each([
    ['365d', 365 * D],
    ['12h', 12 * H],
    ['30m', 30 * M],
    ['90s', 90 * S],
    ['500ms', 500],
    ['2w', 14 * D],
    ['1y', 365 * D],
    ['1.5h', 1.5 * H],
    [' 7 D ', 7 * D],
    ['1500', 1500],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'd', '0d', '-1d', '1x', '1 year', '1d2h', 'Infinity'])('%j is no duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('parseExpiresIn', () => {
  it('takes up to 10y', () => {
    expect(parseExpiresIn('365d')).toBe(365 * D);
    expect(parseExpiresIn('10y')).toBe(MAX_EXPIRES_IN_MS);
  });

  it.each([
    ['11y', /at most 10y, got "11y"/],
    ['999999999y', /at most 10y/],
    ['soon', /must be a duration like 365d, 12h or 30m, got "soon"/],
  ])('%j is a usage error (exit 2)', (text, message) => {
    let err: unknown;
    try {
      parseExpiresIn(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(message);
  });
});
