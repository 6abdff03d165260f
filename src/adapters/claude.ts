// The ClaudeCli port, composed: find Claude Code (claude/locate.ts), read its stored login
// (claude/login.ts, claude/keychain.ts), ask `claude auth status`, and run `claude setup-token` in a
// pseudo-terminal clawdia owns (claude/session.ts, reading its screen with claude/screen.ts).
// This file only builds the child's environment and wires the pieces to the port; it stays here
// (not claude/index.ts) so `./adapters/claude.js` imports keep working under NodeNext resolution.
//
// execa is imported lazily (≈ 80 ms): `locate()` and `readLogin()` without the Keychain run no child.
// Nothing here puts a secret, or a child's raw output, into a message or an event.
import type { ClaudeAuthStatus, ClaudeCli, ClaudeLogin, Env, SetupTokenEvent, SetupTokenSession } from '../ports.js';
import { readKeychainLogin } from './claude/keychain.js';
import { locateClaude } from './claude/locate.js';
import { readAuthStatus, readLoginFile } from './claude/login.js';
import { runSetupToken } from './claude/session.js';

export interface ClaudeCliOptions {
  platform?: NodeJS.Platform;
  /**
   * The environment children get (the Env port can only look names up, not list them).
   * Default `process.env`. PATH, HOME and CLAUDE_CONFIG_DIR from `env` are laid over it, so the
   * child sees the same Claude Code directory `readLogin()` reads.
   */
  childEnv?: NodeJS.ProcessEnv;
  /** SIGTERM → SIGKILL grace when stopping the setup-token child. Default 1000 ms. */
  killGraceMs?: number;
}

export function createClaudeCli(env: Env, opts: ClaudeCliOptions = {}): ClaudeCli {
  const platform = opts.platform ?? process.platform;
  const killGraceMs = opts.killGraceMs ?? 1000;

  const childEnv = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.childEnv ?? process.env)) if (v !== undefined) out[k] = v;
    for (const name of ['PATH', 'HOME', 'CLAUDE_CONFIG_DIR']) {
      const v = env.get(name);
      if (v !== undefined) out[name] = v;
    }
    return out;
  };

  const locate = (): string | null => locateClaude(env, platform);

  const readLogin = async (o: { keychain?: boolean } = {}): Promise<ClaudeLogin | null> => {
    const login = await readLoginFile(env);
    if (login) return login;
    if (platform !== 'darwin' || !o.keychain) return null;
    return readKeychainLogin(childEnv());
  };

  const authStatus = async (timeoutMs: number): Promise<ClaudeAuthStatus | null> => readAuthStatus(locate(), childEnv(), timeoutMs);

  const startSetupToken = (o: { timeoutMs: number; onEvent: (e: SetupTokenEvent) => void }): SetupTokenSession =>
    runSetupToken({ bin: locate(), platform, env: childEnv, timeoutMs: o.timeoutMs, onEvent: o.onEvent, killGraceMs });

  return { locate, readLogin, authStatus, startSetupToken };
}
