// Nothing secret is printed from places users don't expect (issue 9 §5). One redaction
// (src/core/redact.ts) serves every output path. Property-based, over every credential shape —
// sk-ant-api/oat/ort of today's and future versions, a prefix without its version (`sk-ant-oatQ…`,
// which the old error pattern missed), a bare base64url tail whose `sk-ant-` was cut off — and
// every output path: redact() on any surrounding text, then the built CLI's stdout (status text),
// --json (status, onboard's config snippet), stderr (warnings) and error messages (a credential in
// --agent, --profile-id, --model, an argument, an unknown option for commander). No 8-character
// run of a secret's body may appear anywhere; a credential in a non-secret field is a usage error
// (exit 2) and is never written.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact, redactDeep } from '../../src/core/redact.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, makeSecret, runCli, snapshot, storePath, writeJson } from '../support/cli.js';
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
  versioned: fc.tuple(fc.constantFrom('api03', 'oat01', 'ort01', 'api04', 'oat02', 'ort09', 'xyz07'), body(20, 200)).map(([v, b]) => ({ name: `sk-ant-${v}-`, secret: `sk-ant-${v}-${b}`, body: b })),
  today: fc.tuple(fc.constantFrom('api03', 'oat01'), body(92, 92)).map(([v, b]) => ({ name: `sk-ant-${v}- (108 chars)`, secret: `sk-ant-${v}-${b}`, body: b })),
  'no version': fc.tuple(fc.constantFrom('api', 'oat', 'ort'), body(20, 140)).map(([k, b]) => ({ name: `sk-ant-${k}… (no version)`, secret: `sk-ant-${k}${b}`, body: b })),
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

  for (const sh of perFamily) {
    // ~15 runs of the CLI: seconds alone, much longer while the whole suite shares two CPUs.
    it(`${sh.name}: refused in every non-secret field (exit 2, masked), redacted from config values in text, --json and stderr`, { timeout: 120_000 }, async () => {
      const state = freshState();
      const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
      const PASTE = ['models', 'auth', 'paste-token', '--provider', 'anthropic'];
      const before = snapshot(state);
      const argvCases: string[][] = [
        [...PASTE, '--agent', sh.secret],
        [...PASTE, '--profile-id', sh.secret],
        ['onboard', '--non-interactive', '--model', sh.secret],
        ['onboard', '--non-interactive', '--model', `anthropic/${sh.secret}`],
        ['onboard', '--non-interactive', '--copy-from', sh.secret],
        ['models', 'status', '--agent', sh.secret],
        ['models', 'auth', 'remove', sh.secret],
        ['models', 'auth', 'order', 'set', '--provider', 'anthropic', sh.secret],
      ];
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
      const paths = await Promise.all([
        runCli(['models', 'status'], { env }),
        runCli(['models', 'status', '--json'], { env }),
        runCli(['models', 'status', '--check'], { env }),
        runCli(['agents', 'list', '--json'], { env }),
      ]);
      const onboardJson = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--model', 'claude-opus-4-5', '--json'], { env, stdin: key });
      const onboardText = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--model', 'claude-opus-4-5', '--cache-ttl', '1h', '--yes', '--verbose'], { env, stdin: key });
      for (const r of [...paths, onboardJson, onboardText]) expect(runsIn(r.stdout + r.stderr, sh.body)).toEqual([]);
      expect(paths[0]!.code).toBe(0);
      expect(paths[0]!.stdout).toMatch(/model {3}anthropic\//); // positive control: the model line was printed
      expect(onboardJson.code, onboardJson.stderr).toBe(0);
      const snippet = JSON.parse(onboardJson.stdout).config;
      expect(snippet.agents.defaults).toBeTruthy(); // positive control: agents.defaults was printed
      expect(JSON.parse(paths[1]!.stdout).defaultModel).toMatch(/^anthropic\//);
      expect(onboardText.code, onboardText.stderr).toBe(0);
      expect(onboardText.stdout).toContain('Config written');
      expect(storePath(state)).toBeTruthy();
    });
  }
});
