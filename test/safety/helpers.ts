// Shared by the safety suites (crash, concurrency, redaction, bad input, permissions): spawning
// the built CLI with a handle on the child (to kill it), invariant checks over a state dir, and a
// bundle of the real state adapter that can SIGKILL itself between two writes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { BIN, ROOT, readJson, storePath, configPath, tempState } from '../support/cli.js';

export { ROOT };

/** A small seeded PRNG (mulberry32), so a failing random run can be replayed with SAFETY_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SEED = Number(process.env.SAFETY_SEED) || Date.now() % 1_000_000;

export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
}

/** Start the built CLI; unlike runCli, the caller gets the child (to kill it, or read its pid). */
export function spawnCli(args: string[], env: Record<string, string>, stdin?: string): Spawned {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  child.stdin!.on('error', () => {
    // killed before it read its stdin: EPIPE is expected
  });
  child.stdin!.end(stdin ?? '');
  const done = new Promise<Awaited<Spawned['done']>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - started }));
  });
  return { child, done };
}

/** Every path under dir (relative), files and dirs. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Lock dirs and temp files a writer leaves behind when it dies. */
export function leftovers(stateDir: string): string[] {
  return listTree(stateDir).filter((p) => /\.lock$|\.tmp-/.test(path.basename(p)));
}

export interface StateView {
  config: any | null;
  store: any | null;
  configText: string | null;
  storeText: string | null;
}

const readText = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null);

/** Read both files; throws (failing the test) if either exists and does not parse. */
export function readState(stateDir: string, agent = 'main'): StateView {
  const configText = readText(configPath(stateDir));
  const storeText = readText(storePath(stateDir, agent));
  const parse = (t: string | null, what: string) => {
    if (t === null) return null;
    try {
      return JSON.parse(t);
    } catch {
      throw new Error(`${what} does not parse (torn write?): ${t.length} bytes`);
    }
  };
  return { configText, storeText, config: parse(configText, 'config'), store: parse(storeText, 'store') };
}

/** The secret a stored profile carries. */
export const secretOf = (p: any): string => p?.key ?? p?.token ?? p?.access;

/**
 * SPEC §2 invariants that must hold after any crash: every stored profile is declared in the config
 * (config first: a crash may leave declared-but-absent, never an undeclared secret), and the agent
 * holding profiles is listed.
 */
export function checkInvariants(view: StateView, agent = 'main'): string[] {
  const problems: string[] = [];
  const declared = Object.keys(view.config?.auth?.profiles ?? {});
  for (const id of Object.keys(view.store?.profiles ?? {})) {
    if (!declared.includes(id)) problems.push(`${id} is stored but not declared in the config`);
  }
  if (view.store && Object.keys(view.store.profiles ?? {}).length > 0) {
    const listed = (view.config?.agents?.list ?? []).map((a: any) => a?.id);
    if (!listed.includes(agent)) problems.push(`agent ${agent} holds profiles but is not in agents.list`);
  }
  return problems;
}

/**
 * What an error must look like (SPEC §5): exactly one `error:` line, optionally followed by one
 * `hint:` line, and never a stack trace.
 */
export function errorShape(stderr: string): string[] {
  const problems: string[] = [];
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const errIdx = lines.findIndex((l) => l.startsWith('error:'));
  if (errIdx < 0) problems.push('no "error:" line');
  else {
    // One hint line; an example command may follow it, indented (e.g. `hint: … :` / `  printf …`).
    const tail = lines.slice(errIdx + 1).filter((l, i) => !(i > 0 && l.startsWith('  ')));
    if (tail.length > 1 || (tail.length === 1 && !tail[0]!.startsWith('hint:') && !tail[0]!.startsWith('(Did you mean'))) {
      problems.push(`more than one error line + hint: ${JSON.stringify(tail)}`);
    }
  }
  if (lines.filter((l) => l.startsWith('error:')).length > 1) problems.push('more than one "error:" line');
  if (/^\s+at .+[:(]\d+|node:internal|Error: .*\n\s+at /m.test(stderr)) problems.push('stack trace on stderr');
  return problems;
}

// These suites make hundreds of state dirs: remove them after each file (SAFETY_KEEP=1 keeps them).
const made: string[] = [];
afterAll(() => {
  if (process.env.SAFETY_KEEP === '1') return;
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** tempState() (state/, home/, claude-config/ in a fresh temp dir), removed after the file's tests. */
export function freshState(): string {
  const state = tempState();
  made.push(path.dirname(state));
  return state;
}

/** The state and store of a lane as a map profile id → secret. */
export function secrets(view: StateView): Record<string, string> {
  return Object.fromEntries(Object.entries(view.store?.profiles ?? {}).map(([id, p]) => [id, secretOf(p)]));
}

export { readJson };

/**
 * Bundle a small TypeScript program (imports relative to the repo root) into `outfile`: a real
 * child process that runs clawdia's own state adapter, for tests that stop or kill it mid-write.
 */
export async function bundleChild(outfile: string, source: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

/** One thing a command does with the state files, done in process through the real adapter. */
export interface AdapterAttempt {
  how: 'readConfig' | 'readStore' | 'update: add a profile' | 'update: replace anthropic:default';
  /** What it threw; null when it went through. */
  error: unknown;
}

/**
 * What the commands do with a state dir, in process through the real state adapter (issue 12: the
 * same check as a spawn of the CLI for each file variant, without the ≈ 0.1 s of CPU a spawn costs):
 * read the config and the agent's store (status, look-first), and a writer's locked update (add a
 * new profile; replace anthropic:default with an API key). The caller judges each attempt.
 */
export async function adapterAttempts(stateDir: string, secret: string, agent = 'main'): Promise<AdapterAttempt[]> {
  const [{ createStateStore }, { applyCredential }] = await Promise.all([import('../../src/adapters/state.js'), import('../../src/core/save.js')]);
  const state = createStateStore(stateDir);
  const attempt = async (how: AdapterAttempt['how'], fn: () => unknown): Promise<AdapterAttempt> => {
    try {
      await fn();
      return { how, error: null };
    } catch (error) {
      return { how, error };
    }
  };
  const put = (profileId: string) => () =>
    state.update([agent], (d) => {
      applyCredential(d.config, d.stores[agent]!, {
        agentId: agent,
        profileId,
        credential: { type: 'api_key', provider: 'anthropic', key: secret },
        validation: null,
      });
    });
  return [
    await attempt('readConfig', () => state.readConfig()),
    await attempt('readStore', () => state.readStore(agent)),
    await attempt('update: add a profile', put('anthropic:new')),
    await attempt('update: replace anthropic:default', put('anthropic:default')),
  ];
}
