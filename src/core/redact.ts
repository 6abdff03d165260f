// The one redaction every output path uses (stdout, stderr, --json, error messages, commander's own
// errors, the validator's details, text from `claude`): anything credential-shaped becomes a masked
// form before it is printed. Pure.
//
// One pattern: every maximal run of base64url characters ([A-Za-z0-9_-]) is looked at once, so the
// cost is linear in the text and no shape can slip between two disagreeing regexes. A run is secret
// when it
//   - holds `sk-ant-` followed by anything more than a public kind prefix (sk-ant-api03-…,
//     sk-ant-oat01-…, sk-ant-ort01-…, a future sk-ant-xyz07-…, a prefix-less sk-ant-Q9x…); or
//   - is a bare tail: 40+ characters mixing upper case, lower case and digits, the way a
//     credential's body looks once its `sk-ant-` was cut off (a wrapped line, a value pasted without
//     its prefix). Ids, paths, model names, request ids and hex digests never look like that.
import { maskCredential } from './credentials.js';

export { maskCredential };

const RUN = /[A-Za-z0-9_-]+/g;
const MARK = 'sk-ant-';
/** What help texts and messages name on purpose: `sk-ant-api`, `sk-ant-oat01-`, `sk-ant-`. */
const PUBLIC_PREFIX = /^sk-ant-[a-z]{0,4}\d{0,2}-?$/;
const BARE_TAIL_MIN = 40;

function isBareTail(run: string): boolean {
  return run.length >= BARE_TAIL_MIN && /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run);
}

/** True when `text` holds anything `redact` would hide. */
export function looksLikeCredential(text: string): boolean {
  return redact(text) !== text;
}

/** What argv may not hold where an id, a name or a model belongs: anything `sk-ant-` or credential-shaped. */
export function isCredentialLike(v: string): boolean {
  return v.includes('sk-ant-') || looksLikeCredential(v);
}

/**
 * Replace every credential-shaped part of `text` by its masked form. `secrets` are values known to
 * be secret whatever their shape (the request's own credential): each occurrence becomes its
 * fingerprint first.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let s = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8 && s.includes(secret)) s = s.split(secret).join(maskCredential(secret));
  }
  return s.replace(RUN, (run) => {
    const at = run.indexOf(MARK);
    if (at >= 0) {
      const value = run.slice(at);
      if (PUBLIC_PREFIX.test(value)) return run;
      const head = run.slice(0, at);
      return (isBareTail(head) ? '(redacted)' : head) + maskCredential(value);
    }
    return isBareTail(run) ? `(redacted: ${run.length} chars)` : run;
  });
}

/** `redact` over every string (keys included) of a JSON-like value: a config snippet that is printed. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [redact(k), redactDeep(v)])) as T;
  }
  return value;
}
