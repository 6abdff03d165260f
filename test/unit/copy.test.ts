import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL, shownBaseUrl } from '../../src/core/copy.js';

describe('shownBaseUrl', () => {
  it.each([
    [undefined, DEFAULT_BASE_URL],
    ['', DEFAULT_BASE_URL],
    ['https://api.anthropic.com/', 'https://api.anthropic.com'],
    ['http://127.0.0.1:8080//', 'http://127.0.0.1:8080'],
    ['https://gw.example/v1', 'https://gw.example/v1'],
  ])('%j → %s', (base, shown) => {
    expect(shownBaseUrl(base)).toBe(shown);
  });
});
