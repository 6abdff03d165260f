// What Claude Code knows about its own login: the OAuth login it stores in
// `$CLAUDE_CONFIG_DIR/.credentials.json` (default `~/.claude`), and what `claude auth status --json`
// says. The parsers keep only the fields clawdia uses and never quote the text (it holds secrets).
// execa is imported lazily: reading the file runs no child.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClaudeAuthStatus, ClaudeLogin, Env } from '../../ports.js';

export const claudeDir = (env: Env): string => env.get('CLAUDE_CONFIG_DIR') || join(env.get('HOME') || homedir(), '.claude');

/** The login in Claude Code's credentials file; null when the file is missing or holds none. */
export async function readLoginFile(env: Env): Promise<ClaudeLogin | null> {
  const file = join(claudeDir(env), '.credentials.json');
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    const login = parseLogin(text, 'file', file);
    if (login) return login;
  }
  return null;
}

/** `claude auth status --json` run by `bin`; null when it is missing, times out or answers nonsense. */
export async function readAuthStatus(bin: string | null, childEnv: Record<string, string>, timeoutMs: number): Promise<ClaudeAuthStatus | null> {
  if (!bin) return null;
  try {
    const { execa } = await import('execa');
    const r = await execa(bin, ['auth', 'status', '--json'], {
      reject: false,
      timeout: timeoutMs,
      forceKillAfterDelay: 500,
      stdin: 'ignore',
      env: childEnv,
      extendEnv: false,
    });
    if (r.timedOut || r.exitCode === undefined || typeof r.stdout !== 'string') return null;
    return parseAuthStatus(r.stdout);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------- parsing

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which is a secret here: say nothing.
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** `{claudeAiOauth:{accessToken, refreshToken, expiresAt, scopes, subscriptionType}}`; anything else → null. */
export function parseLogin(text: string, source: ClaudeLogin['source'], location: string): ClaudeLogin | null {
  const root = parseJson(text.trim());
  if (!isRecord(root) || !isRecord(root.claudeAiOauth)) return null;
  const o = root.claudeAiOauth;
  const accessToken = str(o.accessToken);
  if (!accessToken) return null;
  const login: ClaudeLogin = { source, location, accessToken };
  const refreshToken = str(o.refreshToken);
  if (refreshToken) login.refreshToken = refreshToken;
  const exp = typeof o.expiresAt === 'string' && /^\d+$/.test(o.expiresAt.trim()) ? Number(o.expiresAt) : o.expiresAt;
  if (typeof exp === 'number' && Number.isFinite(exp) && exp > 0) login.expiresAt = exp;
  const sub = str(o.subscriptionType);
  if (sub) login.subscriptionType = sub;
  if (Array.isArray(o.scopes)) login.scopes = o.scopes.filter((s): s is string => typeof s === 'string');
  return login;
}

export function parseAuthStatus(stdout: string): ClaudeAuthStatus | null {
  const v = parseJson(stdout.trim());
  if (!isRecord(v) || typeof v.loggedIn !== 'boolean') return null;
  const status: ClaudeAuthStatus = { loggedIn: v.loggedIn };
  const authMethod = str(v.authMethod);
  if (authMethod) status.authMethod = authMethod;
  const email = str(v.email);
  if (email) status.email = email;
  const sub = str(v.subscriptionType);
  if (sub) status.subscriptionType = sub;
  return status;
}
