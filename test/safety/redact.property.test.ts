// Nothing secret is printed from places users don't expect (issue 9 §5). One redaction
// (src/core/redact.ts) serves every output path. Property-based, over every credential shape —
// sk-ant-api/oat/ort of today's and future versions, a prefix without its version (`sk-ant-oatQ…`,
// which the old error pattern missed), a bare base64url tail whose `sk-ant-` was cut off — and
// every output path: redact() on any surrounding text, then the built CLI's stdout (status text),
// --json (status, onboard's config snippet), stderr (warnings) and error messages (a credential in
// --agent, --profile-id, --model, an argument, an unknown option for commander). No 8-character
// run of a secret's body may appear anywhere; a credential in a non-secret field is a usage error
// (exit 2) and is never written.
//
// Where each check runs (issue 12: a spawn of the CLI costs ≈ 0.1 s of CPU): the shapes are
// property-tested in process (400 samples) over redact(), redactDeep() and what the argv guard refuses in
// argv (core/redact.ts isCredentialLike); the built CLI runs one sample per
// family through --agent, an argument (remove <id>) and commander's unknown option, and every other
// output path with two families each in turn (argv: --profile-id, --model, --model anthropic/…,
// --copy-from, status --agent, order set; config values: status text, --json, --check, agents list
// --json, onboard --json, onboard text) — every path, every family, through the real binary.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCredentialLike, redact, redactDeep } from '../../src/core/redact.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, makeSecret, runCli, snapshot, writeJson, type RunResult } from '../support/cli.js';
import { freshState, SEED } from './helpers.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const body = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...B64), { minLength: min, maxLength: max })
    // A real body mixes cases and digits; make sure every generated one does.
    .map((a) => `${a.join('')}Qz7`);

type Shape = { name: string; secret: string; body: string };

/** Every credential shape family, with the part of it that is secret (everything after the public prefix). */
const FAMILIES: Record<string, fc.Arbitrary<Shape>> = {
  versioned: fc
    .tuple(fc.constantFrom('api03', 'oat01', 'ort01', 'api04', 'oat02', 'ort09', 'xyz07'), body(20, 200))
    .map(([v, b]) => ({ name: `sk-ant-${v}-`, secret: `sk-ant-${v}-${b}`, body: b })),
  today: fc.tuple(fc.constantFrom('api03', 'oat01'), body(92, 92)).map(([v, b]) => ({ name: `sk-ant-${v}- (108 chars)`, secret: `sk-ant-${v}-${b}`, body: b })),
  'no version': fc
    .tuple(fc.constantFrom('api', 'oat', 'ort'), body(20, 140))
    .map(([k, b]) => ({ name: `sk-ant-${k}… (no version)`, secret: `sk-ant-${k}${b}`, body: b })),
  'sk-ant- bare': body(20, 140).map((b) => ({ name: 'sk-ant-… (bare)', secret: `sk-ant-${b}`, body: b })),
  // Starting with a letter: a value starting with "-" is an option to the argument parser, not a value.
  'bare tail': body(40, 140).map((b) => ({ name: 'a bare tail (no sk-ant-)', secret: `T${b}`, body: `T${b}` })),
};
const shape: fc.Arbitrary<Shape> = fc.oneof(...Object.values(FAMILIES));

/** Every 8-character run of the body found in `text`. */
function runsIn(text: string, secretBody: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= secretBody.length; i++) if (text.includes(secretBody.slice(i, i + 8))) found.push(secretBody.slice(i, i + 8));
  return found;
}

const SURROUND = fc.constantFrom(
  (s: string) => s,
  (s: string) => `error: Invalid agent id "${s}".`,
  (s: string) => JSON.stringify({ agents: { defaults: { model: { primary: `anthropic/${s}` } } } }, null, 2),
  (s: string) => `unknown option '--token=${s}'`,
  (s: string) => `key=${s};`,
  (s: string) => `(${s})…`,
  (s: string) => `${s}\n${s}`,
);

describe('redact(): every shape, in any text', () => {
  it('leaves no 8-char run of a secret body, and is idempotent', () => {
    fc.assert(
      fc.property(shape, SURROUND, fc.string({ maxLength: 20 }), (sh, wrap, noise) => {
        const text = `${noise} ${wrap(sh.secret)} ${noise}`;
        const out = redact(text);
        expect(runsIn(out, sh.body), `${sh.name} in ${JSON.stringify(out)}`).toEqual([]);
        expect(redact(out)).toBe(out);
        const deep = JSON.stringify(redactDeep({ [sh.secret]: [sh.secret, { v: text }] }));
        expect(runsIn(deep, sh.body)).toEqual([]);
        // What the argv guard (cli/parsers.ts) refuses in any option or argument (and --model's parser, with a provider prefix).
        for (const v of [sh.secret, `anthropic/${sh.secret}`]) expect(isCredentialLike(v), `${sh.name}: ${v} not refused in argv`).toBe(true);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('keeps what is not a secret: prefixes named in help, ids, paths, model names, request ids, fingerprints', () => {
    const plain = [
      'Paste an Anthropic API key (sk-ant-api…, from console.anthropic.com). It starts with sk-ant-oat.',
      'store a setup-token (sk-ant-oat…) made with `claude setup-token`',
      '/tmp/clawdia-test-a1B2c3/state/agents/work-2/agent/auth-profiles.json',
      'anthropic/claude-opus-4-5-20251101 claude-3-5-haiku-latest anthropic:claude-cli',
      'request req_011CSHoEeqs5C35K2UUqR7Fy 0f8fad5b-d9cb-469f-a165-70867728950e',
      'sk-ant-api03-…Q9x- (108 chars) and (unrecognized)…abcd (90 chars)',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ];
    for (const t of plain) expect(redact(t)).toBe(t);
  });
});

describe('the built CLI: every output path', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi({ defaultBehavior: 'valid' });
  });
  afterAll(async () => {
    await api.close();
  });

  // One sample per shape family (seeded: SAFETY_SEED replays a failure), each through every path.
  const perFamily = Object.values(FAMILIES).map((arb) => fc.sample(arb, { seed: SEED, numRuns: 1 })[0]!);

  const PASTE = ['models', 'auth', 'paste-token', '--provider', 'anthropic'];
  /** The argv paths beyond --agent and an argument: each runs for two families in turn. */
  const ARGV: Array<(secret: string) => string[]> = [
    (x) => [...PASTE, '--profile-id', x],
    (x) => ['onboard', '--non-interactive', '--model', x],
    (x) => ['onboard', '--non-interactive', '--model', `anthropic/${x}`],
    (x) => ['onboard', '--non-interactive', '--copy-from', x],
    (x) => ['models', 'status', '--agent', x],
    (x) => ['models', 'auth', 'order', 'set', '--provider', 'anthropic', x],
  ];
  type OutPath = 'status' | 'status --json' | 'status --check' | 'agents list --json' | 'onboard --json' | 'onboard text';
  const OUT: OutPath[] = ['status', 'status --json', 'status --check', 'agents list --json', 'onboard --json', 'onboard text'];
  /** Path j runs for families j and j+2 (mod 5): every path twice, every family at least twice. */
  const mine = <T>(paths: T[], fam: number): T[] => paths.filter((_, j) => j % perFamily.length === fam || (j + 2) % perFamily.length === fam);

  perFamily.forEach((sh, fam) => {
    const argvPaths = mine(ARGV, fam);
    const outPaths = mine(OUT, fam);
    it(`${sh.name}: refused in non-secret fields (exit 2, masked), redacted from config values (${outPaths.join(', ')})`, { timeout: 120_000 }, async () => {
      const state = freshState();
      const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
      const before = snapshot(state);
      const argvCases: string[][] = [[...PASTE, '--agent', sh.secret], ['models', 'auth', 'remove', sh.secret], ...argvPaths.map((f) => f(sh.secret))];
      const refused = await Promise.all(argvCases.map((args) => runCli(args, { env, stdin: makeSecret('oat') })));
      refused.forEach((r, i) => {
        expect(r.code, `${argvCases[i]!.slice(0, 4).join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(/^error: .*not a credential/m);
        expect(runsIn(r.stdout + r.stderr, sh.body), argvCases[i]!.join(' ').slice(0, 60)).toEqual([]);
      });
      // Commander's own error quotes the unknown option whole.
      const unknown = await runCli([...PASTE, `--token=${sh.secret}`], { env });
      expect(unknown.code).toBe(2);
      expect(runsIn(unknown.stdout + unknown.stderr, sh.body)).toEqual([]);
      expect(snapshot(state)).toEqual(before); // nothing written by a refusal

      // A credential placed in the config by hand, where a model name belongs: status text and
      // --json print the model; onboard prints agents.defaults (text and --json).
      writeJson(configPath(state), {
        agents: {
          list: [{ id: 'main', default: true }],
          defaults: { model: { primary: `anthropic/${sh.secret}` }, models: { 'anthropic/claude-opus-4-5': { params: { note: sh.secret } } } },
        },
      });
      const key = makeSecret('api');
      const READ: Partial<Record<OutPath, string[]>> = {
        status: ['models', 'status'],
        'status --json': ['models', 'status', '--json'],
        'status --check': ['models', 'status', '--check'],
        'agents list --json': ['agents', 'list', '--json'],
      };
      const reads = outPaths.filter((p) => READ[p]);
      const results = new Map<OutPath, RunResult>((await Promise.all(reads.map((p) => runCli(READ[p]!, { env })))).map((r, i) => [reads[i]!, r]));
      // onboard writes: one after the other, --json first (the text run replaces with --yes).
      if (outPaths.includes('onboard --json')) {
        results.set(
          'onboard --json',
          await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--model', 'claude-opus-4-5', '--json'], {
            env,
            stdin: key,
          }),
        );
      }
      if (outPaths.includes('onboard text')) {
        results.set(
          'onboard text',
          await runCli(
            [
              'onboard',
              '--non-interactive',
              '--auth-choice',
              'api-key',
              '--token-stdin',
              '--model',
              'claude-opus-4-5',
              '--cache-ttl',
              '1h',
              '--yes',
              '--verbose',
            ],
            { env, stdin: key },
          ),
        );
      }
      expect([...results.keys()].sort()).toEqual([...outPaths].sort());
      for (const [p, r] of results) expect(runsIn(r.stdout + r.stderr, sh.body), p).toEqual([]);
      // Positive controls: the value was printed where it lives.
      const status = results.get('status');
      if (status) {
        expect(status.code).toBe(0);
        expect(status.stdout).toMatch(/model {3}anthropic\//); // the model line was printed
      }
      const json = results.get('status --json');
      if (json) expect(JSON.parse(json.stdout).defaultModel).toMatch(/^anthropic\//);
      const onboardJson = results.get('onboard --json');
      if (onboardJson) {
        expect(onboardJson.code, onboardJson.stderr).toBe(0);
        expect(JSON.parse(onboardJson.stdout).config.agents.defaults).toBeTruthy(); // agents.defaults was printed
      }
      const onboardText = results.get('onboard text');
      if (onboardText) {
        expect(onboardText.code, onboardText.stderr).toBe(0);
        expect(onboardText.stdout).toContain('Config written');
      }
    });
  });

  it('every output path runs for two families, every family through at least two', () => {
    const counts = perFamily.map((_, f) => mine(ARGV, f).length + mine(OUT, f).length);
    for (const paths of [ARGV, OUT] as unknown[][]) {
      for (const p of paths) expect(perFamily.filter((_, f) => mine(paths, f).includes(p)).length).toBe(2);
    }
    for (const c of counts) expect(c).toBeGreaterThanOrEqual(2);
  });
});
