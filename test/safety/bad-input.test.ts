// Bad input, table-driven (issue 5 §4, SPEC §5): every command with malformed flags, agent ids that
// try to leave the state dir, malformed profile ids, unknown providers, empty and oversized stdin,
// corrupt JSON in either file, a store that is a directory or a symlink to elsewhere, a read-only
// state dir. Each run must exit 1 or 2 with one `error:` line (plus an optional hint), no stack
// trace, and leave every file and directory under the test's temp root exactly as it was.
// (A full disk is simulated through the port's write hook: state-adapter.test.ts.)
//
// Two tables share the work (issue 12: a spawn of the built CLI costs ≈ 0.1 s of CPU):
// - through the built binary, every command × every class of bad input: an agent id that leaves the
//   state dir (`../x`; paste-token also an absolute path, a look-alike letter, a newline, and the
//   ids commander sees first: empty, option-like), a bad profile id (`anthropic:../x`; paste-token
//   also an unknown provider, an upper-case name, no name), an unknown provider (every value through
//   paste-token), every malformed flag, every stdin variant through paste-token (nothing, too big,
//   1 MiB read in full, garbage, two secrets through paste-api-key and onboard too), a corrupt store
//   and config (the first variant through every command), a store linked elsewhere (every command),
//   the other stores, configs and agent dirs that are links or of the wrong kind (one writer each,
//   in turn), a read-only state dir;
// - in process, every value over the functions those commands hand it to: each bad agent id to
//   checkAgentId, each bad profile id to checkProfileId, each stdin variant to parseSecret (both
//   kinds), each corrupt store/config variant to the real state adapter's reads and its locked
//   updates, add and replace (what a writing command does: refused with a ClawdiaError naming the
//   file, nothing written), and each odd place to those locked updates. Commands pass argv to these unchanged (commands/paste.ts and the other auth commands, onboard.ts,
//   status.ts); the binary rows prove each command refuses before it writes.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecret } from '../../src/core/credentials.js';
import { ClawdiaError } from '../../src/core/errors.js';
import { checkAgentId, checkProfileId } from '../../src/core/paths.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, configPath, makeSecret, runCli, storePath, writeJson, type RunResult } from '../support/cli.js';
import { adapterAttempts, errorShape, freshState, listTree, readJson, tmpDir } from './helpers.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

/** Every path under root with its bytes (files) or kind (dirs, links): the "nothing written" check. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listTree(root)) {
    const p = path.join(root, rel);
    const st = fs.lstatSync(p);
    out[rel] = st.isSymbolicLink()
      ? `link ${fs.readlinkSync(p)}`
      : st.isDirectory()
        ? `dir ${(st.mode & 0o777).toString(8)}`
        : `file ${(st.mode & 0o777).toString(8)} ${fs.readFileSync(p).toString('base64')}`;
  }
  return out;
}

interface Seeded {
  state: string;
  root: string;
}

/** main with two profiles (one cooling down), Claude Code logged in: every command has something to do. */
function seeded(): Seeded {
  const state = freshState();
  const root = path.dirname(state);
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }] },
    auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' }, 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' } } },
  });
  writeJson(storePath(state), {
    version: 1,
    profiles: {
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') },
      'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: makeSecret('oat'), expires: Date.now() + 30 * 86400_000 },
    },
    usageStats: { 'anthropic:default': { cooldownUntil: Date.now() + 600_000 } },
  });
  writeJson(path.join(root, 'claude-config', '.credentials.json'), {
    claudeAiOauth: { accessToken: makeSecret('oat'), refreshToken: makeSecret('ort'), expiresAt: Date.now() + 5 * 3600_000 },
  });
  return { state, root };
}

interface Case {
  name: string;
  args: string[];
  stdin?: string;
  /** Change the seeded state before the run (corrupt a file, plant a link…). */
  prep?: (s: Seeded) => void;
  /** Expected exit code when it matters (usage errors are 2). */
  code?: 1 | 2;
  /** The error line must match. */
  says?: RegExp;
}

const SKIP = '--skip-validation';
/** Each command in a form that would write (or read) if its input were good. */
const COMMANDS: Record<string, { args: string[]; stdin?: string; agent: boolean; profile?: 'flag' | 'arg' }> = {
  'models status': { args: ['models', 'status'], agent: true },
  'paste-token': { args: ['models', 'auth', 'paste-token', SKIP], stdin: makeSecret('oat'), agent: true, profile: 'flag' },
  'paste-api-key': { args: ['models', 'auth', 'paste-api-key', SKIP], stdin: makeSecret('api'), agent: true, profile: 'flag' },
  'sync-claude-cli': { args: ['models', 'auth', 'sync-claude-cli', SKIP], agent: true, profile: 'flag' },
  'order get': { args: ['models', 'auth', 'order', 'get', '--provider', 'anthropic'], agent: true },
  'order set': { args: ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:claude-cli'], agent: true, profile: 'arg' },
  'clear-cooldown': { args: ['models', 'auth', 'clear-cooldown'], agent: true, profile: 'flag' },
  remove: { args: ['models', 'auth', 'remove'], agent: true, profile: 'arg' },
  'agents list': { args: ['agents', 'list'], agent: false },
  onboard: {
    args: ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', SKIP],
    stdin: makeSecret('api'),
    agent: true,
    profile: 'flag',
  },
  'setup-token': { args: ['models', 'auth', 'setup-token'], agent: true, profile: 'flag' },
};
/** The form of a command with a profile id put where it goes. */
const withProfile = (name: string, id: string): string[] => {
  const c = COMMANDS[name]!;
  if (c.profile === 'arg') return name === 'remove' ? [...c.args, id] : [...c.args.slice(0, -1), id];
  return [...c.args, '--profile-id', id];
};
const defaultForm = (name: string): string[] => (name === 'remove' ? withProfile(name, 'anthropic:default') : COMMANDS[name]!.args);

const BAD_AGENTS = [
  '../x',
  '..',
  '.',
  '/tmp/clawdia-escape',
  'a/b',
  'a\\b',
  '../../home',
  'Main',
  'mаin' /* Cyrillic а */,
  'ägent',
  ' main',
  'main ',
  '',
  '-x',
  '.hidden',
  'a'.repeat(65),
  'x\ny',
  '~',
  '$HOME',
  'con:',
];
const BAD_PROFILES = [
  'anthropic',
  'anthropic:',
  ':x',
  'anthropic:../x',
  'anthropic:a/b',
  'anthropic:x y',
  'ANTHROPIC:x',
  'anthropic:X',
  'anthropic::x',
  'anthropic:x:y',
  'anthropic:.x',
  'anthropic:' + 'a'.repeat(70),
  'anthropic:тест',
  'openai:x',
  'openai:default',
];
const BAD_PROVIDERS = ['openai', 'ANTHROPIC', '', 'anthropic ', 'anthropic:default'];

const CORRUPT_STORE: Array<[string, string]> = [
  ['truncated', '{"version":1,"profiles":{"anthropic:default":{"type":"api_key","key":"sk-ant-api03-'],
  ['empty', ''],
  ['blank', '  \n'],
  ['null', 'null'],
  ['array', '[]'],
  ['profiles is an array', '{"version":1,"profiles":[]}'],
  ['order is a string', '{"version":1,"profiles":{},"order":"x"}'],
  ['usageStats is a number', '{"version":1,"profiles":{},"usageStats":5}'],
  ['trailing garbage', '{"version":1,"profiles":{}} x'],
  ['comment (not allowed in the store)', '{"version":1, /* hi */ "profiles":{}}'],
  ['binary', '\u0000\u0001\u0002\u00ff'],
  ['BOM then junk', '\ufeff{,}'],
];
const CORRUPT_CONFIG: Array<[string, string]> = [
  ['truncated', '{"agents":{"list":[{"id":"main"'],
  ['empty', ''],
  ['number', '42'],
  ['agents is a number', '{"agents":5}'],
  ['agents.list is an object', '{"agents":{"list":{}}}'],
  ['auth is a string', '{"auth":"x"}'],
  ['unterminated comment', '{"agents":{} /* oops'],
  ['binary', '\u0000\u0007\u001b'],
];

const CASES: Case[] = [];
const add = (c: Case) => CASES.push(c);

// --- malformed flags and arguments (usage errors: exit 2)
for (const [name, args] of [
  ['unknown flag', ['models', 'auth', 'paste-token', '--bogus']],
  ['unknown command', ['models', 'auth', 'bogus']],
  ['unknown top-level command', ['bogus']],
  ['unknown models command', ['models', 'bogus']],
  ['--timeout not a number', ['models', 'auth', 'paste-api-key', '--timeout', 'abc']],
  ['--timeout 0', ['models', 'auth', 'paste-api-key', '--timeout', '0']],
  ['--timeout negative', ['models', 'status', '--probe', '--timeout', '-5']],
  ['--timeout huge', ['models', 'auth', 'paste-token', '--timeout', '99999999999']],
  ['--timeout fractional', ['models', 'auth', 'paste-token', '--timeout', '1.5']],
  ['--timeout missing value', ['models', 'auth', 'paste-token', '--timeout']],
  ['--agent missing value', ['models', 'auth', 'paste-token', '--agent']],
  ['--expires-in nonsense', ['models', 'auth', 'paste-token', '--expires-in', '5x']],
  ['--expires-in 0', ['models', 'auth', 'paste-token', '--expires-in', '0']],
  ['--expires-in on an API key', ['models', 'auth', 'paste-api-key', '--expires-in', '30d']],
  ['--cache-ttl 2h', ['onboard', '--non-interactive', '--cache-ttl', '2h']],
  ['--cache-ttl with a token method', ['onboard', '--non-interactive', '--auth-choice', 'paste-token', '--cache-ttl', '1h']],
  ['--auth-choice unknown', ['onboard', '--non-interactive', '--auth-choice', 'magic']],
  ['--setup-token-timeout too small', ['onboard', '--non-interactive', '--setup-token-timeout', '5']],
  ['order set without ids', ['models', 'auth', 'order', 'set', '--provider', 'anthropic']],
  ['order get with ids', ['models', 'auth', 'order', 'get', '--provider', 'anthropic', 'anthropic:default']],
  ['order set twice the same id', ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:default', 'anthropic:default']],
  ['remove without an id', ['models', 'auth', 'remove']],
  ['remove with two ids', ['models', 'auth', 'remove', 'anthropic:default', 'anthropic:claude-cli']],
  ['status --check --probe --timeout x', ['models', 'status', '--check', '--timeout', 'x']],
  ['onboard without a terminal', ['onboard']],
  ['onboard --non-interactive setup-token', ['onboard', '--non-interactive', '--auth-choice', 'setup-token']],
  ['onboard --non-interactive, no source', ['onboard', '--non-interactive']],
  ['setup-token without a terminal', ['models', 'auth', 'setup-token']],
  ['--copy-from an unknown agent', ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--agent', 'new', '--copy-from', 'ghost']],
] as Array<[string, string[]]>) {
  add({ name: `flags: ${name}`, args, code: 2 });
}

// --- agent ids that try to leave the state dir, or are not ids at all
// Through the binary: `../x` for every command; on paste-token also an absolute path, a look-alike
// letter, a newline and the ids commander sees before clawdia does (empty, option-like). Every value
// of BAD_AGENTS goes through checkAgentId in process (below), as every command hands it on.
for (const cmd of Object.keys(COMMANDS).filter((n) => COMMANDS[n]!.agent)) {
  const ids = cmd === 'paste-token' ? ['../x', '/tmp/clawdia-escape', 'mаin', 'x\ny', '', '-x'] : ['../x'];
  for (const id of ids) add({ name: `agent ${JSON.stringify(id)}: ${cmd}`, args: [...defaultForm(cmd), '--agent', id], stdin: COMMANDS[cmd]!.stdin });
}
add({ name: 'onboard --copy-from ../x', args: [...COMMANDS.onboard!.args, '--agent', 'new', '--copy-from', '../x'], stdin: COMMANDS.onboard!.stdin });

// --- malformed profile ids
// Through the binary: `anthropic:../x` for every command; on paste-token also an unknown provider,
// an upper-case name and an id without a name. Every value of BAD_PROFILES goes through
// checkProfileId in process (below), as every command hands it on.
for (const cmd of Object.keys(COMMANDS).filter((n) => COMMANDS[n]!.profile)) {
  const ids = cmd === 'paste-token' ? ['anthropic:../x', 'openai:x', 'anthropic:X', 'anthropic'] : ['anthropic:../x'];
  for (const id of ids) add({ name: `profile id ${JSON.stringify(id)}: ${cmd}`, args: withProfile(cmd, id), stdin: COMMANDS[cmd]!.stdin, code: 2 });
}
// well-formed ids that are not there: exit 1
add({ name: 'remove a profile that is not stored', args: ['models', 'auth', 'remove', 'anthropic:nope'], code: 1 });
add({ name: 'order set a profile that is not stored', args: ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:nope'], code: 1 });
add({ name: 'clear-cooldown of a profile that is not stored', args: ['models', 'auth', 'clear-cooldown', '--profile-id', 'anthropic:nope'], code: 1 });
add({ name: 'a token into an API-key profile', args: withProfile('paste-token', 'anthropic:default'), stdin: makeSecret('oat'), code: 1 });
add({ name: 'an API key into a token profile', args: withProfile('paste-api-key', 'anthropic:claude-cli'), stdin: makeSecret('api'), code: 1 });

// --- unknown providers (checked by cli.ts's --provider parser: every value through paste-token, one per other command)
for (const cmd of ['paste-token', 'paste-api-key', 'sync-claude-cli', 'order get', 'order set', 'setup-token']) {
  for (const p of cmd === 'paste-token' ? BAD_PROVIDERS : BAD_PROVIDERS.slice(0, 1)) {
    const base = COMMANDS[cmd]!.args.filter((a, i, all) => a !== '--provider' && all[i - 1] !== '--provider');
    add({ name: `provider ${JSON.stringify(p)}: ${cmd}`, args: [...base, '--provider', p], stdin: COMMANDS[cmd]!.stdin, code: 2 });
  }
}

// --- stdin: empty, blank, oversized, garbage
const MiB = 1024 * 1024;
const STDINS: Array<[string, string]> = [
  ['empty', ''],
  ['blank', ' \n\t\r\n'],
  ['only quotes and ;', '"";'],
  ['1 MiB + 1 byte', 'a'.repeat(MiB + 1)],
  ['a token repeated past 1 MiB', (makeSecret('oat') + '\n').repeat(Math.ceil(MiB / 100))],
  ['1 MiB of semicolons', ';'.repeat(MiB - 2) + 'x;'],
  ['random bytes', randomBytes(4096).toString('latin1')],
  ['two secrets', `${makeSecret('api')}\n${makeSecret('api')}`],
  ['a URL', 'https://console.anthropic.com/settings/keys'],
];
// Every variant through paste-token; one of each class (nothing, too big, 1 MiB read in full,
// garbage, two secrets) through the other two readers. Every variant goes through parseSecret for
// both kinds in process (below).
const STDIN_CLASSES = ['empty', '1 MiB + 1 byte', '1 MiB of semicolons', 'random bytes', 'two secrets'];
for (const cmd of ['paste-token', 'paste-api-key', 'onboard']) {
  for (const [what, stdin] of STDINS) {
    if (cmd === 'paste-token' || STDIN_CLASSES.includes(what)) add({ name: `stdin ${what}: ${cmd}`, args: COMMANDS[cmd]!.args, stdin, code: 1 });
  }
}

// --- corrupt files: every command names the file and refuses, neither file is touched
// The first variant through every command here; every variant through the state adapter's reads
// and its locked updates in process (below): the one reader every command's error comes from.
const CORRUPT_FILES = [
  [storePath, CORRUPT_STORE, /auth-profiles\.json/],
  [configPath, CORRUPT_CONFIG, /clawdia\.json/],
] as const;
for (const [file, variants, says] of CORRUPT_FILES) {
  const [what, text] = variants[0]!;
  for (const cmd of Object.keys(COMMANDS).filter((n) => n !== 'setup-token')) {
    add({
      name: `${path.basename(file('/s'))} ${what}: ${cmd}`,
      args: defaultForm(cmd),
      stdin: COMMANDS[cmd]!.stdin,
      prep: (s) => fs.writeFileSync(file(s.state), text),
      code: 1,
      says,
    });
  }
}
add({
  name: 'Claude Code credentials corrupt: sync-claude-cli',
  args: COMMANDS['sync-claude-cli']!.args,
  prep: (s) => fs.writeFileSync(path.join(s.root, 'claude-config', '.credentials.json'), '{"claudeAiOauth":'),
  code: 1,
});

// --- a store (or config) that is a directory, or a link to elsewhere; dirs that are files
const linkOut = (file: (s: Seeded) => string) => (s: Seeded) => {
  const target = path.join(s.root, 'home', 'elsewhere.json');
  fs.copyFileSync(file(s), target);
  fs.rmSync(file(s));
  fs.symlinkSync(target, file(s));
};
const PLACES: Array<[string, (s: Seeded) => void]> = [
  ['store is a directory', (s) => (fs.rmSync(storePath(s.state)), fs.mkdirSync(storePath(s.state)))],
  ['store is a symlink to elsewhere', linkOut((s) => storePath(s.state))],
  ['store is a dangling symlink', (s) => (fs.rmSync(storePath(s.state)), fs.symlinkSync(path.join(s.root, 'nowhere.json'), storePath(s.state)))],
  ['config is a directory', (s) => (fs.rmSync(configPath(s.state)), fs.mkdirSync(configPath(s.state)))],
  ['config is a symlink to elsewhere', linkOut((s) => configPath(s.state))],
  [
    'agent dir is a file',
    (s) => (fs.rmSync(path.join(s.state, 'agents', 'main'), { recursive: true }), fs.writeFileSync(path.join(s.state, 'agents', 'main'), 'x')),
  ],
  [
    'agent dir is a symlink to elsewhere',
    (s) => {
      const target = path.join(s.root, 'home', 'agent-elsewhere');
      fs.renameSync(path.join(s.state, 'agents', 'main', 'agent'), target);
      fs.symlinkSync(target, path.join(s.state, 'agents', 'main', 'agent'));
    },
  ],
];
// The store linked elsewhere through every command that reads or writes it; each other place through
// one of three writers in turn (each writer meets two). Every place goes through the state adapter's
// locked updates in process (below), which is where the refusal comes from.
const PLACE_WRITERS = ['paste-token', 'remove', 'onboard'];
let placeTurn = 0;
for (const [what, prep] of PLACES) {
  const cmds = what.startsWith('store is a symlink')
    ? ['models status', 'paste-token', 'paste-api-key', 'sync-claude-cli', 'order set', 'clear-cooldown', 'remove', 'onboard']
    : [PLACE_WRITERS[placeTurn++ % PLACE_WRITERS.length]!];
  for (const cmd of cmds) {
    add({ name: `${what}: ${cmd}`, args: defaultForm(cmd), stdin: COMMANDS[cmd]!.stdin, prep, code: 1 });
  }
}

/** Run `fn` over `items`, at most `n` at a time. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

function verdict(c: Case, r: RunResult, changed: string[]): string[] {
  const problems: string[] = [];
  if (r.code !== 1 && r.code !== 2) problems.push(`exit ${r.code}`);
  if (c.code && r.code !== c.code) problems.push(`exit ${r.code}, expected ${c.code}`);
  problems.push(...errorShape(r.stderr));
  if (c.says && !c.says.test(r.stderr)) problems.push(`error does not match ${c.says}`);
  if (changed.length) problems.push(`wrote: ${changed.join(', ')}`);
  return problems.length ? [`${c.name}: ${problems.join('; ')}\n    stderr: ${r.stderr.trim().split('\n').join('\n            ')}`] : [];
}

describe('bad input: one clear error, nothing written', () => {
  it(`${CASES.length} malformed invocations`, async () => {
    const failures = (
      await pool(CASES, 4, async (c) => {
        const s = seeded();
        c.prep?.(s);
        const before = tree(s.root);
        const outside = tree('/tmp/clawdia-escape');
        const r = await runCli(c.args, { env: baseEnv(s.state, { ANTHROPIC_BASE_URL: api.url }), stdin: c.stdin ?? null, timeoutMs: 20_000 });
        const after = tree(s.root);
        const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
        if (JSON.stringify(tree('/tmp/clawdia-escape')) !== JSON.stringify(outside)) changed.push('/tmp/clawdia-escape');
        return verdict(c, r, changed);
      })
    ).flat();
    console.log(`bad input: ${CASES.length} invocations`);
    expect(failures).toEqual([]);
  }, 120_000);
});

/** What printError (src/cli.ts) writes for a ClawdiaError. */
const rendered = (e: ClawdiaError) => `error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`;

describe('in process: every bad value over the function its command hands it to', () => {
  /** A usage error (exit 2) in one error line + hint, or what is wrong. */
  const refusedAsUsage = (what: string, fn: () => unknown): string[] => {
    try {
      fn();
      return [`${what}: accepted`];
    } catch (e) {
      if (!(e instanceof ClawdiaError)) return [`${what}: threw ${(e as Error)?.name}, not a ClawdiaError`];
      return [...(e.exitCode === 2 ? [] : [`exit ${e.exitCode}, expected 2`]), ...errorShape(rendered(e))].map((p) => `${what}: ${p}`);
    }
  };

  it(`every bad agent id (${BAD_AGENTS.length}) is refused by checkAgentId: exit 2, one error line`, () => {
    expect(BAD_AGENTS.flatMap((id) => refusedAsUsage(JSON.stringify(id), () => checkAgentId(id)))).toEqual([]);
  });

  it(`every bad profile id (${BAD_PROFILES.length}) is refused by checkProfileId: exit 2, one error line`, () => {
    expect(BAD_PROFILES.flatMap((id) => refusedAsUsage(JSON.stringify(id), () => checkProfileId(id)))).toEqual([]);
  });

  it(`every stdin variant (${STDINS.length}) is refused by parseSecret as an API key and as a token, without throwing`, () => {
    const failures: string[] = [];
    for (const [what, stdin] of STDINS) {
      for (const kind of ['api_key', 'token'] as const) {
        try {
          const r = parseSecret(stdin, kind);
          if (r.ok) failures.push(`${what} (${kind}): accepted`);
        } catch (e) {
          failures.push(`${what} (${kind}): threw ${(e as Error)?.name}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("every corrupt store and config variant: the state adapter's reads and its locked updates refuse it, naming the file; nothing written", async () => {
    const failures: string[] = [];
    for (const [file, variants, says] of CORRUPT_FILES) {
      for (const [what, text] of variants) {
        const s = seeded();
        fs.writeFileSync(file(s.state), text);
        const before = tree(s.root);
        const name = `${path.basename(file('/s'))} ${what}`;
        for (const { how, error: e } of await adapterAttempts(s.state, makeSecret('api'))) {
          // A corrupt store leaves the config readable, and a corrupt config does not stop a read of the store.
          if (how === (file === storePath ? 'readConfig' : 'readStore')) continue;
          if (e === null) failures.push(`${name}: ${how} accepted it`);
          else if (!(e instanceof ClawdiaError)) failures.push(`${name}: ${how} threw ${(e as Error)?.name}, not a ClawdiaError`);
          else {
            if (e.exitCode !== 1) failures.push(`${name}: ${how}: exit ${e.exitCode}, expected 1`);
            if (!says.test(e.message)) failures.push(`${name}: ${how}: error does not match ${says}: ${e.message}`);
            failures.push(...errorShape(rendered(e)).map((p) => `${name}: ${how}: ${p}`));
          }
        }
        const after = tree(s.root);
        const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
        if (changed.length) failures.push(`${name}: wrote ${changed.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it(`every odd place (${PLACES.length}: a store or config that is a directory or a link, an agent dir that is a file or a link): both locked updates refuse it, nothing written`, async () => {
    const failures: string[] = [];
    for (const [what, prep] of PLACES) {
      const s = seeded();
      prep(s);
      const before = tree(s.root);
      for (const { how, error: e } of await adapterAttempts(s.state, makeSecret('api'))) {
        if (e !== null && !(e instanceof ClawdiaError)) failures.push(`${what}: ${how} threw ${(e as Error)?.name}, not a ClawdiaError`);
        if (!how.startsWith('update')) continue;
        if (e === null) failures.push(`${what}: ${how} went through`);
        else if (e instanceof ClawdiaError) {
          if (e.exitCode !== 1) failures.push(`${what}: ${how}: exit ${e.exitCode}, expected 1`);
          failures.push(...errorShape(rendered(e)).map((p) => `${what}: ${how}: ${p}`));
        }
      }
      const after = tree(s.root);
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
      if (changed.length) failures.push(`${what}: wrote ${changed.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });
});

/**
 * A read-only state dir, for real. Root ignores permission bits, so as root the state dir is bind-
 * mounted read-only in a private mount namespace (`unshare -rm`); as another user, chmod 0500 does
 * it. Where neither works the case is skipped; the adapter-level EROFS/EACCES cases still run.
 */
function readOnlyWrapper(): ((state: string, args: string[]) => { cmd: string; argv: string[] }) | null {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) return (_state, args) => ({ cmd: process.execPath, argv: [BIN, ...args] });
  const dir = tmpDir('clawdia-ro-probe-');
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && ! touch "$0/x" 2>/dev/null', dir], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  if (probe.status !== 0) return null;
  return (state, args) => ({ cmd: 'unshare', argv: ['-rm', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', state, process.execPath, BIN, ...args] });
}

describe('read-only state dir', () => {
  const wrap = readOnlyWrapper();
  it.skipIf(!wrap)(
    'every writing command fails with one clear line and changes nothing; status still reads',
    async () => {
      const s = seeded();
      const isRoot = process.getuid?.() === 0;
      const dirs = listTree(s.state).filter((p) => fs.statSync(path.join(s.state, p)).isDirectory());
      const before = tree(s.root);
      if (!isRoot) for (const d of ['', ...dirs]) fs.chmodSync(path.join(s.state, d), 0o500);
      try {
        const env = baseEnv(s.state, { ANTHROPIC_BASE_URL: api.url });
        const run = (args: string[], stdin?: string) =>
          new Promise<RunResult & { ms: number }>((resolve, reject) => {
            const { cmd, argv } = wrap!(s.state, args);
            const t0 = performance.now();
            const c = spawn(cmd, argv, { env });
            let stdout = '';
            let stderr = '';
            c.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
            c.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
            const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
            c.on('error', reject);
            c.on('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 })));
            c.stdin.end(stdin ?? '');
          });
        const cmds = ['paste-token', 'paste-api-key', 'sync-claude-cli', 'order set', 'clear-cooldown', 'remove', 'onboard'];
        const results = await Promise.all(cmds.map((cmd) => run(defaultForm(cmd), COMMANDS[cmd]!.stdin)));
        const failures = results.flatMap((r, i) => [
          ...verdict({ name: `read-only: ${cmds[i]}`, args: [], code: 1, says: /read-only file system|permission denied/ }, r, []),
          // It fails at once: a lock that cannot be made is not a lock someone else holds.
          // (12 s: far below the 30 s a lock wait would take, far above a loaded host's start-up.)
          ...(r.ms > 12_000 ? [`read-only: ${cmds[i]} took ${Math.round(r.ms)} ms to fail`] : []),
        ]);
        const st = await run(['models', 'status', '--json']);
        expect(st.code, st.stderr).toBe(0);
        expect(JSON.parse(st.stdout).auth.profiles).toHaveLength(2);
        expect(failures).toEqual([]);
        if (!isRoot) for (const d of ['', ...dirs]) fs.chmodSync(path.join(s.state, d), 0o700);
        expect(tree(s.root)).toEqual(before);
      } finally {
        if (!isRoot) for (const d of ['', ...dirs]) fs.chmodSync(path.join(s.state, d), 0o700);
      }
    },
    60_000,
  );
});

describe('a state dir that is itself a symlink (dotfiles on another disk)', () => {
  it('is followed: the write lands in the target, 0600 in 0700', async () => {
    const state = freshState();
    const target = path.join(path.dirname(state), 'home', 'real-state');
    fs.mkdirSync(target, { mode: 0o700 });
    fs.symlinkSync(target, state);
    const key = makeSecret('api');
    const r = await runCli(['models', 'auth', 'paste-api-key', SKIP], { env: baseEnv(state), stdin: key });
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(storePath(target)).profiles['anthropic:default'].key).toBe(key);
    expect(fs.statSync(storePath(target)).mode & 0o777).toBe(0o600);
  });
});
