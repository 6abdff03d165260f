// `clawdia models auth order get | set`: the order in which an agent's profiles are tried. `get`
// prints the gateway's effective order (core/gateway.ts); `set` writes the agent's own order.
import { ClawdiaError, UsageError } from '../core/errors.js';
import { checkProfileId } from '../core/paths.js';
import { effectiveOrder } from '../core/save.js';
import { resolveProvider } from '../core/gateway.js';
import { agentFlagFor, resolveAgent } from './auth-common.js';
import type { CommandContext } from './context.js';
import type { OrderOptions } from './options.js';

export async function runOrder(opts: OrderOptions, ctx: CommandContext): Promise<number> {
  const { action, ids } = opts;
  const agent = resolveAgent(ctx, opts.agent);
  const { config } = ctx.ports.state.readConfig();
  if (action === 'get') {
    if (ids.length) throw new UsageError('order get takes no profile ids.', 'Did you mean: clawdia models auth order set --provider anthropic <ids…>');
    const { store } = ctx.ports.state.readStore(agent);
    const { explicit } = effectiveOrder(config, store, opts.provider);
    // `effective`: the gateway's try order (core/gateway.ts), what it actually does with the files.
    const all = resolveProvider(config, store, opts.provider, ctx.ports.clock.now()).order;
    const fromStore = !!store.order?.[opts.provider];
    if (opts.json) {
      ctx.out(
        JSON.stringify(
          {
            agent,
            provider: opts.provider,
            order: explicit,
            effective: all,
            source: fromStore ? 'store' : config.auth?.order?.[opts.provider] ? 'config' : 'none',
          },
          null,
          2,
        ),
      );
    } else {
      ctx.out(all.length ? all.join('\n') : `(no ${opts.provider} profiles the gateway would try for agent ${agent})`);
      if (!fromStore && all.length) {
        ctx.err(
          `note: agent ${agent} has no order of its own; this is ${config.auth?.order?.[opts.provider] ? "the config's order" : 'how the gateway ranks them (oauth > token > api_key, then least recently used)'}.`,
        );
      }
    }
    return 0;
  }
  if (ids.length === 0)
    throw new UsageError(
      'order set needs at least one profile id.',
      'Example: clawdia models auth order set --provider anthropic anthropic:claude-cli anthropic:default',
    );
  for (const id of ids) {
    const { provider } = checkProfileId(id);
    if (provider !== opts.provider) throw new UsageError(`${id} is not a ${opts.provider} profile.`);
  }
  if (new Set(ids).size !== ids.length) throw new UsageError('A profile id is listed twice.');
  // The gateway merges main's profiles into every agent's view, so another agent's order may name them.
  const { state } = ctx.ports;
  const main = state.paths.storePath(agent) === state.paths.mainStorePath ? null : state.readMainStore();
  await ctx.critical(() =>
    ctx.ports.state.update([agent], (draft) => {
      const store = draft.stores[agent]!;
      const absent = ids.filter((id) => !(id in store.profiles) && !(main && id in main.store.profiles));
      if (absent.length) {
        throw new ClawdiaError(`Not in agent ${agent}'s store${main ? " nor in main's" : ''}: ${absent.join(', ')}.`, {
          hint: `See what is stored: clawdia models status${agentFlagFor(ctx, agent)}`,
        });
      }
      store.order = { ...(store.order ?? {}), [opts.provider]: ids };
    }),
  );
  ctx.out(`Order for agent ${agent} (${opts.provider}): ${ids.join(', ')}`);
  return 0;
}
