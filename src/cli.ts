// argv → command. The only composition root: picks the real adapters, owns SIGINT/SIGTERM/SIGHUP
// for the life of the process, maps results and errors to exit codes (SPEC §5).
// Static imports are what every command needs (commander, the state/env/Claude Code adapters:
// small, and their heavy libraries — conf, proper-lockfile, execa — load lazily inside them) and
// `models status`, which must answer as fast as `node -e 0` allows (SPEC §8; a dynamic import
// costs ≈ 2 ms more, measured); they land in this chunk instead of a chain of small ones. Every
// other command, the validator (the SDK) and the UI load on demand. `--version` never gets here:
// bin/clawdia.js answers it.
import { writeSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { createClaudeCli } from './adapters/claude.js';
import { createStateStore } from './adapters/state.js';
import { createClock, createEnv } from './adapters/system.js';
import { runStatus } from './commands/status.js';
import { ClawdiaError, redactSecrets, UsageError } from './core/errors.js';
import { resolveStateDir } from './core/paths.js';
import type { CommandContext } from './commands/context.js';
import { DEFAULT_SETUP_TOKEN_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, type AuthChoice, type WriteFlags } from './commands/options.js';
import type { Ports } from './ports.js';

declare const __CLAWDIA_VERSION__: string;
const VERSION = typeof __CLAWDIA_VERSION__ === 'string' ? __CLAWDIA_VERSION__ : '0.0.0-dev';

const argv = process.argv.slice(2);

// process.stdout costs 2–3 ms to create (a net.Socket or tty.WriteStream, with the stream
// machinery behind it); a command that only prints text does not need it. Until something asks for
// the stream, `ctx.out` writes to fd 1 directly; after that, everything goes through the stream
// (so output stays in order), and only then does exit wait for it to drain.
let stdoutStream = false;
{
  const d = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (d?.get && d.configurable) {
    const get = d.get;
    Object.defineProperty(process, 'stdout', {
      ...d,
      get: () => {
        const stream = get.call(process) as NodeJS.WriteStream;
        if (!stdoutStream) quietOnBrokenPipe(stream);
        stdoutStream = true;
        return stream;
      },
    });
  } else {
    stdoutStream = true;
    quietOnBrokenPipe(process.stdout);
  }
}

let stdoutClosed = false;
/** `clawdia … | head -1`: the reader went away; stop writing instead of dying with EPIPE's stack trace. */
function quietOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

function writeOut(text: string): void {
  if (stdoutClosed) return;
  if (!stdoutStream) {
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(1, buf, off);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
        stdoutClosed = true;
        return;
      }
      // EAGAIN (a non-blocking pipe is full), …: the stream handles it as it always did.
      process.stdout.write(buf.subarray(off));
      return;
    }
  }
  process.stdout.write(text);
}

await main(argv);

function envFlag(name: string): boolean {
  const v = process.env[name];
  return v !== undefined && v !== 'false' && v !== '0';
}

function makeContext(ports: Ports, plainFlag: boolean): CommandContext & { abort: AbortController } {
  const abort = new AbortController();
  let critical = 0;
  let pending: NodeJS.Signals | null = null;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const ci = envFlag('CI');
  const exitFor = (sig: string) => codes[sig] ?? 130;
  const onSignal = (sig: NodeJS.Signals) => {
    if (critical > 0) {
      pending = sig;
      return;
    }
    if (!abort.signal.aborted) abort.abort(sig);
    // A command that cannot notice the abort (blocked on a read) still ends; the wizard gets time
    // to stop `claude` and restore the terminal first.
    setTimeout(() => process.exit(exitFor(sig)), 2500).unref();
  };
  // One permanent listener per signal, for the life of the process (STYLE pitfall 2).
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return {
    abort,
    ports,
    // Getters: the streams are created on first use (creating process.stdin alone loads fs
    // streams, fs/promises and readline, ≈ 2 ms); `models status` never needs them.
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get interactive() {
      return !!process.stdin.isTTY && !!process.stdout.isTTY && !ci;
    },
    plain: plainFlag || process.env.TERM === 'dumb' || ci,
    get color() {
      return !process.env.NO_COLOR && !!process.stdout.isTTY;
    },
    signal: abort.signal,
    signalExitCode: () => exitFor(String(abort.signal.reason ?? 'SIGINT')),
    async critical(fn) {
      critical++;
      try {
        return await fn();
      } finally {
        critical--;
        if (critical === 0 && pending) {
          const sig = pending;
          pending = null;
          onSignal(sig);
        }
      }
    },
    out: (t) => writeOut(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  };
}

async function makePorts(): Promise<Ports> {
  const env = createEnv();
  const home = process.env.HOME ?? (await import('node:os')).homedir();
  let validator: import('./ports.js').Validator | undefined;
  return {
    state: createStateStore(resolveStateDir(process.env, home)),
    // The SDK adapter loads only when something is validated.
    validator: {
      async validate(req) {
        if (!validator) validator = (await import('./adapters/validator.js')).createValidator(env);
        return validator.validate(req);
      },
    },
    claude: createClaudeCli(env),
    env,
    clock: createClock(),
  };
}

function printError(e: unknown): number {
  if (e instanceof ClawdiaError) {
    process.stderr.write(`error: ${e.message}\n`);
    if (e.hint) process.stderr.write(`hint: ${e.hint}\n`);
    if (process.env.CLAWDIA_DEBUG === '1' && e.stack) process.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  // Unknown errors may carry a child's output or a file's text in their message: name them only.
  const err = e as NodeJS.ErrnoException;
  process.stderr.write(`error: unexpected failure (${err?.code ?? err?.name ?? 'unknown'}); nothing was written.\n`);
  process.stderr.write('hint: run again with CLAWDIA_DEBUG=1 for details, and report it if it persists.\n');
  if (process.env.CLAWDIA_DEBUG === '1' && err?.stack) process.stderr.write(err.stack + '\n');
  return 1;
}

/** `--model`: a model id (`claude-opus-4-5`, `anthropic/claude-opus-4-5-20251101`), never a credential. */
function modelId(v: string): string {
  if (/^sk-ant-/.test(v.trim())) {
    throw new UsageError('--model takes a model id (e.g. claude-opus-4-5), not a credential; secrets are read from stdin or env only.');
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/.test(v)) {
    throw new UsageError(`--model must be a model id like claude-opus-4-5, got ${JSON.stringify(v.slice(0, 40))}.`);
  }
  return v;
}

function int(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number of milliseconds from ${min} to ${max}, got ${JSON.stringify(v.slice(0, 20))}.`);
    }
    return n;
  };
}

async function main(args: string[]): Promise<void> {
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0'; // chalk ignores NO_COLOR (SPEC §9)
  let code: number;
  try {
    code = await dispatch(args);
  } catch (e) {
    code = printError(e);
  }
  process.exitCode = code;
  // Ink, prompts or sockets may keep handles open; the command is done.
  if (stdoutStream) await new Promise<void>((r) => process.stdout.write('', () => r()));
  process.exit(code);
}

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

async function dispatch(args: string[]): Promise<number> {
  let ctxPromise: Promise<CommandContext> | undefined;
  let plain = false;
  const context = () => (ctxPromise ??= makePorts().then((p) => makeContext(p, plain)));
  let result = 0;
  const run = (fn: (ctx: CommandContext) => Promise<number>) => async () => {
    result = await fn(await context());
  };

  const timeout = () => new Option('--timeout <ms>', 'deadline for the live check, in ms').default(DEFAULT_TIMEOUT_MS).argParser(int('--timeout', 100, 600_000));
  const provider = () =>
    new Option('--provider <name>', 'provider (only anthropic)').default('anthropic').argParser((v: string) => {
      if (v !== 'anthropic') throw new UsageError(`Unknown provider "${v}".`, 'Only --provider anthropic is supported.');
      return v;
    });
  const writeFlags = (c: InstanceType<typeof Command>) =>
    c
      .option('--agent <id>', 'agent to write to (default: the default agent, usually main)')
      .option('--profile-id <id>', 'profile id, e.g. anthropic:work')
      .addOption(timeout())
      .option('--skip-validation', 'store without the live check (marked unverified)')
      .option('--save-unverified', 'keep a credential whose check ended forbidden/unavailable/offline')
      .option('--yes', 'replace an existing profile without asking')
      .option('--json', 'print only a JSON summary on stdout (no secrets)')
      .option('--verbose', 'the summary with every field, the config written and the file paths');
  const flags = (o: Record<string, unknown>): WriteFlags => ({
    agent: o.agent as string | undefined,
    profileId: o.profileId as string | undefined,
    timeoutMs: o.timeout as number,
    skipValidation: !!o.skipValidation,
    saveUnverified: !!o.saveUnverified,
    yes: !!o.yes,
    json: !!o.json,
    verbose: !!o.verbose,
    checkBilling: !!o.checkBilling,
  });

  const program = new Command('clawdia')
    .description('Onboard, check and fix the Anthropic credentials of the agents on this host.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // Commander quotes the offending argument whole (`unknown option '--token=sk-ant-…'`).
      outputError: (s, write) => write(redactSecrets(s)),
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

  // Only the branch of the tree that argv selects is built (see `branches`); commander still parses all of argv.
  const tree = branches(args);
  const groups = [program];
  if (tree.onboard) {
    writeFlags(program.command('onboard'))
      .description('the interactive wizard: choose a method, validate the credential, store it for an agent')
      .addOption(new Option('--auth-choice <method>', 'api-key | setup-token | paste-token | claude-cli').choices(['api-key', 'setup-token', 'paste-token', 'claude-cli']))
      .addOption(new Option('--model <id>', 'default model (API keys), e.g. claude-opus-4-5').argParser(modelId))
      .addOption(new Option('--cache-ttl <ttl>', 'prompt-cache TTL for API keys').choices(['5m', '1h']))
      .addOption(new Option('--setup-token-timeout <ms>', 'how long `claude setup-token` may run').default(DEFAULT_SETUP_TOKEN_TIMEOUT_MS).argParser(int('--setup-token-timeout', 1000, 3_600_000)))
      .option('--dry-run', 'show everything, write nothing')
      .option('--non-interactive', 'take every answer from flags, env or stdin')
      .option('--plain', 'linear, numbered, no animation (screen readers; also TERM=dumb)')
      .option('--token-stdin', 'read the secret from stdin (non-interactive)')
      .option('--copy-from <agent>', "copy another agent's profiles into this one first")
      .option('--check-billing', "API keys: one billed 1-token request that sees the balance (costs a fraction of a cent)")
      .addHelpText(
        'after',
        `
Examples:
  clawdia onboard                                         the wizard
  clawdia onboard --plain                                 one question per line, numbered choices
  printf '%s' "$KEY" | clawdia onboard --non-interactive --auth-choice api-key --token-stdin --cache-ttl 1h
  ANTHROPIC_API_KEY=… clawdia onboard --non-interactive --agent work --json
  printf '%s' "$TOKEN" | clawdia onboard --non-interactive --auth-choice paste-token --token-stdin
  clawdia onboard --non-interactive --auth-choice claude-cli     reuse Claude Code's login on this host`,
      )
      .action(async (o: Record<string, unknown>) => {
        plain = !!o.plain;
        if (o.cacheTtl && (o.authChoice === 'setup-token' || o.authChoice === 'paste-token' || o.authChoice === 'claude-cli')) {
          throw new UsageError('--cache-ttl applies to API keys only (OAuth and setup-tokens ignore the cache TTL).');
        }
        await run(async (ctx) => {
          const { runOnboard } = await import('./commands/onboard.js');
          return runOnboard(
            {
              ...flags(o),
              authChoice: o.authChoice as AuthChoice | undefined,
              model: o.model as string | undefined,
              cacheTtl: o.cacheTtl as '5m' | '1h' | undefined,
              setupTokenTimeoutMs: o.setupTokenTimeout as number,
              dryRun: !!o.dryRun,
              nonInteractive: !!o.nonInteractive,
              plain: !!o.plain,
              tokenStdin: !!o.tokenStdin,
              copyFrom: o.copyFrom as string | undefined,
            },
            ctx,
          );
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
        .addOption(timeout())
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
              { agent: o.agent as string | undefined, allAgents: !!o.allAgents, json: !!o.json, check: !!o.check, probe: !!o.probe, spend: !!o.spend, timeoutMs: o.timeout as number },
              ctx,
            );
          })();
        });
    }

    if (tree.auth) {
      const auth = models.command('auth').description('add, replace, order and remove credentials');
      groups.push(auth);
      writeFlags(auth.command('setup-token'))
        .description('run `claude setup-token`, capture the token, validate it, store it as anthropic:claude-cli')
        .addOption(provider())
        .addOption(new Option('--setup-token-timeout <ms>', 'how long `claude setup-token` may run').default(DEFAULT_SETUP_TOKEN_TIMEOUT_MS).argParser(int('--setup-token-timeout', 1000, 3_600_000)))
        .addHelpText('after', `\nExamples:\n  clawdia models auth setup-token\n  clawdia models auth setup-token --agent work --yes\n\nNeeds a terminal. On a host without a browser, run \`claude setup-token\` elsewhere and use paste-token.`)
        .action(async (o: Record<string, unknown>) => {
          await run(async (ctx) => {
            const { runSetupToken } = await import('./commands/setup-token.js');
            return runSetupToken({ ...flags(o), setupTokenTimeoutMs: o.setupTokenTimeout as number }, ctx);
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
          .addOption(provider())
          .option('--token-stdin', 'read the secret from stdin (the default when stdin is not a terminal)');
        if (kind === 'token') c.option('--expires-in <duration>', 'token lifetime, e.g. 365d, 12h (default 365d)');
        else c.option('--check-billing', 'one billed 1-token request that sees the balance (costs a fraction of a cent)');
        writeFlags(c)
          .addHelpText(
            'after',
            kind === 'token'
              ? `\nExamples:\n  clawdia models auth paste-token --provider anthropic            masked prompt\n  printf '%s' "$TOKEN" | clawdia models auth paste-token --provider anthropic --agent work\n  clawdia models auth paste-token --profile-id anthropic:work --expires-in 30d`
              : `\nExamples:\n  clawdia models auth paste-api-key --provider anthropic          masked prompt\n  printf '%s' "$ANTHROPIC_API_KEY" | clawdia models auth paste-api-key --provider anthropic --json`,
          )
          .action(async (o: Record<string, unknown>) => {
            let expiresInMs: number | undefined;
            if (o.expiresIn !== undefined) {
              const { parseDuration } = await import('./commands/io.js');
              const d = parseDuration(String(o.expiresIn));
              if (d === null) throw new UsageError(`--expires-in must be a duration like 365d, 12h or 30m, got ${JSON.stringify(String(o.expiresIn).slice(0, 20))}.`);
              expiresInMs = d;
            }
            await run(async (ctx) => {
              const { runPaste } = await import('./commands/auth.js');
              return runPaste({ ...flags(o), kind, expiresInMs }, o.tokenStdin ? { ...ctx, interactive: false } : ctx);
            })();
          });
      }
      writeFlags(auth.command('sync-claude-cli'))
        .description("copy Claude Code's current login on this host into anthropic:claude-cli (type oauth)")
        .addOption(provider())
        .addHelpText('after', `\nExamples:\n  clawdia models auth sync-claude-cli\n  claude && clawdia models auth sync-claude-cli --agent work     after Claude Code refreshed its login`)
        .action(async (o: Record<string, unknown>) => {
          await run(async (ctx) => {
            const { runSyncClaudeCli } = await import('./commands/auth.js');
            return runSyncClaudeCli(flags(o), ctx);
          })();
        });
      const order = auth.command('order').description("get or set the order in which an agent's profiles are tried");
      groups.push(order);
      for (const action of ['get', 'set'] as const) {
        order
          .command(action)
          .description(action === 'get' ? 'print the effective order' : 'set the order (profiles not listed are tried after)')
          .argument(action === 'get' ? '[ids...]' : '<ids...>', 'profile ids, first is tried first')
          .addOption(provider())
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
              const { runOrder } = await import('./commands/auth.js');
              return runOrder(action, ids ?? [], { agent: o.agent as string | undefined, provider: o.provider as string, json: !!o.json }, ctx);
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
            const { runClearCooldown } = await import('./commands/auth.js');
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
            const { runRemove } = await import('./commands/auth.js');
            return runRemove(id, { agent: o.agent as string | undefined }, ctx);
          })();
        });
    }
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
          const { runAgentsList } = await import('./commands/agents.js');
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
