// `clawdia models auth clear-cooldown`: clears rate-limit cooldowns and disabled marks, of one
// profile or of every profile of the agent.
import { ClawdiaError } from '../core/errors.js';
import { checkProfileId } from '../core/paths.js';
import { clearCooldown } from '../core/save.js';
import { agentFlagFor, resolveAgent } from './auth-common.js';
import type { CommandContext } from './context.js';
import type { ClearCooldownOptions } from './options.js';

export async function runClearCooldown(opts: ClearCooldownOptions, ctx: CommandContext): Promise<number> {
  const agent = resolveAgent(ctx, opts.agent);
  if (opts.profileId) checkProfileId(opts.profileId);
  let cleared: string[] = [];
  await ctx
    .critical(() =>
      ctx.ports.state.update([agent], (draft) => {
        const store = draft.stores[agent]!;
        if (opts.profileId && !(opts.profileId in store.profiles)) {
          throw new ClawdiaError(`No profile ${opts.profileId} for agent ${agent}.`, {
            hint: `See what is stored: clawdia models status${agentFlagFor(ctx, agent)}`,
          });
        }
        cleared = clearCooldown(store, opts.profileId);
        if (cleared.length === 0) throw new NothingToDo();
      }),
    )
    .catch((e) => {
      if (!(e instanceof NothingToDo)) throw e;
    });
  ctx.out(
    cleared.length
      ? `Cleared cooldown for ${cleared.join(', ')} (agent ${agent}).`
      : `Nothing to clear: no profile of agent ${agent} is cooling down or disabled.`,
  );
  return 0;
}

class NothingToDo extends Error {}
