// Credential shapes (SPEC §3): kind by prefix, paste normalization, shape checks, fingerprints.
// Pure: no I/O. Nothing here ever puts more of a secret in a message than its kind prefix.

import { CONSOLE_API_KEYS } from './copy.js';

export type SecretKind = 'api_key' | 'access_token' | 'refresh_token' | 'unknown';
/** What a method expects: an API key, or a setup-token / OAuth access token. */
export type ExpectedKind = 'api_key' | 'token';

export const MIN_TOKEN_LENGTH = 80;
export const MIN_API_KEY_LENGTH = 80;
/**
 * Lengths of the credential versions issued today (sk-ant-api03-…, sk-ant-oat01-…: 108 chars).
 * SPEC §3 only asks for ≥ 80, but a 108-char token cut at an 80-column wrap is exactly 80 chars
 * and would pass; for a version whose length is known, anything shorter is refused as truncated.
 * Unknown (future) versions fall back to the SPEC's minimum.
 */
export const KNOWN_LENGTHS: Readonly<Record<string, number>> = { 'sk-ant-api03-': 108, 'sk-ant-oat01-': 108 };
export const MAX_SECRET_INPUT = 1024 * 1024;

const KIND_PREFIX = /^sk-ant-([a-z]+)(\d*)-/;
const BODY_CHARS = /^[A-Za-z0-9_-]+$/;

export function detectKind(value: string): SecretKind {
  if (value.startsWith('sk-ant-api')) return 'api_key';
  if (value.startsWith('sk-ant-oat')) return 'access_token';
  if (value.startsWith('sk-ant-ort')) return 'refresh_token';
  return 'unknown';
}

export function kindLabel(kind: SecretKind): string {
  switch (kind) {
    case 'api_key':
      return 'an Anthropic API key';
    case 'access_token':
      return 'a setup-token / OAuth access token';
    case 'refresh_token':
      return 'an OAuth refresh token';
    case 'unknown':
      return 'not an Anthropic credential';
  }
}

/** `sk-ant-oat01-` for a well-formed secret; `sk-ant-` when the version part is missing. */
export function kindPrefix(value: string): string {
  const m = KIND_PREFIX.exec(value);
  if (m) return m[0];
  if (value.startsWith('sk-ant-')) return 'sk-ant-';
  return '';
}

/**
 * How a secret is ever shown: kind prefix, `…`, last 4 chars, length.
 * A value too short to fingerprint safely shows only its kind prefix and length.
 */
export function fingerprint(value: string): string {
  const prefix = shownPrefix(value);
  const len = value.length;
  const safe = len >= 40 && len - prefix.length >= 24;
  const tail = safe ? value.slice(-4) : '';
  return `${prefix || '(unrecognized)'}…${tail} (${len} chars)`;
}

/**
 * The prefix a fingerprint shows: a kind and version of the public shape (`sk-ant-oat01-`, a future
 * `sk-ant-xyz07-`), else just `sk-ant-`. kindPrefix takes any run of lower-case letters as the
 * kind, and in `sk-ant-apiabcdefgh-…` that run is part of the secret.
 */
function shownPrefix(value: string): string {
  const prefix = kindPrefix(value);
  return /^sk-ant-[a-z]{1,4}\d{0,2}-$/.test(prefix) ? prefix : prefix && 'sk-ant-';
}

/**
 * A fingerprint only for a value that looks whole (a known version at its full length, any other
 * version at the minimum); kind prefix and length otherwise. The last 4 of a partial value are 4
 * characters from the middle of the secret: typed one key at a time, a live fingerprint of what is
 * typed so far would show most of it over time.
 */
export function maskCredential(value: string): string {
  const prefix = shownPrefix(value);
  const known = KNOWN_LENGTHS[prefix];
  const whole = prefix.length > 'sk-ant-'.length && (known !== undefined ? value.length === known : value.length >= MIN_API_KEY_LENGTH);
  return whole ? fingerprint(value) : `${prefix || '(unrecognized)'}… (${value.length} chars)`;
}

// ESC [ ... final byte (CSI, bracketed paste markers included), ESC ] ... BEL/ST (OSC), and every
// other ECMA-48 escape: ESC, intermediates 0x20–0x2F, one final byte (`ESC ( B` from `tput sgr0`,
// `ESC =`, `ESC 7`, …).
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[ -/]*[0-~]|\u009b[0-?]*[ -/]*[@-~]/g;
// Invisible characters terminals and chat apps add to copied text.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

export interface Normalized {
  value: string;
  /** What normalization removed, for the user ("joined 2 lines", "removed quotes"). */
  changes: string[];
}

/**
 * Turn whatever a user pasted into the single secret it holds (SPEC §3):
 * ANSI / bracketed paste, whitespace anywhere (wrapped lines), quotes, `export NAME=` / `NAME=`, trailing `;`.
 */
export function normalizeSecret(raw: string): Normalized {
  const changes: string[] = [];
  let s = raw.length > MAX_SECRET_INPUT * 2 ? raw.slice(0, MAX_SECRET_INPUT * 2) : raw;
  const noAnsi = s.replace(ANSI, '').replace(/[\u001b\u009b]/g, '');
  if (noAnsi !== s) changes.push('removed terminal escape codes');
  s = noAnsi;
  const noInvisible = s.replace(INVISIBLE, '');
  if (noInvisible !== s) changes.push('removed invisible characters');
  s = noInvisible;
  const lines = s.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  if (lines.length > 1) changes.push(`joined ${lines.length} lines`);
  // Join wrapped lines before peeling: a terminal may wrap `export NAME="…"` inside NAME too.
  // (trimStart/trimEnd per line, not a regex around the line break: that one backtracks quadratically.)
  if (lines.length > 0 && /[\r\n]/.test(s)) {
    const parts = s.split(/\r\n|\r|\n/);
    let joined = parts[0]!.trimEnd();
    for (let i = 1; i < parts.length; i++) joined += i < parts.length - 1 ? parts[i]!.trim() : parts[i]!.trimStart();
    s = joined;
  }
  // Strip an assignment first, then quotes, then `;`, repeatedly: `export X="…";` peels in layers.
  let t = s.trim();
  for (let i = 0; i < 4; i++) {
    const before = t;
    const assign = /^(?:export\s+|set\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*/.exec(t);
    if (assign && !t.startsWith('sk-')) {
      t = t.slice(assign[0].length);
      changes.push('removed the variable assignment');
    }
    if (t.endsWith(';')) {
      // Not /;+$/: V8 backtracks it quadratically (minutes on a 1 MiB paste of `;;;…x;`).
      let end = t.length;
      while (end > 0 && t.charCodeAt(end - 1) === 59) end--;
      t = t.slice(0, end).trimEnd();
      changes.push('removed a trailing ;');
    }
    const q = /^(["'`\u2018\u2019\u201c\u201d])([\s\S]*)(["'`\u2018\u2019\u201c\u201d])$/.exec(t);
    if (q) {
      t = q[2]!.trim();
      changes.push('removed quotes');
    } else if (/^["'`\u2018\u2019\u201c\u201d]/.test(t) && !/["'`\u2018\u2019\u201c\u201d]$/.test(t)) {
      t = t.slice(1).trim();
      changes.push('removed a quote');
    } else if (/["'`\u2018\u2019\u201c\u201d]$/.test(t) && !/^["'`\u2018\u2019\u201c\u201d]/.test(t)) {
      t = t.slice(0, -1).trim();
      changes.push('removed a quote');
    }
    t = t.trim();
    if (t === before) break;
  }
  const noSpace = t.replace(/\s+/g, '');
  if (noSpace !== t && lines.length <= 1) changes.push('removed spaces');
  return { value: noSpace, changes: [...new Set(changes)] };
}

export type ShapeProblem = 'empty' | 'not_anthropic' | 'refresh_token' | 'wrong_kind' | 'truncated' | 'bad_characters' | 'too_long' | 'two_credentials';

export type ShapeCheck =
  | { ok: true; kind: SecretKind; value: string; fingerprint: string }
  | { ok: false; problem: ShapeProblem; kind: SecretKind; message: string; hint: string; fingerprint: string };

/** Check a normalized value against what the chosen method expects. */
export function checkShape(value: string, expected: ExpectedKind): ShapeCheck {
  const kind = detectKind(value);
  const fail = (problem: ShapeProblem, message: string, hint: string): ShapeCheck => ({
    ok: false,
    problem,
    kind,
    message,
    hint,
    // A value that failed its check may be partial: no tail (see maskCredential).
    fingerprint: value ? maskCredential(value) : '(empty)',
  });
  const want = expected === 'api_key' ? 'an API key (sk-ant-api…)' : 'a setup-token (sk-ant-oat…)';
  if (value.length === 0) return fail('empty', 'Nothing was pasted.', `Paste ${want}.`);
  if (value.length > 4096) return fail('too_long', `That is ${value.length} characters, far longer than any Anthropic credential.`, `Paste only ${want}.`);
  // Two pastes (old and new key, one per line) join into one long "secret": refuse, do not store it.
  if (value.indexOf('sk-ant-', 1) !== -1)
    return fail('two_credentials', 'That holds more than one credential (a second sk-ant-… starts inside it).', `Paste only ${want}, once.`);
  if (kind === 'refresh_token') {
    return fail(
      'refresh_token',
      'That is an OAuth refresh token (sk-ant-ort…), which cannot authenticate requests.',
      expected === 'api_key'
        ? `Paste an API key from ${CONSOLE_API_KEYS}.`
        : 'Paste the access token instead: run `claude setup-token` and copy the sk-ant-oat… line.',
    );
  }
  if (kind === 'unknown') {
    return fail(
      'not_anthropic',
      `That does not look like an Anthropic credential (${want} expected).`,
      `Copy the whole value, starting with ${expected === 'api_key' ? 'sk-ant-api' : 'sk-ant-oat'}.`,
    );
  }
  if (expected === 'api_key' && kind === 'access_token') {
    return fail(
      'wrong_kind',
      'That is a setup-token / OAuth access token (sk-ant-oat…), not an API key.',
      'Choose "Paste a setup-token" instead (clawdia models auth paste-token), or paste an API key.',
    );
  }
  if (expected === 'token' && kind === 'api_key') {
    return fail(
      'wrong_kind',
      'That is an Anthropic API key (sk-ant-api…), not a setup-token.',
      'Choose "Anthropic API key" instead (clawdia models auth paste-api-key), or paste a setup-token.',
    );
  }
  if (!BODY_CHARS.test(value)) {
    return fail('bad_characters', 'The value contains characters an Anthropic credential never has.', `Copy ${want} again, exactly as shown.`);
  }
  if (!KIND_PREFIX.test(value)) {
    return fail('truncated', `That looks cut short (${value.length} chars, no version part).`, `Copy the whole ${want} again.`);
  }
  const known = KNOWN_LENGTHS[kindPrefix(value)];
  const min = known ?? (expected === 'api_key' ? MIN_API_KEY_LENGTH : MIN_TOKEN_LENGTH);
  if (value.length < min) {
    return fail(
      'truncated',
      known
        ? `That looks truncated: ${value.length} chars, a whole ${kindPrefix(value)}… is ${known}.`
        : `That looks truncated: ${value.length} chars, a whole one is at least ${min} (usually 108).`,
      'It was probably cut at a line wrap. Copy it again; clawdia joins wrapped lines.',
    );
  }
  return { ok: true, kind, value, fingerprint: fingerprint(value) };
}

/** Normalize then check, in one step. */
export function parseSecret(raw: string, expected: ExpectedKind): ShapeCheck & { changes: string[] } {
  const n = normalizeSecret(raw);
  return { ...checkShape(n.value, expected), changes: n.changes };
}

/**
 * Live feedback while typing/pasting: short text that never includes the secret. Kind and length
 * while the value is incomplete; the fingerprint (its final 4) only once the value looks complete.
 */
export function describeShape(raw: string, expected: ExpectedKind): string {
  const n = normalizeSecret(raw);
  if (!n.value) return '';
  const c = checkShape(n.value, expected);
  if (c.ok) return `${kindLabel(c.kind)} · ${c.fingerprint} · looks complete`;
  return `${maskCredential(n.value)} · ${c.message}`;
}
