// What a commander action needs to run a command: `Run` (the context built on first use, the exit
// code kept) and `withRemote` (the `--remote` variants, with the ssh adapter). Shared by
// program.ts and program-auth.ts.
import { createEnv } from '../adapters/system.js';
import type { CommandContext } from '../commands/context.js';
import type { SshClient } from '../ports.js';

/** Wraps a command for an action: builds the context on first use and keeps the command's exit code. */
export type Run = (fn: (ctx: CommandContext) => Promise<number>) => () => Promise<void>;

/** `--remote <dest>`: loads the remote commands and the ssh adapter, and hands them the destination. */
export async function withRemote<T>(
  o: Record<string, unknown>,
  fn: (m: typeof import('../commands/remote-wizard.js'), r: { remote: string; remoteCommand?: string }, ssh: SshClient) => Promise<T>,
): Promise<T> {
  const [m, { createSsh }] = await Promise.all([import('../commands/remote-wizard.js'), import('../adapters/ssh.js')]);
  return fn(m, { remote: o.remote as string, ...(o.remoteCommand !== undefined ? { remoteCommand: o.remoteCommand as string } : {}) }, createSsh(createEnv()));
}
