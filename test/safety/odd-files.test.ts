// Odd but parseable files are refused, not rewritten with loss (issue 9 §6): `auth.profiles` /
// `profiles` as an array, a duplicate key (a JSON reader keeps the last, a rewrite drops the
// other), a `__proto__` entry (a JS object cannot hold it as data), bytes that are not UTF-8
// (decoding replaces them) — in the config and in the auth store. A writing command exits 1 with
// the file, the problem and what to do, and the file is untouched; so does `models status`.
//
// Each odd file goes through the real state adapter in process — the config and store reads
// (status) and a writer's locked update, adding a profile and replacing the one the file holds — and
// through the built CLI with one of those three commands in turn (each command meets three odd
// files): the message, its file, its hint and "nothing written" are the adapter's, and the CLI
// prints them as they are (issue 12: 27 spawns became 9).
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkKeys, decodeUtf8, findDuplicateKeys, findProtoKeys, firstInvalidUtf8 } from '../../src/core/validate.js';
import { ClawdiaError, FileParseError } from '../../src/core/errors.js';
import { baseEnv, configPath, findLeaks, makeSecret, runCli, snapshot, storePath, writeJson } from '../support/cli.js';
import { adapterAttempts, errorShape, freshState } from './helpers.js';

interface Odd {
  name: string;
  file: 'config' | 'store';
  /** The file's bytes, given the secret stored under anthropic:default. */
  bytes: (secret: string) => Buffer;
  problem: RegExp;
}

const decl = '{ "provider": "anthropic", "mode": "api_key" }';
const config = (profiles: string) =>
  Buffer.from(`{\n  "agents": { "list": [{ "id": "main", "default": true }] },\n  "auth": {\n    "profiles": ${profiles}\n  }\n}\n`);
const store = (profiles: string) => Buffer.from(`{\n  "version": 1,\n  "profiles": ${profiles}\n}\n`);
const cred = (s: string) => `{ "type": "api_key", "provider": "anthropic", "key": "${s}" }`;
const GOOD_CONFIG = config(`{ "anthropic:default": ${decl} }`);
const goodStore = (s: string) => store(`{ "anthropic:default": ${cred(s)} }`);

const ODD: Odd[] = [
  { name: 'auth.profiles is an array', file: 'config', bytes: () => config(`[${decl}]`), problem: /"auth\.profiles" is an array/ },
  {
    name: 'a duplicate profile key',
    file: 'config',
    bytes: () => config(`{\n      "anthropic:default": ${decl},\n      "anthropic:default": { "provider": "anthropic", "mode": "oauth" }\n    }`),
    problem: /key "auth\.profiles\.anthropic:default" appears twice \(lines 5 and 6\)/,
  },
  {
    name: 'a __proto__ entry',
    file: 'config',
    bytes: () => config(`{ "anthropic:default": ${decl}, "__proto__": ${decl} }`),
    problem: /"__proto__" in auth\.profiles/,
  },
  {
    name: 'bytes that are not UTF-8',
    file: 'config',
    bytes: () =>
      Buffer.concat([
        config(`{ "anthropic:default": ${decl} }`).subarray(0, 20),
        Buffer.from([0xff, 0xfe]),
        config(`{ "anthropic:default": ${decl} }`).subarray(20),
      ]),
    problem: /not valid UTF-8 \(byte 20\)/,
  },
  { name: 'profiles is an array', file: 'store', bytes: (s) => store(`[${cred(s)}]`), problem: /"profiles" is an array/ },
  {
    name: 'a duplicate profile key',
    file: 'store',
    bytes: (s) => store(`{\n    "anthropic:default": ${cred(s)},\n    "anthropic:default": ${cred(s.slice(0, -4) + 'BBBB')}\n  }`),
    problem: /key "profiles\.anthropic:default" appears twice/,
  },
  {
    name: 'a __proto__ entry',
    file: 'store',
    bytes: (s) => store(`{ "anthropic:default": ${cred(s)}, "__proto__": ${cred(s)} }`),
    problem: /"__proto__" in profiles/,
  },
  {
    name: 'a __proto__ entry written with escapes',
    file: 'store',
    bytes: (s) => store(`{ "anthropic:default": ${cred(s)}, "\\u005f_proto__": ${cred(s)} }`),
    problem: /"__proto__" in profiles/,
  },
  {
    name: 'bytes that are not UTF-8 (a lone continuation byte)',
    file: 'store',
    bytes: (s) => store(`{ "anthropic:default": ${cred(s)}, "note": "caf\u0000" }`).map((b) => (b === 0 ? 0x80 : b)) as Buffer,
    problem: /not valid UTF-8/,
  },
];

function seed(odd: Odd, secret: string): string {
  const state = freshState();
  writeJson(configPath(state), '');
  writeJson(storePath(state), '');
  fs.writeFileSync(configPath(state), odd.file === 'config' ? odd.bytes(secret) : GOOD_CONFIG);
  fs.writeFileSync(storePath(state), odd.file === 'store' ? odd.bytes(secret) : goodStore(secret));
  return state;
}

const COMMANDS = [
  ['models', 'auth', 'paste-api-key', '--skip-validation', '--profile-id', 'anthropic:new'],
  ['models', 'auth', 'paste-api-key', '--skip-validation'], // replacing the profile the odd file holds
  ['models', 'status'],
];

describe('odd but parseable files: refused, never rewritten', () => {
  ODD.forEach((odd, i) => {
    it(`${odd.file}: ${odd.name}`, async () => {
      const secret = makeSecret('api');
      const state = seed(odd, secret);
      const file = odd.file === 'config' ? configPath(state) : storePath(state);
      const before = snapshot(state);
      const fresh = makeSecret('api');
      // In process: both updates and the odd file's read (the config's read also goes through
      // with an odd store; the store's read refuses an odd config too, and is checked then).
      for (const { how, error: e } of await adapterAttempts(state, fresh)) {
        if (how === 'readConfig' && odd.file === 'store' && e === null) continue;
        expect(e, `${how}: accepted`).toBeInstanceOf(ClawdiaError);
        const err = e as ClawdiaError;
        const text = `error: ${err.message}\nhint: ${err.hint}\n`;
        expect(err.exitCode, how).toBe(1);
        expect(err.message, how).toContain(file);
        expect(err.message, how).toMatch(odd.problem);
        expect(err.hint, how).toMatch(/by hand|^Re-save/);
        expect(errorShape(text), how).toEqual([]);
        expect(findLeaks(text, [secret, fresh]), how).toEqual([]);
        expect(snapshot(state), `${how}: files changed`).toEqual(before);
      }
      // Through the built CLI: one of the three commands, in turn.
      const args = COMMANDS[i % COMMANDS.length]!;
      const r = await runCli(args, { env: baseEnv(state), stdin: fresh });
      const where = `${args.join(' ')}: ${r.stderr}`;
      expect(r.code, where).toBe(1);
      expect(r.stderr, where).toContain(file);
      expect(r.stderr, where).toMatch(odd.problem);
      expect(r.stderr, where).toMatch(/^hint: .*by hand|^hint: Re-save/m);
      expect(errorShape(r.stderr), where).toEqual([]);
      expect(findLeaks(r.stdout + r.stderr, [secret, fresh]), where).toEqual([]);
      expect(snapshot(state), `${where}: files changed`).toEqual(before);
    });
  });
});

describe('the checks themselves (pure core)', () => {
  it('findDuplicateKeys: the same key in different objects is no duplicate; nested, escaped and commented ones are found', () => {
    expect(findDuplicateKeys('{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}')).toEqual([]);
    expect(findDuplicateKeys('{"a":{"x":1,"y":{"z":1,"z":2}}}').map((d) => `${d.path}.${d.key}`)).toEqual(['a.y.z']);
    expect(findDuplicateKeys('{"a\\"b":1, "a\\u0022b":2}').map((d) => d.key)).toEqual(['a"b']);
    expect(findDuplicateKeys('{\n // "k": 1,\n "k": 2, /* "k": */ "j": 3, "k": 4 }').map((d) => [d.key, d.firstLine, d.line])).toEqual([['k', 3, 3]]);
    expect(findProtoKeys('{"a":{"__proto__":{}}}').map((d) => d.path)).toEqual(['a']);
    expect(findProtoKeys('{"a":{"proto":{}}}')).toEqual([]);
  });

  it('checkKeys with the parsed value agrees with the scanner on random objects with and without a duplicate', () => {
    const key = fc.constantFrom('a', 'b', 'x', 'a"', 'c:d', '\\', 'é');
    const val: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string({ maxLength: 6 }),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(key, val, { minKeys: 1, maxKeys: 5 }), fc.boolean(), fc.integer({ min: 0, max: 2 }), (obj, dup, indent) => {
        let text = JSON.stringify(obj, null, indent);
        if (dup) {
          const k = Object.keys(obj)[0]!;
          text = text.replace(/^\{/, `{${JSON.stringify(k)}:0,`);
        }
        const parsed = JSON.parse(text);
        const thrown = (() => {
          try {
            checkKeys(text, 'f', parsed);
            return false;
          } catch (e) {
            return e instanceof FileParseError;
          }
        })();
        expect(thrown).toBe(dup);
      }),
      { numRuns: 300 },
    );
  });

  it('firstInvalidUtf8 agrees with the platform decoder on random bytes; decodeUtf8 keeps a BOM and refuses the rest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        expect(firstInvalidUtf8(bytes) === -1).toBe(isUtf8(bytes));
      }),
      { numRuns: 2000 },
    );
    expect(decodeUtf8(Buffer.from('\ufeff{}'), 'f')).toBe('\ufeff{}');
    expect(() => decodeUtf8(Buffer.from([0x7b, 0x0a, 0x22, 0xed, 0xa0, 0x80, 0x22]), 'f')).toThrow(/f:2:2: not valid UTF-8 \(byte 3\)/);
  });
});
