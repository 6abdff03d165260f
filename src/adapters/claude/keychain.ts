// macOS: Claude Code's login in the Keychain (service `Claude Code-credentials`), read with
// `security find-generic-password -w`. The secret comes back on stdout only: never in argv, never shown.
import type { ClaudeLogin } from '../../ports.js';
import { parseLogin } from './login.js';

export const KEYCHAIN_SERVICE = 'Claude Code-credentials';

/** The login stored in the Keychain; null when there is none or `security` fails. */
export async function readKeychainLogin(childEnv: Record<string, string>): Promise<ClaudeLogin | null> {
  try {
    const { execa } = await import('execa');
    // The secret comes back on stdout only; it is never in argv, and stdout is never shown.
    const r = await execa('security', ['find-generic-password', '-s', KEYCHAIN_SERVICE, '-w'], {
      reject: false,
      timeout: 10_000,
      stdin: 'ignore',
      env: childEnv,
      extendEnv: false,
    });
    if (r.exitCode !== 0 || typeof r.stdout !== 'string') return null;
    return parseLogin(r.stdout, 'keychain', KEYCHAIN_SERVICE);
  } catch {
    return null;
  }
}
