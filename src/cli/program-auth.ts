// `clawdia models auth …`: the branch of the commander tree that adds, replaces, orders and removes
// credentials. Each action loads its command (commands/*) with a lazy `await import()`.
import type { Command } from 'commander';
import { parseExpiresIn } from '../core/duration.js';
import { providerOption, setupTokenTimeoutOption, withRemoteFlags, withWriteFlags, writeFlags } from './parsers.js';
import { type Run, withRemote } from './actions.js';

/** Adds `auth` and its commands under `models`; returns the groups (for exitOverride and suggestions). */
export function addAuthCommands(models: Command, run: Run): Command[] {
  const auth = models.command('auth').description('add, replace, order and remove credentials');
  withRemoteFlags(withWriteFlags(auth.command('setup-token')))
    .description('run `claude setup-token`, capture the token, validate it, store it as anthropic:claude-cli')
    .addOption(providerOption())
    .addOption(setupTokenTimeoutOption())
    .addHelpText(
      'after',
      `\nExamples:\n  clawdia models auth setup-token\n  clawdia models auth setup-token --agent work --yes\n  clawdia models auth setup-token --remote admin@gateway     sign in here, store it on the gateway\n\nNeeds a terminal. On a host without a browser, run \`claude setup-token\` elsewhere and use paste-token.`,
    )
    .action(async (o: Record<string, unknown>) => {
      await run(async (ctx) => {
        if (o.remote !== undefined)
          return withRemote(o, (m, r, ssh) => m.runRemoteSetupToken({ ...writeFlags(o), setupTokenTimeoutMs: o.setupTokenTimeout as number, ...r }, ctx, ssh));
        const { runSetupToken } = await import('../commands/setup-token.js');
        return runSetupToken({ ...writeFlags(o), setupTokenTimeoutMs: o.setupTokenTimeout as number }, ctx);
      })();
    });
  for (const kind of ['token', 'api_key'] as const) {
    const name = kind === 'token' ? 'paste-token' : 'paste-api-key';
    const c = auth
      .command(name)
      .description(
        kind === 'token'
          ? 'store a setup-token (sk-ant-oat…) made with `claude setup-token`, e.g. on another machine (default id anthropic:claude-cli)'
          : 'store an Anthropic API key (sk-ant-api…) from the Console (default id anthropic:default)',
      )
      .addOption(providerOption())
      .option('--token-stdin', 'read the secret from stdin (the default when stdin is not a terminal)');
    if (kind === 'token') c.option('--expires-in <duration>', 'token lifetime, e.g. 365d, 12h (default 365d)');
    else c.option('--check-billing', 'one billed 1-token request that sees the balance (costs a fraction of a cent)');
    withRemoteFlags(withWriteFlags(c))
      .addHelpText(
        'after',
        kind === 'token'
          ? `\nExamples:\n  clawdia models auth paste-token --provider anthropic            masked prompt\n  printf '%s' "$TOKEN" | clawdia models auth paste-token --provider anthropic --agent work\n  clawdia models auth paste-token --profile-id anthropic:work --expires-in 30d\n  printf '%s' "$TOKEN" | clawdia models auth paste-token --remote admin@gateway --json`
          : `\nExamples:\n  clawdia models auth paste-api-key --provider anthropic          masked prompt\n  printf '%s' "$ANTHROPIC_API_KEY" | clawdia models auth paste-api-key --provider anthropic --json`,
      )
      .action(async (o: Record<string, unknown>) => {
        let expiresInMs: number | undefined;
        // Checked before anything is read or written.
        if (o.expiresIn !== undefined) expiresInMs = parseExpiresIn(String(o.expiresIn));
        await run(async (ctx) => {
          if (o.remote !== undefined) {
            return withRemote(o, (m, r, ssh) =>
              m.runRemotePaste({ ...writeFlags(o), kind, expiresInMs, ...r }, o.tokenStdin ? { ...ctx, interactive: false } : ctx, ssh),
            );
          }
          const { runPaste } = await import('../commands/paste.js');
          return runPaste({ ...writeFlags(o), kind, expiresInMs }, o.tokenStdin ? { ...ctx, interactive: false } : ctx);
        })();
      });
  }
  withWriteFlags(auth.command('sync-claude-cli'))
    .description("copy Claude Code's current login on this host into anthropic:claude-cli (type oauth)")
    .addOption(providerOption())
    .addHelpText(
      'after',
      `\nExamples:\n  clawdia models auth sync-claude-cli\n  claude && clawdia models auth sync-claude-cli --agent work     after Claude Code refreshed its login`,
    )
    .action(async (o: Record<string, unknown>) => {
      await run(async (ctx) => {
        const { runSyncClaudeCli } = await import('../commands/sync-claude-cli.js');
        return runSyncClaudeCli(writeFlags(o), ctx);
      })();
    });
  const order = auth.command('order').description("get or set the order in which an agent's profiles are tried");
  for (const action of ['get', 'set'] as const) {
    order
      .command(action)
      .description(action === 'get' ? 'print the effective order' : 'set the order (profiles not listed are tried after)')
      .argument(action === 'get' ? '[ids...]' : '<ids...>', 'profile ids, first is tried first')
      .addOption(providerOption())
      .option('--agent <id>', 'agent (default: the default agent)')
      .option('--json', 'JSON output')
      .addHelpText(
        'after',
        action === 'get'
          ? `\nExamples:\n  clawdia models auth order get --provider anthropic\n  clawdia models auth order get --provider anthropic --agent work --json`
          : `\nExamples:\n  clawdia models auth order set --provider anthropic anthropic:claude-cli anthropic:default`,
      )
      .action(async (ids: string[], o: Record<string, unknown>) => {
        await run(async (ctx) => {
          const { runOrder } = await import('../commands/order.js');
          return runOrder({ action, ids: ids ?? [], agent: o.agent as string | undefined, provider: o.provider as string, json: !!o.json }, ctx);
        })();
      });
  }
  auth
    .command('clear-cooldown')
    .description('clear rate-limit cooldowns and disabled marks (one profile, or all of the agent)')
    .option('--profile-id <id>', 'only this profile')
    .option('--agent <id>', 'agent (default: the default agent)')
    .addHelpText('after', `\nExamples:\n  clawdia models auth clear-cooldown\n  clawdia models auth clear-cooldown --profile-id anthropic:default --agent work`)
    .action(async (o: Record<string, unknown>) => {
      await run(async (ctx) => {
        const { runClearCooldown } = await import('../commands/clear-cooldown.js');
        return runClearCooldown({ agent: o.agent as string | undefined, profileId: o.profileId as string | undefined }, ctx);
      })();
    });
  auth
    .command('remove')
    .description("remove a profile from an agent's store")
    .argument('<profileId>', 'e.g. anthropic:work')
    .option('--agent <id>', 'agent (default: the default agent)')
    .addHelpText('after', `\nExamples:\n  clawdia models auth remove anthropic:work\n  clawdia models auth remove anthropic:default --agent old-bot`)
    .action(async (id: string, o: Record<string, unknown>) => {
      await run(async (ctx) => {
        const { runRemove } = await import('../commands/remove.js');
        return runRemove({ profileId: id, agent: o.agent as string | undefined }, ctx);
      })();
    });
  return [auth, order];
}
