// Typing a secret reveals nothing (issue 9 §4). The live feedback under a masked prompt used to show
// the fingerprint of what was typed so far — its last 4 characters — so typing a key one character
// at a time showed 72 of its 108 characters over time. Now: kind and length while the value is
// incomplete, the fingerprint (its final 4) only once it looks complete. Typed char by char into the
// real MaskedInput with the real describeShape (component), and into `paste-api-key` in a pty (e2e).
import '../support/ink-size.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaskedInput } from '../../components/MaskedInput.js';
import { describeShape, KNOWN_LENGTHS, MIN_API_KEY_LENGTH } from '../../src/core/credentials.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, makeSecret, readJson, storePath } from '../support/cli.js';
import { ENTER, ptyEnv, spawnPty } from '../support/pty.js';
import { freshState } from './helpers.js';
import { until } from '../component/harness.js';

/**
 * Every 4-character tail a fingerprint of a partial value would show (`…abcd (`), for each length
 * typed before `complete`. A tail equal to the final one is skipped (it is allowed once complete).
 */
function partialTails(secret: string, complete: number): string[] {
  const last = secret.slice(-4);
  const out = new Set<string>();
  for (let len = 8; len < complete; len++) {
    const t = secret.slice(len - 4, len);
    if (t !== last) out.add(`…${t} (`);
  }
  return [...out];
}

describe('live feedback while typing', () => {
  it('describeShape: kind and length until the value is whole, then only the final 4', () => {
    for (const kind of ['api', 'oat'] as const) {
      const s = makeSecret(kind);
      const full = KNOWN_LENGTHS[s.slice(0, 13)]!;
      for (let len = 1; len < full; len++) {
        const d = describeShape(s.slice(0, len), kind === 'api' ? 'api_key' : 'token');
        if (len <= 13) continue;
        const tail = s.slice(len - 4, len);
        if (tail !== s.slice(-4)) expect(d, `at ${len}`).not.toContain(`…${tail} (`);
        expect(d).toContain(`(${len} chars)`);
      }
      expect(describeShape(s, kind === 'api' ? 'api_key' : 'token')).toContain(`…${s.slice(-4)} (108 chars) · looks complete`);
    }
    // An unknown (future) version: no tail below the minimum.
    const future = 'sk-ant-api07-' + makeSecret('api').slice(13);
    for (let len = 14; len < MIN_API_KEY_LENGTH; len++) expect(describeShape(future.slice(0, len), 'api_key')).not.toContain(`…${future.slice(len - 4, len)}`);
  });

  // 108 renders: a few seconds alone, far more when the whole suite shares two CPUs.
  it('MaskedInput: no frame shows a 4-character tail of a key typed one character at a time', { timeout: 120_000 }, async () => {
    const key = makeSecret('api');
    let submitted = '';
    const { stdin, frames, unmount } = render(<MaskedInput label="API key:" describe={(v) => describeShape(v, 'api_key')} onSubmit={(v) => (submitted = v)} />);
    await until(() => frames.some((f) => f.includes('API key:')), 'the first frame', 10_000);
    for (const ch of key) {
      stdin.write(ch);
      await new Promise((r) => setImmediate(r));
    }
    await until(() => frames.some((f) => f.includes('looks complete')), 'the frame of the whole key', 10_000);
    // Each key drew its own frame (so every partial value was on screen once).
    expect(frames.length).toBeGreaterThan(100);
    const all = frames.join('\n');
    const leaked = partialTails(key, 108).filter((t) => all.includes(t));
    expect(leaked).toEqual([]);
    // Positive control: the frames did show the length growing, and the final fingerprint.
    expect(all).toContain('(60 chars)');
    expect(all).toContain(`sk-ant-api03-…${key.slice(-4)} (108 chars) · looks complete`);
    stdin.write(ENTER);
    await until(() => submitted !== '', 'the submit', 10_000);
    expect(submitted).toBe(key);
    unmount();
  });
});

describe('paste-api-key in a terminal, typed one character at a time', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi({ defaultBehavior: 'valid' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows no partial fingerprint on the way, stores the whole key', async () => {
    const state = freshState();
    const key = makeSecret('api');
    const p = spawnPty(process.execPath, [BIN, 'models', 'auth', 'paste-api-key', '--provider', 'anthropic'], {
      env: ptyEnv(baseEnv(state, { ANTHROPIC_BASE_URL: api.url })),
      cols: 120,
      rows: 30,
    });
    try {
      await p.waitFor('API key for agent main:');
      for (let i = 0; i < key.length; i++) {
        p.write(key[i]!);
        // Every 20 characters, wait until the prompt has drawn that length (the feedback keeps up).
        if (i >= 20 && i % 20 === 0) await p.waitFor(`(${i + 1} chars)`);
      }
      await p.waitFor(`sk-ant-api03-…${key.slice(-4)} (108 chars) · looks complete`);
      p.write(ENTER);
      await p.waitFor('Saved anthropic:default for agent main');
      expect((await p.exited).exitCode).toBe(0);
      expect(readJson(storePath(state)).profiles['anthropic:default'].key).toBe(key);
      const leaked = partialTails(key, 108).filter((t) => p.output().includes(t));
      expect(leaked).toEqual([]);
    } finally {
      p.dispose();
    }
  });
});
