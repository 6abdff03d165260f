// Permissions (issue 5 §5, SPEC §1–§2): a store or config readable by others is reported by status
// (which writes nothing) and set to 0600 by the next write; dirs are 0700; and every file clawdia
// creates — temp files included — is 0600 from its first byte, even under `umask 000`: the dirs are
// watched while writers run and each new file's mode is read as it appears.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, configPath, makeSecret, runCli, storePath, writeJson } from '../support/cli.js';
import { freshState, listTree } from './helpers.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
});
afterAll(async () => {
  await api.close();
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;

function seed(fileMode: number, dirMode: number): string {
  const state = freshState();
  writeJson(
    configPath(state),
    { agents: { list: [{ id: 'main', default: true }] }, auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' } } } },
    fileMode,
  );
  writeJson(
    storePath(state),
    {
      version: 1,
      profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: makeSecret('api') } },
      usageStats: { 'anthropic:default': { cooldownUntil: Date.now() + 60_000 } },
    },
    fileMode,
  );
  for (const d of [state, path.join(state, 'agents'), path.join(state, 'agents', 'main'), path.dirname(storePath(state))]) fs.chmodSync(d, dirMode);
  return state;
}

describe('loose permissions', () => {
  it('status reports a 0644 store and config and changes nothing; the next write sets 0600 files in 0700 dirs', async () => {
    const state = seed(0o644, 0o755);
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const text = await runCli(['models', 'status'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).toContain(`${storePath(state)} is readable by other users`);
    expect(text.stdout + text.stderr).toContain(`${configPath(state)} is readable by other users`);
    const json = await runCli(['models', 'status', '--json'], { env });
    expect(JSON.parse(json.stdout).auth.warnings.join('\n')).toMatch(/auth-profiles\.json is readable by other users; the next clawdia write sets it to 0600/);
    // Status is read-only: nothing was fixed behind the user's back.
    expect(mode(storePath(state))).toBe(0o644);
    expect(mode(configPath(state))).toBe(0o644);

    const w = await runCli(['models', 'auth', 'clear-cooldown'], { env });
    expect(w.code, w.stderr).toBe(0);
    expect(mode(storePath(state))).toBe(0o600);
    expect(mode(configPath(state))).toBe(0o600);
    for (const d of [state, path.join(state, 'agents'), path.join(state, 'agents', 'main'), path.dirname(storePath(state))]) expect(mode(d), d).toBe(0o700);
    const after = await runCli(['models', 'status', '--json'], { env });
    expect(JSON.parse(after.stdout).auth.warnings.join('\n')).not.toMatch(/readable by other users/);
  });

  it('a loose file is fixed even when the write leaves its bytes unchanged', async () => {
    const state = seed(0o640, 0o700);
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    // Setting the order the store already implies rewrites the order but nothing in the config.
    const r = await runCli(['models', 'auth', 'order', 'set', '--provider', 'anthropic', 'anthropic:default'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(mode(storePath(state))).toBe(0o600);
    expect(mode(configPath(state))).toBe(0o600);
  });
});

describe('created 0600 from the first byte', () => {
  it('under umask 000, every file that appears while writers run (temp, lock, .bak, config, store) is never group/other readable', async () => {
    const state = freshState();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: api.url });
    const seen = new Map<string, number[]>();
    fs.mkdirSync(state, { mode: 0o700 });
    const look = (rel: string) => {
      const p = path.join(state, rel);
      try {
        const st = fs.lstatSync(p);
        seen.set(rel, [...(seen.get(rel) ?? []), st.mode & 0o777]);
      } catch {
        // already renamed away
      }
    };
    const watcher = fs.watch(state, { recursive: true }, (_e, f) => f && look(String(f)));
    const run = (args: string[], stdin: string) =>
      new Promise<number | null>((resolve) => {
        // The user's umask is as open as it gets: clawdia must not rely on it.
        const c = spawn('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, BIN, ...args], { env, stdio: ['pipe', 'ignore', 'ignore'] });
        c.on('close', resolve);
        c.stdin.end(stdin);
      });
    try {
      // A config that needs the migration, so the write also makes clawdia.json.bak.
      writeJson(configPath(state), { auth: { profiles: { 'anthropic:claude-cli': { provider: 'anthropic', mode: 'token' } } } }, 0o600);
      for (let i = 0; i < 12; i++) {
        const kind = i % 2 ? 'api' : 'oat';
        const code = await run(
          [
            'models',
            'auth',
            kind === 'api' ? 'paste-api-key' : 'paste-token',
            '--skip-validation',
            '--profile-id',
            `anthropic:p${i}`,
            '--agent',
            i < 6 ? 'main' : 'work',
          ],
          makeSecret(kind),
        );
        expect(code).toBe(0);
      }
    } finally {
      watcher.close();
    }
    const loose = [...seen].filter(([, modes]) => modes.some((m) => (m & 0o077) !== 0));
    expect(loose).toEqual([]);
    // The watch did see the short-lived files, so the check above means something.
    expect(
      [...seen.keys()].some((k) => k.includes('.tmp-')),
      JSON.stringify([...seen.keys()]),
    ).toBe(true);
    expect([...seen.keys()].some((k) => k.endsWith('.lock'))).toBe(true);
    expect(seen.has('clawdia.json.bak')).toBe(true);
    for (const rel of listTree(state)) {
      const p = path.join(state, rel);
      expect(mode(p), rel).toBe(fs.statSync(p).isDirectory() ? 0o700 : 0o600);
    }
  });
});
