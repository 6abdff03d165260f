// Files that parse but would lose data if clawdia rewrote them (issue 9 §6): a duplicate key (a
// JSON reader keeps only the last one, so a rewrite drops the other), a `__proto__` key (a JS
// object cannot hold it as data), bytes that are not UTF-8 (decoding replaces them). Each is
// refused with the file, the problem and what to do; the file is never touched. Pure: works on the
// raw bytes or text and on the parsed value, whatever parser made it.
import { visit } from 'jsonc-parser';
import { FileParseError } from './errors.js';
import { lineColumn } from './jsonc.js';

export interface KeyProblem {
  /** Dotted path of the object holding the key (`auth.profiles`), `` at the top level. */
  path: string;
  key: string;
  /** 1-based line of the (second) occurrence. */
  line: number;
  column: number;
  /** 1-based line of the first occurrence (duplicates only). */
  firstLine?: number;
}

const dotted = (p: (string | number)[]) => p.map(String).join('.');

function scanKeys(text: string): { duplicates: KeyProblem[]; proto: KeyProblem[] } {
  const duplicates: KeyProblem[] = [];
  const proto: KeyProblem[] = [];
  const stack: Map<string, number>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void stack.push(new Map()),
      onObjectEnd: () => void stack.pop(),
      onObjectProperty: (key, _offset, _length, startLine, startCharacter, pathSupplier) => {
        const seen = stack[stack.length - 1];
        const where = { path: dotted(pathSupplier()), key, line: startLine + 1, column: startCharacter + 1 };
        if (key === '__proto__') proto.push(where);
        if (!seen) return;
        const first = seen.get(key);
        if (first !== undefined) duplicates.push({ ...where, firstLine: first });
        else seen.set(key, startLine + 1);
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return { duplicates, proto };
}

/** Keys that appear twice in one object (the visitor sees the text, so a parser cannot hide them). */
export function findDuplicateKeys(text: string): KeyProblem[] {
  return scanKeys(text).duplicates;
}

/** Keys named `__proto__`, anywhere. */
export function findProtoKeys(text: string): KeyProblem[] {
  if (!text.includes('__proto__') && !text.includes('\\u')) return [];
  return scanKeys(text).proto;
}

const label = (k: KeyProblem) => (k.path ? `${k.path}.${k.key}` : k.key);

/** Every key of every object in a parsed value. */
function countKeys(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += countKeys(x);
    return n;
  }
  for (const k of Object.keys(v)) n += 1 + countKeys((v as Record<string, unknown>)[k]);
  return n;
}

/** Closing quotes (not escaped) followed by `:` — each key once, plus any in comments. */
const KEY_END = /(?:^|[^\\])(?:\\\\)*"\s*:/g;

/**
 * Refuse a text with a duplicate or `__proto__` key: file, line, problem, and what to do.
 * With the parsed value, a cheap count rules most files out first (the scanner costs ≈ 6 ms on a
 * 500-profile store, the count well under one): a duplicate makes the parsed value hold fewer keys
 * than the text names; a comment naming a key makes the text count more; either way the scanner
 * decides.
 */
export function checkKeys(text: string, file: string, parsed?: unknown): void {
  if (parsed !== undefined && !text.includes('__proto__') && !text.includes('\\u')) {
    const named = text.match(KEY_END)?.length ?? 0;
    if (named === countKeys(parsed)) return;
  }
  const { duplicates, proto } = scanKeys(text);
  const p = proto[0];
  if (p) {
    throw new FileParseError(file, p.line, p.column, `a key named "__proto__"${p.path ? ` in ${p.path}` : ''}, which clawdia cannot keep`, {
      hint: 'Rename or remove that entry by hand, then run the command again.',
    });
  }
  const d = duplicates[0];
  if (d) {
    throw new FileParseError(
      file,
      d.line,
      d.column,
      `key "${label(d)}" appears twice (${d.firstLine === d.line ? `line ${d.line}` : `lines ${d.firstLine} and ${d.line}`}); a rewrite would drop one`,
      {
        hint: 'Keep one of the two entries by hand (JSON readers see only the last), then run the command again.',
      },
    );
  }
}

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a state file; bytes that are not UTF-8 are refused (decoding would replace them). */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const head = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const { line, column } = lineColumn(head, head.length);
    throw new FileParseError(file, line, column, `not valid UTF-8 (byte ${at})`, {
      hint: 'Re-save the file as UTF-8 (or move it away), then run the command again; clawdia will not rewrite bytes it cannot read.',
    });
  }
}
