// Redaction (issue 5 §3, SPEC §3 "Fingerprint"): canary secrets planted in the store, in the env
// (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN), in Claude Code's credentials
// file, in corrupt files, in what is pasted — and even typed into argv by mistake. Every command,
// every --help, the --json variants, the failure paths, and the wizard's screens in a pty are run;
// stdout, stderr, the raw terminal output, the fixture `claude`'s log and every other file left in
// the temp dirs are scanned for each whole secret and any 16-character run of it. Children's argv
// (read from /proc while the wizard runs `claude setup-token`) never holds a secret.
//
// Corrupt files (a secret right where a parser's message would quote it): each kind goes through
// the real state adapter in process (both reads, both kinds of locked update: the text every
// command's error is made of) and through the built CLI with the eight commands in turn, each
// command meeting one kind (issue 12: 24 spawns became 8).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi, type FakeBehavior } from '../support/fake-api.js';
import { baseEnv, configPath, findLeaks, makeSecret, runCli, storePath, writeJson } from '../support/cli.js';
import { bracketedPaste, DOWN, ENTER, type PtyProcess } from '../support/pty.js';
import { startWizard } from '../e2e/wizard-support.js';
import { ClawdiaError } from '../../src/core/errors.js';
import { adapterAttempts, freshState, listTree } from './helpers.js';

const H = 3_600_000;

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

interface Canaries {
  storeApi: string;
  storeTok: string;
  storeAccess: string;
  storeRefresh: string;
  workApi: string;
  envApi: string;
  envAuth: string;
  envOauth: string;
  claudeAccess: string;
  claudeRefresh: string;
  pasted: string;
  pastedTok: string;
}

function canaries(): Canaries {
  return {
    storeApi: makeSecret('api'),
    storeTok: makeSecret('oat'),
    storeAccess: makeSecret('oat'),
    storeRefresh: makeSecret('ort'),
    workApi: makeSecret('api'),
    envApi: makeSecret('api'),
    envAuth: makeSecret('oat'),
    envOauth: makeSecret('oat'),
    claudeAccess: makeSecret('oat'),
    claudeRefresh: makeSecret('ort'),
    pasted: makeSecret('api'),
    pastedTok: makeSecret('oat'),
  };
}

interface Planted {
  state: string;
  root: string;
  c: Canaries;
  log: string;
  env: Record<string, string>;
}

/** A state dir holding canaries everywhere a secret can live on this host. */
function plant(opts: { corrupt?: 'store' | 'config' | 'claude' | 'store-shape'; env?: Record<string, string | undefined> } = {}): Planted {
  const c = canaries();
  const state = freshState();
  const root = path.dirname(state);
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }, { id: 'work' }] },
    auth: {
      profiles: {
        'anthropic:default': { provider: 'anthropic', mode: 'api_key' },
        'anthropic:claude-cli': { provider: 'anthropic', mode: 'token' }, // needs the migration
        'anthropic:work': { provider: 'anthropic', mode: 'oauth' },
      },
    },
  });
  writeJson(storePath(state), {
    version: 1,
    profiles: {
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key: c.storeApi },
      'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: c.storeTok, expires: Date.now() + 2 * H },
      'anthropic:work': { type: 'oauth', provider: 'anthropic', access: c.storeAccess, refresh: c.storeRefresh, expires: Date.now() - H, email: 'a@b.c' },
    },
    usageStats: { 'anthropic:default': { cooldownUntil: Date.now() + 10 * 60_000, errorCount: 2 } },
    order: { anthropic: ['anthropic:claude-cli', 'anthropic:default', 'anthropic:work'] },
  });
  writeJson(storePath(state, 'work'), { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: c.workApi } } });
  const creds = path.join(root, 'claude-config', '.credentials.json');
  writeJson(creds, {
    claudeAiOauth: {
      accessToken: c.claudeAccess,
      refreshToken: c.claudeRefresh,
      expiresAt: Date.now() + 5 * H,
      scopes: ['user:inference'],
      subscriptionType: 'max',
    },
  });
  // Broken files, with a secret right where a parser's message would quote it.
  if (opts.corrupt === 'store')
    fs.writeFileSync(storePath(state), `{"version":1,"profiles":{"anthropic:default":{"type":"api_key","key":"${c.storeApi}" "x"}}}`);
  if (opts.corrupt === 'store-shape') fs.writeFileSync(storePath(state), JSON.stringify({ version: 1, profiles: [c.storeApi], order: c.storeTok }));
  if (opts.corrupt === 'config') fs.writeFileSync(configPath(state), `{ "auth": { "apiKey": "${c.storeApi}", } "oops" }`);
  if (opts.corrupt === 'claude') fs.writeFileSync(creds, `{"claudeAiOauth":{"accessToken":"${c.claudeAccess}","refreshToken":"${c.claudeRefresh}"`);
  const log = path.join(root, 'claude-fixture.log');
  const env = baseEnv(state, {
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: c.envApi,
    ANTHROPIC_AUTH_TOKEN: c.envAuth,
    CLAUDE_CODE_OAUTH_TOKEN: c.envOauth,
    CLAUDE_FIXTURE_LOG: log,
    CLAUDE_FIXTURE_TOKEN: c.pastedTok,
    ...opts.env,
  });
  return { state, root, c, log, env };
}

const all = (c: Canaries) => Object.values(c);

/** Every file under the test's temp root except the two that hold secrets by design. */
function strayFiles(p: Planted, corrupt?: Case['corrupt']): string {
  const skip = (rel: string) =>
    path.basename(rel) === 'auth-profiles.json' ||
    rel === path.join('claude-config', '.credentials.json') ||
    // the test's own broken config holds a canary; a config clawdia writes never does
    (corrupt === 'config' && rel === path.relative(p.root, configPath(p.state)));
  return listTree(p.root)
    .filter((rel) => !skip(rel) && fs.statSync(path.join(p.root, rel)).isFile())
    .map((rel) => `--- ${rel}\n${fs.readFileSync(path.join(p.root, rel), 'utf8')}`)
    .join('\n');
}

interface Case {
  name: string;
  args: string[] | ((c: Canaries) => string[]);
  stdin?: (c: Canaries) => string;
  env?: Record<string, string | undefined>;
  corrupt?: 'store' | 'config' | 'claude' | 'store-shape';
  behave?: (c: Canaries) => Array<[string, FakeBehavior]>;
  json?: boolean;
  /** Positive control: fingerprints (last 4 chars) of canaries this run must show, proving it read them. */
  sees?: (c: Canaries) => string[];
}

const HELP: string[][] = [
  [],
  ['--help'],
  ['help'],
  ['--version'],
  ['onboard', '--help'],
  ['models', '--help'],
  ['models', 'status', '--help'],
  ['models', 'auth', '--help'],
  ...['setup-token', 'paste-token', 'paste-api-key', 'sync-claude-cli', 'order', 'clear-cooldown', 'remove'].map((s) => ['models', 'auth', s, '--help']),
  ['models', 'auth', 'order', 'get', '--help'],
  ['models', 'auth', 'order', 'set', '--help'],
  ['agents', '--help'],
  ['agents', 'list', '--help'],
];

const PASTE = ['models', 'auth', 'paste-api-key', '--provider', 'anthropic'];
const TOKEN = ['models', 'auth', 'paste-token', '--provider', 'anthropic'];
const offline = { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };

const CORRUPT_KINDS = ['store', 'store-shape', 'config'] as const;

const CASES: Case[] = [
  ...HELP.map((args) => ({ name: `help: clawdia ${args.join(' ')}`, args })),
  // status, every form
  { name: 'status', args: ['models', 'status'], sees: (c) => [c.storeApi, c.storeTok, c.storeAccess, c.envApi, c.envAuth, c.envOauth] },
  { name: 'status --json', args: ['models', 'status', '--json'], json: true, sees: (c) => [c.storeApi, c.storeTok, c.envApi] },
  { name: 'status --check', args: ['models', 'status', '--check'] },
  { name: 'status --all-agents --json', args: ['models', 'status', '--all-agents', '--json'], json: true },
  { name: 'status --agent work', args: ['models', 'status', '--agent', 'work'] },
  {
    name: 'status --probe --json (mixed verdicts)',
    args: ['models', 'status', '--probe', '--json'],
    json: true,
    behave: (c) => [
      [c.storeApi, 'invalid'],
      [c.storeTok, 'rate_limited'],
    ],
  },
  { name: 'status --probe offline', args: ['models', 'status', '--probe'], env: offline },
  {
    name: 'status --probe --timeout (hang)',
    args: ['models', 'status', '--probe', '--timeout', '300'],
    behave: (c) => [
      [c.storeApi, 'hang'],
      [c.storeTok, 'hang'],
    ],
  },
  // pastes: ok, --json, each verdict, wrong kinds, truncated, refresh token
  { name: 'paste-api-key valid', args: PASTE, stdin: (c) => c.pasted },
  {
    name: 'paste-api-key --json',
    args: [...PASTE, '--json', '--profile-id', 'anthropic:k2'],
    stdin: (c) => `export ANTHROPIC_API_KEY="${c.pasted}";`,
    json: true,
  },
  { name: 'paste-api-key invalid', args: PASTE, stdin: (c) => c.pasted, behave: (c) => [[c.pasted, 'invalid']] },
  { name: 'paste-api-key forbidden', args: PASTE, stdin: (c) => c.pasted, behave: (c) => [[c.pasted, 'forbidden']] },
  { name: 'paste-api-key billing', args: PASTE, stdin: (c) => c.pasted, behave: (c) => [[c.pasted, 'billing']] },
  { name: 'paste-api-key rate limited', args: PASTE, stdin: (c) => c.pasted, behave: (c) => [[c.pasted, 'rate_limited']] },
  { name: 'paste-api-key server error', args: PASTE, stdin: (c) => c.pasted, behave: (c) => [[c.pasted, 'server_error']] },
  { name: 'paste-api-key offline', args: PASTE, stdin: (c) => c.pasted, env: offline },
  { name: 'paste-api-key offline --save-unverified --json', args: [...PASTE, '--save-unverified', '--json'], stdin: (c) => c.pasted, env: offline, json: true },
  { name: 'paste-api-key a token (wrong kind)', args: PASTE, stdin: (c) => c.pastedTok },
  { name: 'paste-token an API key (wrong kind)', args: TOKEN, stdin: (c) => c.pasted },
  { name: 'paste-token a refresh token', args: TOKEN, stdin: (c) => c.storeRefresh },
  { name: 'paste-token truncated at a wrap', args: TOKEN, stdin: (c) => c.pastedTok.slice(0, 70) },
  { name: 'paste-token with junk characters', args: TOKEN, stdin: (c) => c.pastedTok.slice(0, 50) + '!@#' + c.pastedTok.slice(50) },
  { name: 'paste-token replaces (claude-cli, migration)', args: [...TOKEN, '--skip-validation'], stdin: (c) => bracketedPaste(c.pastedTok) },
  { name: 'paste-token into an api_key id', args: [...TOKEN, '--profile-id', 'anthropic:default', '--skip-validation'], stdin: (c) => c.pastedTok },
  {
    name: 'paste-token --expires-in',
    args: [...TOKEN, '--expires-in', '30d', '--json', '--profile-id', 'anthropic:t2'],
    stdin: (c) => c.pastedTok,
    json: true,
  },
  // Claude Code's login
  { name: 'sync-claude-cli', args: ['models', 'auth', 'sync-claude-cli'], sees: (c) => [c.claudeAccess] },
  { name: 'sync-claude-cli --json', args: ['models', 'auth', 'sync-claude-cli', '--json', '--agent', 'work'], json: true },
  { name: 'sync-claude-cli invalid', args: ['models', 'auth', 'sync-claude-cli'], behave: (c) => [[c.claudeAccess, 'invalid']] },
  { name: 'sync-claude-cli corrupt credentials file', args: ['models', 'auth', 'sync-claude-cli'], corrupt: 'claude' },
  // order, cooldown, remove, agents
  { name: 'order get', args: ['models', 'auth', 'order', 'get', '--provider', 'anthropic'] },
  { name: 'order get --json', args: ['models', 'auth', 'order', 'get', '--provider', 'anthropic', '--json'], json: true },
  { name: 'order set', args: ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:default', 'anthropic:claude-cli'] },
  { name: 'order set unknown id', args: ['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:nope'] },
  { name: 'clear-cooldown', args: ['models', 'auth', 'clear-cooldown'] },
  { name: 'clear-cooldown unknown id', args: ['models', 'auth', 'clear-cooldown', '--profile-id', 'anthropic:nope'] },
  { name: 'remove', args: ['models', 'auth', 'remove', 'anthropic:work'] },
  { name: 'remove unknown', args: ['models', 'auth', 'remove', 'anthropic:nope'] },
  { name: 'agents list', args: ['agents', 'list'] },
  { name: 'agents list --json', args: ['agents', 'list', '--json'], json: true },
  // onboard --non-interactive: every source, --json, --dry-run, and its refusals
  { name: 'onboard: two env sources, no choice (exit 2)', args: ['onboard', '--non-interactive'] },
  { name: 'onboard api-key from env --json', args: ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--json', '--cache-ttl', '1h'], json: true },
  { name: 'onboard paste-token from env', args: ['onboard', '--non-interactive', '--auth-choice', 'paste-token', '--agent', 'bot'] },
  { name: 'onboard --token-stdin beats env', args: ['onboard', '--non-interactive', '--token-stdin', '--json'], stdin: (c) => c.pasted, json: true },
  {
    name: 'onboard claude-cli --json',
    args: ['onboard', '--non-interactive', '--auth-choice', 'claude-cli', '--json', '--agent', 'work', '--yes'],
    json: true,
  },
  { name: 'onboard claude-cli, corrupt credentials', args: ['onboard', '--non-interactive', '--auth-choice', 'claude-cli'], corrupt: 'claude' },
  { name: 'onboard --dry-run', args: ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--dry-run'] },
  {
    name: 'onboard invalid key',
    args: ['onboard', '--non-interactive', '--token-stdin', '--auth-choice', 'api-key'],
    stdin: (c) => c.pasted,
    behave: (c) => [[c.pasted, 'invalid']],
  },
  { name: 'onboard setup-token without a terminal', args: ['onboard', '--non-interactive', '--auth-choice', 'setup-token'] },
  { name: 'onboard without a terminal', args: ['onboard'] },
  { name: 'setup-token without a terminal', args: ['models', 'auth', 'setup-token'] },
  // corrupt files: the error names file:line:col, never the text (each command with one kind in turn;
  // every kind through the state adapter in process, below)
  ...[
    ['models', 'status'],
    ['models', 'status', '--json'],
    ['agents', 'list', '--json'],
    ['models', 'auth', 'remove', 'anthropic:default'],
    ['models', 'auth', 'order', 'get', '--provider', 'anthropic'],
    ['models', 'auth', 'clear-cooldown'],
    [...PASTE, '--skip-validation'],
    ['onboard', '--non-interactive', '--auth-choice', 'api-key'],
  ].map((args, i): Case => {
    const corrupt = CORRUPT_KINDS[i % CORRUPT_KINDS.length]!;
    return { name: `corrupt ${corrupt}: ${args.slice(0, 3).join(' ')}`, args, corrupt, stdin: (c) => c.pasted };
  }),
  { name: 'corrupt store with CLAWDIA_DEBUG=1', args: ['models', 'status'], corrupt: 'store', env: { CLAWDIA_DEBUG: '1' } },
  {
    name: 'corrupt config with CLAWDIA_DEBUG=1',
    args: [...PASTE, '--skip-validation'],
    stdin: (c) => c.pasted,
    corrupt: 'config',
    env: { CLAWDIA_DEBUG: '1' },
  },
  { name: 'invalid key with CLAWDIA_DEBUG=1', args: PASTE, stdin: (c) => c.pasted, behave: (c) => [[c.pasted, 'invalid']], env: { CLAWDIA_DEBUG: '1' } },
  // a secret typed into argv by mistake is never echoed back
  { name: 'argv: --agent <secret>', args: (c) => [...TOKEN, '--agent', c.pastedTok] },
  { name: 'argv: --profile-id <secret>', args: (c) => [...TOKEN, '--profile-id', c.pastedTok] },
  { name: 'argv: --provider <secret>', args: (c) => ['models', 'auth', 'paste-token', '--provider', c.pastedTok] },
  { name: 'argv: status --agent <secret>', args: (c) => ['models', 'status', '--agent', c.pasted] },
  { name: 'argv: remove <secret>', args: (c) => ['models', 'auth', 'remove', c.pasted] },
  { name: 'argv: order set <secret>', args: (c) => ['models', 'auth', 'order', 'set', '--provider', 'anthropic', c.pasted] },
  { name: 'argv: clear-cooldown --profile-id <secret>', args: (c) => ['models', 'auth', 'clear-cooldown', '--profile-id', c.pasted] },
  { name: 'argv: --timeout <secret>', args: (c) => [...PASTE, '--timeout', c.pasted] },
  { name: 'argv: --expires-in <secret>', args: (c) => [...TOKEN, '--expires-in', c.pastedTok] },
  { name: 'argv: onboard --model <secret>', args: (c) => ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--model', c.pasted] },
  {
    name: 'argv: onboard --copy-from <secret>',
    args: (c) => ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--agent', 'new', '--copy-from', c.pasted],
  },
];

/**
 * Commander's own parse errors quote the offending argument whole — `too many arguments … got 1:
 * sk-ant-…`, `unknown option '--token=sk-ant-…'`; cli/program.ts's `outputError` fingerprints them.
 */
const COMMANDER_ECHO: Case[] = [
  { name: 'argv: paste-token <secret> (extra argument)', args: (c) => [...TOKEN, c.pastedTok] },
  { name: 'argv: --token=<secret> (unknown option)', args: (c) => [...TOKEN, `--token=${c.pastedTok}`] },
];

/** Run `fn` over `items`, at most `n` at a time (2 cores: more only adds contention). */
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

describe('redaction: no command prints a secret', () => {
  it(`${CASES.length} command runs: stdout, stderr, JSON, logs and stray files hold no secret`, async () => {
    const results = await pool(CASES, 4, async (k) => {
      const p = plant({ corrupt: k.corrupt, env: k.env });
      for (const [s, b] of k.behave?.(p.c) ?? []) api.setBehavior(s, b);
      const args = typeof k.args === 'function' ? k.args(p.c) : k.args;
      const r = await runCli(args, { env: p.env, stdin: k.stdin ? k.stdin(p.c) : null, timeoutMs: 20_000 });
      return { k, p, r };
    });
    const failures: string[] = [];
    for (const { k, p, r } of results) {
      const secrets = all(p.c);
      const log = fs.existsSync(p.log) ? fs.readFileSync(p.log, 'utf8') : '';
      for (const [where, text] of [
        ['stdout', r.stdout],
        ['stderr', r.stderr],
        ['claude fixture log', log],
        ['files outside the store', strayFiles(p, k.corrupt)],
      ] as const) {
        const leaks = findLeaks(text, secrets);
        if (leaks.length) failures.push(`${k.name}: ${where} leaks ${leaks.join(', ')}`);
      }
      if (k.json && r.code === 0) {
        // --json: only JSON on stdout, and no secret in any of its values.
        const j = JSON.parse(r.stdout);
        const leaks = findLeaks(JSON.stringify(j), secrets);
        if (leaks.length) failures.push(`${k.name}: JSON leaks ${leaks.join(', ')}`);
      }
      if (r.code === null) failures.push(`${k.name}: killed (${r.signal})`);
      for (const s of k.sees?.(p.c) ?? []) {
        if (!(r.stdout + r.stderr).includes(`…${s.slice(-4)} (108 chars)`)) failures.push(`${k.name}: does not show the fingerprint of a planted canary`);
      }
    }
    console.log(`redaction: ${CASES.length} command runs scanned (${HELP.length} --help/version forms)`);
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('redaction: corrupt files, through the state adapter in process', () => {
  it('every kind: the errors of both reads and both locked updates quote no secret, and name the file', async () => {
    for (const corrupt of CORRUPT_KINDS) {
      const p = plant({ corrupt });
      const attempts = await adapterAttempts(p.state, p.c.pasted);
      const refused = attempts.filter((a) => a.error !== null);
      // The config reads fine with a broken store; everything else refuses.
      expect(
        refused.map((a) => a.how),
        corrupt,
      ).toEqual(attempts.map((a) => a.how).filter((how) => !(how === 'readConfig' && corrupt !== 'config')));
      for (const { how, error } of refused) {
        expect(error, `${corrupt}: ${how}`).toBeInstanceOf(ClawdiaError);
        const e = error as ClawdiaError;
        expect(e.message, `${corrupt}: ${how}`).toContain(corrupt === 'config' ? configPath(p.state) : storePath(p.state));
        expect(findLeaks(`error: ${e.message}\nhint: ${e.hint ?? ''}\n`, all(p.c)), `${corrupt}: ${how}`).toEqual([]);
      }
    }
  });
});

describe('redaction: commander parse errors (known bug, fixed in src/cli/program.ts)', () => {
  it('a secret given as an extra argument or an unknown --opt=value is not echoed', async () => {
    for (const k of COMMANDER_ECHO) {
      const p = plant();
      const r = await runCli((k.args as (c: Canaries) => string[])(p.c), { env: p.env, stdin: null });
      expect(r.code, k.name).toBe(2);
      expect(findLeaks(r.stdout + r.stderr, all(p.c)), k.name).toEqual([]);
    }
  });
});

/** The argv of every descendant of `pid` seen until `stop()` (polled from /proc). */
function watchChildren(pid: number): { stop: () => string[] } {
  const seen = new Map<number, string>();
  const parents = (): Map<number, number> => {
    const m = new Map<number, number>();
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        m.set(Number(d), ppid);
      } catch {
        // gone
      }
    }
    return m;
  };
  const tick = () => {
    const pp = parents();
    const ours = new Set([pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [c, p] of pp) if (ours.has(p) && !ours.has(c)) ours.add(c), (grew = true);
    }
    for (const c of ours) {
      if (c === pid || seen.has(c)) continue;
      try {
        seen.set(c, fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0').join(' '));
      } catch {
        // gone
      }
    }
  };
  const timer = setInterval(tick, 15);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return [...seen.values()];
    },
  };
}

async function drive(p: PtyProcess, steps: Array<[string | RegExp, string]>, screens: string[]): Promise<void> {
  for (const [wait, keys] of steps) {
    screens.push(await p.waitFor(wait, 15_000));
    if (keys) p.write(keys);
  }
}

describe('redaction: wizard screens in a pty', () => {
  const hasProc = fs.existsSync('/proc/self/cmdline');
  const skipCooldown: Array<[string | RegExp, string]> = [['Fix it? anthropic:default is cooling down', '2']];

  /** One wizard run over a planted state, scanning every screen it drew and its children's argv. */
  async function wizardRun(args: string[], steps: (c: Canaries) => Array<[string | RegExp, string]>, opts: { env?: Record<string, string> } = {}) {
    const p0 = plant({ env: opts.env });
    const screens: string[] = [];
    const p = startWizard(p0.state, args, { api: api.url, env: p0.env });
    const kids = hasProc ? watchChildren(p.pid) : null;
    let argv: string[] = [];
    try {
      await drive(p, steps(p0.c), screens);
      expect((await p.exited).exitCode, p.screen()).toBe(0);
    } finally {
      argv = kids?.stop() ?? [];
      p.dispose();
    }
    const log = fs.existsSync(p0.log) ? fs.readFileSync(p0.log, 'utf8') : '';
    return { c: p0.c, secrets: all(p0.c), text: [...screens, p.output(), log, strayFiles(p0)].join('\n'), screens, argv, log };
  }

  it('fix-it, agent, method (detected sources), paste, check, replace, model, TTL, summary; setup-token; --plain', async () => {
    const wrapped = (s: string) => bracketedPaste(`${s.slice(0, 60)}\n${s.slice(60)}`);
    const runs = await Promise.all([
      // Look first → two fix-it screens → agent → every method with detected sources → paste → summary.
      wizardRun(['onboard'], (c) => [
        ...skipCooldown,
        ['Fix it? anthropic:work has expired', '4'],
        ['Which agent is this credential for?', ENTER],
        ['How should agent main authenticate to Anthropic?', ENTER],
        ['Paste the Anthropic API key for agent main', wrapped(c.pasted)],
        ['looks complete', ENTER],
        ['Check the balance too?', ENTER],
        ['already has anthropic:default', ENTER],
        ['Default model', ENTER],
        ['Prompt-cache TTL', DOWN + ENTER],
        ['Use the new API key first?', 'y'],
        ['Next:', ''],
      ]),
      // The fix for an expired login: `claude setup-token` again; the fixture prints a canary token.
      wizardRun(['onboard'], () => [
        ...skipCooldown,
        ['Fix it? anthropic:work has expired', ENTER],
        ['Paste the code the page shows you', 'abc#def' + ENTER],
        ['Next:', ''],
      ]),
      // `models auth setup-token` into a new profile id.
      wizardRun(['models', 'auth', 'setup-token', '--profile-id', 'anthropic:sub'], () => [
        ['Paste the code the page shows you', 'abc#def' + ENTER],
        ['Next:', ''],
      ]),
      // --plain: the linear flow, the key typed in.
      wizardRun(['onboard', '--plain', '--agent', 'work', '--auth-choice', 'api-key', '--profile-id', 'anthropic:plain'], (c) => [
        ['Paste the API key (input hidden; empty: back)', c.pasted + ENTER],
        ['Check the balance too?', ENTER],
        ['Default model', ENTER],
        ['Prompt-cache TTL', ENTER],
        ['clawdia models status', ''],
      ]),
    ]);
    for (const r of runs) expect(findLeaks(r.text, r.secrets)).toEqual([]);
    // Positive control: the method screen showed the planted sources, by fingerprint.
    const c0 = runs[0]!.c;
    for (const [name, s] of Object.entries({
      envApi: c0.envApi,
      envOauth: c0.envOauth,
      envAuth: c0.envAuth,
      claudeAccess: c0.claudeAccess,
      storeTok: c0.storeTok,
    })) {
      expect(runs[0]!.screens.join('\n'), name).toContain(`…${s.slice(-4)}`);
    }
    // `claude setup-token` ran (through `script`), and no child's argv held a secret.
    expect(runs[1]!.log).toMatch(/argv \["setup-token"\]/);
    expect(runs[2]!.log).toMatch(/argv \["setup-token"\]/);
    const argv = runs.flatMap((r) => r.argv);
    if (hasProc)
      expect(
        argv.some((a) => /setup-token/.test(a)),
        `children seen: ${JSON.stringify(argv)}`,
      ).toBe(true);
    for (const r of runs) expect(findLeaks(r.argv.join('\n'), r.secrets)).toEqual([]);
    console.log(`redaction: ${runs.reduce((n, r) => n + r.screens.length, 0)} wizard screens scanned; ${argv.length} child argv read from /proc`);
  }, 90_000);
});
