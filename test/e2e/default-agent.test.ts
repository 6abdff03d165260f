// When another agent is the default (`default: true` in agents.list), a command printed as a fix
// for `main` must say `--agent main`: without it, it would run against the default agent instead.
// And the default agent's own fixes stay short (no --agent). Through the built binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, makeSecret, runCli, storePath, tempState, writeJson } from '../support/cli.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const H = 3600_000;

/** main holds an expired setup-token; work (the default) holds nothing. */
function seed(): string {
  const state = tempState();
  writeJson(configPath(state), { agents: { list: [{ id: 'main' }, { id: 'work', default: true }] } });
  writeJson(storePath(state, 'main'), {
    version: 1,
    profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: makeSecret('oat'), expires: Date.now() - H } },
  });
  return state;
}

function cli(state: string, args: string[], stdin?: string) {
  return runCli(args, { env: baseEnv(state, { ANTHROPIC_BASE_URL: api.url }), stdin });
}

describe('work is the default agent', () => {
  it('models status --agent main: every fix for main names --agent main (text, --json, --check)', async () => {
    const state = seed();
    const text = await cli(state, ['models', 'status', '--agent', 'main', '--check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('fix         clawdia models auth setup-token --agent main   # or: clawdia models auth paste-token --agent main');
    expect(text.stderr).toContain('(fix: clawdia models auth setup-token --agent main');
    const json = await cli(state, ['models', 'status', '--agent', 'main', '--json']);
    expect(JSON.parse(json.stdout).auth.profiles[0].fix).toBe(
      'clawdia models auth setup-token --agent main   # or: clawdia models auth paste-token --agent main',
    );
  });

  it('models status (the default, work): its fix needs no --agent', async () => {
    const state = seed();
    const r = await cli(state, ['models', 'status', '--check']);
    expect(r.code).toBe(1);
    // work has no store: the gateway copies main's into it (issue 10), so status shows main's expired
    // token in work's view, with work's fixes (no --agent: work is the default).
    expect(r.stdout).toContain("anthropic:claude-cli  setup-token (Claude subscription)  (main's, copied on the gateway's next load)");
    expect(r.stdout).toMatch(/ {2}fix {9}clawdia models auth setup-token {3}# or: clawdia models auth paste-token\n/);
    expect(r.stderr).toContain('check: work anthropic:claude-cli expired');
    expect(r.stdout + r.stderr).toMatch(/To give it its own credential instead: clawdia onboard$/m);
  });

  it('auth commands for main print their next step and hints with --agent main', async () => {
    const state = seed();
    const saved = await cli(state, ['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--agent', 'main'], makeSecret('api'));
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('Next: clawdia models status --agent main\n');
    const missing = await cli(state, ['models', 'auth', 'remove', 'anthropic:nope', '--agent', 'main']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('See what is stored: clawdia models status --agent main');
    const forWork = await cli(state, ['models', 'auth', 'remove', 'anthropic:nope']);
    expect(forWork.stderr).toMatch(/See what is stored: clawdia models status$/m);
  });

  it("onboard --non-interactive --agent main: the summary's next step names --agent main", async () => {
    const state = seed();
    const r = await cli(state, ['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--agent', 'main'], makeSecret('api'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/clawdia models status --agent main$/m);
  });
});
