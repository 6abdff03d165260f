// The commander tree: every command, its options, help text and examples, and its action — a lazy
// `await import()` of the command's file (commands/*), except `models status`, which is on the
// static path (see cli.ts). Only the branch of the tree that argv selects is built (`branches`).
// The `models auth` branch is in program-auth.ts.
import { Command, CommanderError, Option } from 'commander';
import { runStatus } from '../commands/status.js';
import type { CommandContext } from '../commands/context.js';
import type { AuthChoice } from '../commands/options.js';
import { UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { makeContext, makePorts } from './context.js';
import { guardAction, insecureBaseOption, modelId, setupTokenTimeoutOption, timeoutOption, withRemoteFlags, withWriteFlags, writeFlags } from './parsers.js';
import { type Run, withRemote } from './actions.js';
import { addAuthCommands } from './program-auth.js';
import { writeOut } from './stdout.js';

/**
 * Which branches of the command tree to build. Constructing every command and option costs ≈ 2 ms —
 * as much as `models status` does itself — so a known command path builds only its own branch.
 * Anything else (no arguments, help, a typo) builds the whole tree, so help output and "did you
 * mean" suggestions stay the same.
 */
function branches(args: string[]) {
  const top = args[0] === 'onboard' || args[0] === 'models' || args[0] === 'agents' ? args[0] : undefined;
  const sub = top === 'models' && (args[1] === 'status' || args[1] === 'auth') ? args[1] : undefined;
  return {
    onboard: !top || top === 'onboard',
    models: !top || top === 'models',
    status: !sub || sub === 'status',
    auth: !sub || sub === 'auth',
    agents: !top || top === 'agents',
  };
}

/** Parse argv, run the command it names; its exit code (commander's usage errors: 2). */
export async function dispatch(args: string[], version: string): Promise<number> {
  let ctxPromise: Promise<CommandContext> | undefined;
  let plain = false;
  /** --allow-insecure-base-url, as the running command gave it (read by the validator when it loads). */
  let allowInsecureBaseUrl = false;
  const context = () => (ctxPromise ??= makePorts(() => allowInsecureBaseUrl).then((p) => makeContext(p, plain)));
  let result = 0;
  const run: Run = (fn) => async () => {
    result = await fn(await context());
  };

  const program = new Command('clawdia')
    .description('Onboard, check and fix the Anthropic credentials of the agents on this host.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => writeOut(redact(s)),
      writeErr: (s) => process.stderr.write(s),
      // Commander quotes the offending argument whole (`unknown option '--token=sk-ant-…'`).
      outputError: (s, write) => write(redact(s)),
    })
    .addHelpText(
      'after',
      `
Examples:
  clawdia onboard                                  guided setup for the default agent
  clawdia onboard --agent work                     set up (or fix) another agent
  clawdia models status                            what each agent holds, and whether it works
  clawdia models status --check || alert           exit 0 ok, 1 broken, 2 expiring within 24 h
  printf '%s' "$KEY" | clawdia models auth paste-api-key --provider anthropic
  clawdia models auth setup-token                  run \`claude setup-token\` and store the token

Environment: CLAWDIA_STATE_DIR (default ~/.clawdia), ANTHROPIC_BASE_URL, CLAWDIA_CLAUDE_BIN,
CLAUDE_CONFIG_DIR, NO_COLOR, CLAWDIA_DEBUG=1. Docs: README.md.`,
    );

  program.hook('preAction', (_root, action) => {
    const allow = guardAction(action);
    if (allow !== null) allowInsecureBaseUrl = allow;
  });

  // Only the branch of the tree that argv selects is built (see `branches`); commander still parses all of argv.
  const tree = branches(args);
  const groups = [program];
  if (tree.onboard) {
    withRemoteFlags(withWriteFlags(program.command('onboard')))
      .description('the interactive wizard: choose a method, validate the credential, store it for an agent')
      .addOption(
        new Option('--auth-choice <method>', 'api-key | setup-token | paste-token | claude-cli').choices([
          'api-key',
          'setup-token',
          'paste-token',
          'claude-cli',
        ]),
      )
      .addOption(new Option('--model <id>', 'default model (API keys), e.g. claude-opus-4-5').argParser(modelId))
      .addOption(new Option('--cache-ttl <ttl>', 'prompt-cache TTL for API keys').choices(['5m', '1h']))
      .addOption(setupTokenTimeoutOption())
      .option('--dry-run', 'show everything, write nothing')
      .option('--non-interactive', 'take every answer from flags, env or stdin')
      .option('--plain', 'linear, numbered, no animation (screen readers; also TERM=dumb)')
      .option('--token-stdin', 'read the secret from stdin (non-interactive)')
      .option('--copy-from <agent>', "copy another agent's profiles into this one first")
      .option('--check-billing', 'API keys: one billed 1-token request that sees the balance (costs a fraction of a cent)')
      .addHelpText(
        'after',
        `
Examples:
  clawdia onboard                                         the wizard
  clawdia onboard --plain                                 one question per line, numbered choices
  printf '%s' "$KEY" | clawdia onboard --non-interactive --auth-choice api-key --token-stdin --cache-ttl 1h
  ANTHROPIC_API_KEY=… clawdia onboard --non-interactive --agent work --json
  printf '%s' "$TOKEN" | clawdia onboard --non-interactive --auth-choice paste-token --token-stdin
  clawdia onboard --non-interactive --auth-choice claude-cli     reuse Claude Code's login on this host
  clawdia onboard --remote admin@gateway                  sign in here, store it on the gateway (over ssh)`,
      )
      .action(async (o: Record<string, unknown>) => {
        plain = !!o.plain;
        if (o.cacheTtl && (o.authChoice === 'setup-token' || o.authChoice === 'paste-token' || o.authChoice === 'claude-cli')) {
          throw new UsageError('--cache-ttl applies to API keys only (OAuth and setup-tokens ignore the cache TTL).');
        }
        await run(async (ctx) => {
          const { runOnboard } = await import('../commands/onboard.js');
          const onboardOpts = {
            ...writeFlags(o),
            authChoice: o.authChoice as AuthChoice | undefined,
            model: o.model as string | undefined,
            cacheTtl: o.cacheTtl as '5m' | '1h' | undefined,
            setupTokenTimeoutMs: o.setupTokenTimeout as number,
            dryRun: !!o.dryRun,
            nonInteractive: !!o.nonInteractive,
            plain: !!o.plain,
            tokenStdin: !!o.tokenStdin,
            copyFrom: o.copyFrom as string | undefined,
          };
          if (o.remote !== undefined) return withRemote(o, (m, r, ssh) => m.runRemoteOnboard({ ...onboardOpts, ...r }, ctx, ssh));
          return runOnboard(onboardOpts, ctx);
        })();
      });
  }

  if (tree.models) {
    const models = program.command('models').description('model credentials: status and auth');
    groups.push(models);
    if (tree.status) {
      models
        .command('status')
        .description('show each profile: kind, fingerprint, state, expiry, cooldown, last check, fix (read-only)')
        .option('--agent <id>', 'agent to show (default: the default agent)')
        .option('--all-agents', 'every agent (for cron)')
        .option('--json', 'stable JSON (schemaVersion 1), no secrets')
        .option('--check', 'exit 0 all good, 1 no/expired/invalid/unusable, 2 expiring within 24 h')
        .option('--probe', 'check every profile live now (writes nothing)')
        .option('--spend', 'with --probe: one billed 1-token request per API key, which sees the balance (a fraction of a cent each)')
        .addOption(timeoutOption())
        .addOption(insecureBaseOption())
        .addHelpText(
          'after',
          `
Examples:
  clawdia models status
  clawdia models status --agent work --probe
  clawdia models status --json | jq '.auth.profiles[] | {profileId, state}'
  clawdia models status --all-agents --check >/dev/null || echo "fix credentials"`,
        )
        .action(async (o: Record<string, unknown>) => {
          await run(async (ctx) => {
            return runStatus(
              {
                agent: o.agent as string | undefined,
                allAgents: !!o.allAgents,
                json: !!o.json,
                check: !!o.check,
                probe: !!o.probe,
                spend: !!o.spend,
                timeoutMs: o.timeout as number,
              },
              ctx,
            );
          })();
        });
    }
    if (tree.auth) groups.push(...addAuthCommands(models, run));
  }

  if (tree.agents) {
    const agents = program.command('agents').description('the agents on this host');
    groups.push(agents);
    agents
      .command('list')
      .description('every agent with its profile count')
      .option('--json', 'JSON output')
      .addHelpText('after', `\nExamples:\n  clawdia agents list\n  clawdia agents list --json | jq -r '.agents[].id'`)
      .action(async (o: Record<string, unknown>) => {
        await run(async (ctx) => {
          const { runAgentsList } = await import('../commands/agents.js');
          return runAgentsList({ json: !!o.json }, ctx);
        })();
      });
  }

  for (const c of groups) {
    c.exitOverride();
    c.showSuggestionAfterError(true);
  }
  if (args.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e.code === 'commander.executeSubCommandAsync') return 1;
      // Commander already printed "error: …" on stderr.
      return 2;
    }
    throw e;
  }
  return result;
}
