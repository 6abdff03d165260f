// argv → command. The only composition root: picks the real adapters, owns SIGINT/SIGTERM/SIGHUP
// for the life of the process, maps results and errors to exit codes (SPEC §5).
// Static imports are what every command needs (commander, the state/env/Claude Code adapters:
// small, and their heavy library — execa — loads lazily inside them) and
// `models status`, which must answer as fast as `node -e 0` allows (SPEC §8; a dynamic import
// costs ≈ 2 ms more, measured); they land in this chunk instead of a chain of small ones. Every
// other command, the validator (the SDK) and the UI load on demand. `--version` never gets here:
// bin/clawdia.js answers it.
import { existsSync, writeSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { createClaudeCli } from './adapters/claude.js';
import { createStateStore } from './adapters/state.js';
import { createClock, createEnv } from './adapters/system.js';
import { runStatus } from './commands/status.js';
import { checkBaseUrl, INSECURE_FLAG } from './core/base-url.js';
import { parseExpiresIn } from './core/duration.js';
import { ClawdiaError, UsageError } from './core/errors.js';
import { looksLikeCredential, redact } from './core/redact.js';
import { locateState } from './core/paths.js';
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
        if (!stdoutStream) onStdoutError(stream);
        stdoutStream = true;
        return stream;
      },
    });
  } else {
    stdoutStream = true;
    onStdoutError(process.stdout);
  }
}

/**
 * Set once stdout cannot be written (`| head -1` went away: EPIPE; `> /dev/full`: ENOSPC; `>&-`:
 * EBADF; EIO…). The rest of the output is dropped and one line on stderr says so — never an
 * uncaught exception, whose report quotes a line of the minified bundle.
 */
let stdoutFailed: string | null = null;
/** --allow-insecure-base-url, as the running command gave it (read by the validator when it loads). */
let allowInsecureBaseUrl = false;
function stdoutFailure(e: unknown): void {
  if (stdoutFailed) return;
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  stdoutFailed = code;
  if (code === 'EPIPE') {
    // `| head -1`: the reader chose to stop; no errno, no alarm — only what happened.
    say('clawdia: the reader of stdout went away (a closed pipe); the rest of the output was dropped.\n');
    return;
  }
  const why = code === 'ENOSPC' ? 'no space left on the device' : code === 'EBADF' ? 'stdout is closed' : 'a write error';
  say(`clawdia: could not write to stdout (${code}: ${why}); the rest of the output was dropped.\n`);
}
function say(line: string): void {
  try {
    process.stderr.write(line);
  } catch {
    // stderr is gone too: nothing left to tell
  }
}
/** The exit code once stdout failed: a reader that left keeps the command's code; lost output is a failure. */
function exitAfterStdout(code: number): number {
  return stdoutFailed && stdoutFailed !== 'EPIPE' && code === 0 ? 1 : code;
}

function onStdoutError(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    stdoutFailure(e);
    // Ink or a prompt may still be drawing to it: end now, with the command's code so far.
    process.exit(exitAfterStdout(typeof process.exitCode === 'number' ? process.exitCode : 0));
  });
}

function writeOut(text: string): void {
  if (stdoutFailed) return;
  if (!stdoutStream) {
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(1, buf, off);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
        stdoutFailure(e);
        return;
      }
      // EAGAIN (a non-blocking pipe is full): the stream handles it as it always did.
      text = buf.subarray(off).toString();
    }
  }
  try {
    process.stdout.write(text);
  } catch (e) {
    // A file or device stdout (SyncWriteStream) throws instead of emitting 'error'.
    stdoutFailure(e);
  }
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
    // Every line a command prints passes the one redaction (core/redact.ts): text, --json, warnings.
    out: (t) => writeOut(redact(t.endsWith('\n') ? t : t + '\n')),
    err: (t) => void process.stderr.write(redact(t.endsWith('\n') ? t : t + '\n')),
  };
}

async function makePorts(): Promise<Ports> {
  const env = createEnv();
  const home = process.env.HOME ?? (await import('node:os')).homedir();
  let validator: import('./ports.js').Validator | undefined;
  return {
    state: createStateStore(locateState(process.env, home, existsSync), { notice: (t) => void process.stderr.write(`note: ${t}\n`) }),
    // The SDK adapter loads only when something is validated.
    validator: {
      async validate(req) {
        if (!validator) validator = (await import('./adapters/validator.js')).createValidator(env, { allowInsecureBaseUrl });
        return validator.validate(req);
      },
    },
    claude: createClaudeCli(env),
    env,
    clock: createClock(),
  };
}

function printError(e: unknown): number {
  const say = (t: string) => void process.stderr.write(redact(t));
  if (e instanceof ClawdiaError) {
    say(`error: ${e.message}\n`);
    if (e.hint) say(`hint: ${e.hint}\n`);
    if (process.env.CLAWDIA_DEBUG === '1' && e.stack) say(e.stack + '\n');
    return e.exitCode;
  }
  // Unknown errors may carry a child's output or a file's text in their message: name them only.
  const err = e as NodeJS.ErrnoException;
  say(`error: unexpected failure (${err?.code ?? err?.name ?? 'unknown'}); nothing was written.\n`);
  say('hint: run again with CLAWDIA_DEBUG=1 for details, and report it if it persists.\n');
  if (process.env.CLAWDIA_DEBUG === '1' && err?.stack) say(err.stack + '\n');
  return 1;
}

/** Any `sk-ant-` or credential-shaped text where an id, a name or a model belongs. */
function isCredentialLike(v: string): boolean {
  return v.includes('sk-ant-') || looksLikeCredential(v);
}

/** A credential typed where an id or a name belongs: refused (exit 2), shown masked, never stored or echoed. */
function credentialInArgv(where: string, v: string): UsageError {
  return new UsageError(
    `${where} takes a name or an id, not a credential (got ${redact(v).slice(0, 80)}).`,
    'Secrets are read from stdin, a masked prompt or the environment, never from argv. If that was a real credential, it is in your shell history now: revoke it.',
  );
}

/** `--model`: a model id (`claude-opus-4-5`, `anthropic/claude-opus-4-5-20251101`), never a credential. */
function modelId(v: string): string {
  if (isCredentialLike(v)) throw credentialInArgv('--model', v);
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
  code = exitAfterStdout(code);
  process.exitCode = code;
  // Ink, prompts or sockets may keep handles open; the command is done.
  if (stdoutStream && !stdoutFailed) await new Promise<void>((r) => process.stdout.write('', () => r()));
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
  const insecureBase = () => new Option(INSECURE_FLAG, 'allow a plain-http ANTHROPIC_BASE_URL that is not this machine (the credential is sent unencrypted)').default(false);
  const writeFlags = (c: InstanceType<typeof Command>) =>
    c
      .option('--agent <id>', 'agent to write to (default: the default agent, usually main)')
      .option('--profile-id <id>', 'profile id, e.g. anthropic:work')
      .addOption(timeout())
      .option('--skip-validation', 'store without the live check (marked unverified)')
      .option('--save-unverified', 'keep a credential whose check ended forbidden/unavailable/offline')
      .option('--yes', 'replace an existing profile without asking')
      .option('--json', 'print only a JSON summary on stdout (no secrets)')
      .option('--verbose', 'the summary with every field, the config written and the file paths')
      .addOption(insecureBase());
  // `--remote <ssh destination>`: mint or paste here, validate and store on the gateway (commands/remote.ts).
  const remoteFlags = (c: InstanceType<typeof Command>) =>
    c
      .option('--remote <dest>', 'check and store the credential on that host instead, over ssh (user@host or a ~/.ssh/config alias); nothing is written here')
      .option('--remote-command <cmd>', 'how to run clawdia on that host (default: clawdia)');
  const remote = async <T,>(o: Record<string, unknown>, fn: (m: typeof import('./commands/remote-wizard.js'), r: { remote: string; remoteCommand?: string }, ssh: import('./ports.js').SshClient) => Promise<T>) => {
    const [m, { createSsh }] = await Promise.all([import('./commands/remote-wizard.js'), import('./adapters/ssh.js')]);
    return fn(m, { remote: o.remote as string, ...(o.remoteCommand !== undefined ? { remoteCommand: o.remoteCommand as string } : {}) }, createSsh(createEnv()));
  };
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

  // Before any action: no credential in a non-secret field, and a credential only to a safe base URL.
  program.hook('preAction', (_root, action) => {
    for (const opt of action.options) {
      const v: unknown = action.getOptionValue(opt.attributeName());
      for (const s of Array.isArray(v) ? v : [v]) {
        if (typeof s === 'string' && isCredentialLike(s)) throw credentialInArgv(opt.long ?? opt.flags, s);
      }
    }
    for (const a of action.args) if (isCredentialLike(a)) throw credentialInArgv('An argument', a);
    const o = action.opts() as Record<string, unknown>;
    // The commands that send a credential: every writer unless it skips the check, and status --probe.
    const sends = 'allowInsecureBaseUrl' in o && (action.name() === 'status' ? !!o.probe : !o.skipValidation);
    if (!sends) return;
    allowInsecureBaseUrl = !!o.allowInsecureBaseUrl;
    const check = checkBaseUrl(process.env.ANTHROPIC_BASE_URL, allowInsecureBaseUrl);
    // Exit 1, not 2: under `models status --check`, 2 means "expiring"; a refused base URL is broken.
    if (!check.ok) throw new ClawdiaError(check.message, { hint: check.hint });
    if (check.warning) process.stderr.write(check.warning + '\n');
  });

  // Only the branch of the tree that argv selects is built (see `branches`); commander still parses all of argv.
  const tree = branches(args);
  const groups = [program];
  if (tree.onboard) {
    remoteFlags(writeFlags(program.command('onboard')))
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
  clawdia onboard --non-interactive --auth-choice claude-cli     reuse Claude Code's login on this host
  clawdia onboard --remote admin@gateway                  sign in here, store it on the gateway (over ssh)`,
      )
      .action(async (o: Record<string, unknown>) => {
        plain = !!o.plain;
        if (o.cacheTtl && (o.authChoice === 'setup-token' || o.authChoice === 'paste-token' || o.authChoice === 'claude-cli')) {
          throw new UsageError('--cache-ttl applies to API keys only (OAuth and setup-tokens ignore the cache TTL).');
        }
        await run(async (ctx) => {
          const { runOnboard } = await import('./commands/onboard.js');
          const onboardOpts = {
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
          };
          if (o.remote !== undefined) return remote(o, (m, r, ssh) => m.runRemoteOnboard({ ...onboardOpts, ...r }, ctx, ssh));
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
        .addOption(timeout())
        .addOption(insecureBase())
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
      remoteFlags(writeFlags(auth.command('setup-token')))
        .description('run `claude setup-token`, capture the token, validate it, store it as anthropic:claude-cli')
        .addOption(provider())
        .addOption(new Option('--setup-token-timeout <ms>', 'how long `claude setup-token` may run').default(DEFAULT_SETUP_TOKEN_TIMEOUT_MS).argParser(int('--setup-token-timeout', 1000, 3_600_000)))
        .addHelpText('after', `\nExamples:\n  clawdia models auth setup-token\n  clawdia models auth setup-token --agent work --yes\n  clawdia models auth setup-token --remote admin@gateway     sign in here, store it on the gateway\n\nNeeds a terminal. On a host without a browser, run \`claude setup-token\` elsewhere and use paste-token.`)
        .action(async (o: Record<string, unknown>) => {
          await run(async (ctx) => {
            if (o.remote !== undefined) return remote(o, (m, r, ssh) => m.runRemoteSetupToken({ ...flags(o), setupTokenTimeoutMs: o.setupTokenTimeout as number, ...r }, ctx, ssh));
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
        remoteFlags(writeFlags(c))
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
                return remote(o, (m, r, ssh) => m.runRemotePaste({ ...flags(o), kind, expiresInMs, ...r }, o.tokenStdin ? { ...ctx, interactive: false } : ctx, ssh));
              }
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
