// Run the built `clawdia` as a child process (real files, real process), and seed state dirs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'clawdia.js');
export const FIXTURE_BIN = path.join(ROOT, 'test', 'fixtures', 'bin');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string | null;
  timeoutMs?: number;
}

/** A clean env: no credentials or CI from the test runner's own environment leak in. */
export function baseEnv(stateDir: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: `${FIXTURE_BIN}:${process.env.PATH ?? ''}`,
    HOME: path.join(stateDir, '..', 'home'),
    CLAWDIA_STATE_DIR: stateDir,
    CLAUDE_CONFIG_DIR: path.join(stateDir, '..', 'claude-config'),
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', // nothing listens: a test that forgets its fake API fails offline
    LANG: 'C.UTF-8',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: opts.env as NodeJS.ProcessEnv,
      stdio: [opts.stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`clawdia ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 20000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (child.stdin) {
      if (opts.stdin !== undefined && opts.stdin !== null) child.stdin.end(opts.stdin);
      else child.stdin.end();
    }
  });
}

const temps: string[] = [];
const removeTemps = () => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
};
// Every tempState() of a test file is removed after the file's tests (each file has its own copy
// of this module, so the hook lands in the file that made the dirs); one made later still (by a
// test that timed out and runs on) goes when the file's worker exits.
afterAll(removeTemps);
process.once('exit', removeTemps);

/** A fresh temp dir with `state/`, `home/` and `claude-config/`, removed after the file's tests. Returns the state dir path. */
export function tempState(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clawdia-test-'));
  temps.push(dir);
  fs.mkdirSync(path.join(dir, 'home'));
  fs.mkdirSync(path.join(dir, 'claude-config'));
  return path.join(dir, 'state');
}

/** A secret of the given kind, made at run time (never committed). */
export function makeSecret(kind: 'api' | 'oat' | 'ort', length = 108): string {
  const prefix = `sk-ant-${kind}01-`.replace('api01', 'api03');
  let body = '';
  while (body.length < length - prefix.length) body += randomBytes(64).toString('base64url');
  return prefix + body.slice(0, length - prefix.length - 2) + 'AA';
}

export function storePath(stateDir: string, agent = 'main'): string {
  return path.join(stateDir, 'agents', agent, 'agent', 'auth-profiles.json');
}

/** clawdia's check results beside the agent's store (issue 10: the gateway drops them from the store). */
export function checksPath(stateDir: string, agent = 'main'): string {
  return path.join(stateDir, 'agents', agent, 'agent', 'clawdia-checks.json');
}

/** The recorded checks by profile id: `{credential, at, verdict, …}`. */
export function readChecks(stateDir: string, agent = 'main'): Record<string, any> {
  return JSON.parse(fs.readFileSync(checksPath(stateDir, agent), 'utf8')).checks;
}

export function configPath(stateDir: string): string {
  return path.join(stateDir, 'clawdia.json');
}

export function writeJson(file: string, value: unknown, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2), { mode });
  fs.chmodSync(file, mode);
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Bytes of every file under dir (for "byte-for-byte intact" checks). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/** Every 16-char run of each secret; a leak of any of them fails the scan. */
export function findLeaks(text: string, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const s of secrets) {
    for (let i = 0; i + 16 <= s.length; i++) {
      const run = s.slice(i, i + 16);
      // Skip runs that are mostly the public kind prefix (shown in fingerprints by design).
      if (i < 'sk-ant-oat01-'.length) continue;
      if (text.includes(run)) {
        leaks.push(`${s.slice(0, 13)}… run at ${i}`);
        break;
      }
    }
  }
  return leaks;
}
