// `clawdia agents list [--json]`: every listed agent with its profile count.
import { defaultAgent, listAgents } from '../core/migration.js';
import type { CommandContext } from './context.js';

export async function runAgentsList(opts: { json: boolean }, ctx: CommandContext): Promise<number> {
  const { state } = ctx.ports;
  const { config } = state.readConfig();
  const def = defaultAgent(config);
  const rows = listAgents(config).map((id) => {
    let profiles: number | null = null;
    let error: string | undefined;
    let storePath: string | null = null;
    try {
      // An id that is not a valid agent id (hand-edited config) has no store path: that agent is
      // reported, the others are still listed.
      storePath = state.paths.storePath(id);
      profiles = Object.keys(state.readStore(id).store.profiles).length;
    } catch (e) {
      error =
        storePath === null
          ? `${state.paths.configPath}: agents.list holds ${(e as Error).message.replace(/^Invalid agent id/, 'an invalid agent id').replace(/\.$/, '')}; fix or remove it there.`
          : (e as Error).message;
    }
    return { id, default: id === def, profiles, storePath, ...(error ? { error } : {}) };
  });
  // A store that cannot be read is listed, and fails the command (exit 1) with its error on stderr.
  const broken = rows.filter((r) => r.error !== undefined);
  for (const r of broken) ctx.err(`error: ${r.error}`);
  const code = broken.length ? 1 : 0;
  if (opts.json) {
    ctx.out(JSON.stringify({ agents: rows }, null, 2));
    return code;
  }
  if (rows.length === 0) {
    ctx.out('No agents yet. Create one: clawdia onboard   (or clawdia onboard --agent <id>)');
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.id.length), 5);
  for (const r of rows) {
    const count =
      r.profiles === null
        ? r.storePath === null
          ? 'invalid agent id (see the error above)'
          : `unreadable store: ${r.error}`
        : `${r.profiles} profile${r.profiles === 1 ? '' : 's'}`;
    ctx.out(`${r.id.padEnd(w)}  ${count}${r.default ? '  (default)' : ''}`);
  }
  return code;
}
