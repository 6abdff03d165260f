// `clawdia models auth remove <profileId>`: removes a profile from an agent's store (and its
// declaration in the config, unless another agent still holds it).
import { ClawdiaError } from '../core/errors.js';
import { fingerprint } from '../core/credentials.js';
import { listAgents } from '../core/migration.js';
import { checkProfileId } from '../core/paths.js';
import { removeProfile } from '../core/save.js';
import { credentialSecret } from '../core/types.js';
import { agentFlagFor, resolveAgent } from './auth-common.js';
import type { CommandContext } from './context.js';
import type { RemoveOptions } from './options.js';

export async function runRemove(opts: RemoveOptions, ctx: CommandContext): Promise<number> {
  const { profileId } = opts;
  const agent = resolveAgent(ctx, opts.agent);
  checkProfileId(profileId);
  let fp = '';
  await ctx.critical(() =>
    ctx.ports.state.update([agent], (draft) => {
      const store = draft.stores[agent]!;
      const cred = store.profiles[profileId];
      if (!cred)
        throw new ClawdiaError(`No profile ${profileId} for agent ${agent}; nothing was removed.`, {
          hint: `See what is stored: clawdia models status${agentFlagFor(ctx, agent)}`,
        });
      fp = fingerprint(credentialSecret(cred));
      // Read the other agents' stores here, under the config lock every writer takes first: read
      // before it, another agent could gain this profile meanwhile and lose its declaration.
      const heldElsewhere = listAgents(draft.config)
        .filter((a) => a !== agent)
        .some((a) => {
          try {
            return profileId in ctx.ports.state.readStore(a).store.profiles;
          } catch {
            return true; // unreadable: keep the declaration, to be safe
          }
        });
      removeProfile(draft.config, store, profileId, heldElsewhere);
    }),
  );
  ctx.out(`Removed ${profileId} (${fp}) from agent ${agent}.`);
  return 0;
}
