// Parse a state file; on failure report file, line and column computed here — never Node's
// JSON.parse message, which quotes the file's text (and so could quote a secret).
// The config is JSON5 (what the gateway reads: config/paths.js "Config file path (JSON5)"): strict
// JSON and JSON-with-comments parse here without the json5 package, which loads only for a text
// that needs it; edits keep comments and formatting (jsonc-parser `modify`) wherever the text is JSONC.
import { createRequire } from 'node:module';
import { applyEdits, modify, parse, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';
import { FileParseError } from './errors.js';

/** json: strict; jsonc: comments / trailing commas (edited in place); json5: anything else JSON5 allows (rewritten). */
export type ConfigSyntax = 'json' | 'jsonc' | 'json5';

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

const WHAT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: '":" expected',
  CommaExpected: '"," expected',
  CloseBraceExpected: '"}" expected',
  CloseBracketExpected: '"]" expected',
  EndOfFileExpected: 'unexpected content after the end',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/** JSON with comments and trailing commas accepted (hand-edited config). Top level must be an object. */
export function parseJsonFile(text: string, file: string, opts: { comments: boolean }): Record<string, unknown> {
  return opts.comments ? parseConfigText(text, file).value : asObject(parseStrict(strip(text)) ?? parseJsonc(strip(text), file, opts), file);
}

const strip = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function asObject(value: unknown, file: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FileParseError(file, 1, 1, 'not a JSON object');
  }
  return value as Record<string, unknown>;
}

/** The config as the gateway reads it: JSON5. Errors name file:line:col and a reason, never the text. */
export function parseConfigText(text: string, file: string): { value: Record<string, unknown>; syntax: ConfigSyntax } {
  const t = strip(text);
  const strict = parseStrict(t);
  if (strict !== undefined) return { value: asObject(strict, file), syntax: 'json' };
  const errors: ParseError[] = [];
  const value: unknown = parse(t, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length === 0) return { value: asObject(value, file), syntax: 'jsonc' };
  return { value: asObject(parseJson5(t, file), file), syntax: 'json5' };
}

function parseJson5(text: string, file: string): unknown {
  // Loaded on demand (synchronously: config reads are), only for a text JSONC cannot read.
  const JSON5 = createRequire(import.meta.url)('json5') as { parse(text: string): unknown };
  try {
    return JSON5.parse(text);
  } catch (e) {
    const err = e as { lineNumber?: number; columnNumber?: number; message?: string };
    // json5's message quotes the offending character: keep only its kind.
    const m = String(err.message ?? '');
    const why = /end of input/.test(m)
      ? 'unexpected end of file'
      : /identifier/.test(m)
        ? 'invalid property name'
        : /character/.test(m)
          ? 'unexpected character'
          : 'syntax error';
    throw new FileParseError(file, err.lineNumber ?? 1, err.columnNumber ?? 1, `not valid JSON5 (${why})`);
  }
}

function formatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text);
  if (indented && indented[1]!.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indented ? Math.min(indented[1]!.length, 8) : 2, eol };
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `after` written into `text` as edits (jsonc-parser `modify`), so comments, key order and
 * formatting stay wherever nothing changed. Objects are compared key by key; any other value
 * (arrays included) is replaced whole. For a JSON or JSONC text only.
 */
export function editJsonText(text: string, after: Record<string, unknown>): string {
  const fmt = formatting(text);
  let out = text;
  const before = parse(strip(text), [], { allowTrailingComma: true }) as unknown;
  const walk = (b: unknown, a: unknown, at: (string | number)[]) => {
    if (isPlain(b) && isPlain(a)) {
      for (const k of Object.keys(b)) if (!(k in a)) out = applyEdits(out, modify(out, [...at, k], undefined, { formattingOptions: fmt }));
      for (const [k, v] of Object.entries(a)) walk(b[k], v, [...at, k]);
      return;
    }
    if (JSON.stringify(b) === JSON.stringify(a)) return;
    out = applyEdits(out, modify(out, at, a, { formattingOptions: fmt }));
  };
  walk(before, after, []);
  return out;
}

/**
 * Strict JSON — what clawdia itself writes — parses natively, several times faster than the JSONC
 * scanner (a 500-profile store: ≈ 4 ms less). Whatever JSON.parse refuses (comments, trailing
 * commas, an error to locate) goes through jsonc-parser, and so does a text that could hold a
 * `__proto__` key (the two parsers treat that key differently), so the result is the same.
 */
function parseStrict(text: string): unknown {
  if (text.includes('__proto__') || text.includes('\\u')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonc(text: string, file: string, opts: { comments: boolean }): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, {
    allowTrailingComma: opts.comments,
    disallowComments: !opts.comments,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    const code = printParseErrorCode(first.error);
    throw new FileParseError(file, line, column, `not valid JSON (${WHAT[code] ?? code})`);
  }
  return value;
}
