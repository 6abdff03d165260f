// The `--remote` entry points: `onboard --remote`, `models auth setup-token --remote`,
// `models auth paste-token|paste-api-key --remote`. Each one: check the gateway first (ssh,
// `clawdia --version`, its status), get the credential here (wizard / setup-token / masked prompt
// or stdin), send it (ssh, stdin), show the gateway's answer and status. ssh always runs while no
// UI reads the terminal and raw mode is off, so its own questions (host key, password,
// passphrase — asked on /dev/tty) reach the user; Ctrl-C then is a plain SIGINT for both.
import { ClawdiaError, CancelledError, UsageError } from '../core/errors.js';
import { SUBSCRIPTION_TERMS_ROUTE } from '../core/copy.js';
import { parseSecret } from '../core/credentials.js';
import { checkAgentId, checkProfileId } from '../core/paths.js';
import type { SshClient } from '../ports.js';
import { initialRemote, REMOTE_TERMINAL, REMOTE_UI_STEPS, type RemoteMethod } from '../wizard/remote-flow.js';
import { createRemoteStore } from '../wizard/remote-runner.js';
import type { CommandContext } from './context.js';
import type { OnboardOptions, PasteOptions, SetupTokenOptions } from './options.js';
import { runRemoteScreens } from '../ui/ink.js';
import { readSecret } from '../ui/paste-input.js';
import { connectRemote, failureDetails, finishReport, sendCredential } from '../app/remote.js';
import { checkDestination, checkRemoteCommand, DEFAULT_REMOTE_COMMAND, RemoteError, type RemoteInfo, type RemoteTarget } from '../app/remote-words.js';
import { printReport } from './remote-report.js';

export interface RemoteFlags {
  remote: string;
  remoteCommand?: string;
}

function target(flags: RemoteFlags, ssh: SshClient): RemoteTarget {
  return { dest: checkDestination(flags.remote), command: checkRemoteCommand(flags.remoteCommand ?? DEFAULT_REMOTE_COMMAND), batch: !ssh.canPrompt() };
}

/** The failure as the command's error: the line, the hint, then what the far side said (stderr). */
function fail(ctx: CommandContext, e: unknown): never {
  if (e instanceof RemoteError) {
    const said = failureDetails(e);
    if (said.length) ctx.err(`${e.side === 'ssh' ? 'ssh' : 'the gateway'} said:\n${said.map((l) => `  ${l}`).join('\n')}`);
  }
  throw e;
}

async function connect(ctx: CommandContext, ssh: SshClient, t: RemoteTarget, agent: string | undefined): Promise<RemoteInfo> {
  ctx.err(`Connecting to ${t.dest} (ssh${t.batch ? ', no terminal: BatchMode' : ''}) to check \`${t.command}\` there…`);
  try {
    const info = await connectRemote(ssh, t, agent, ctx.signal);
    ctx.err(
      `${t.dest}: clawdia ${info.version}, agent ${info.status.agent} (${info.status.auth.profiles.length} profile${info.status.auth.profiles.length === 1 ? '' : 's'}).`,
    );
    return info;
  } catch (e) {
    fail(ctx, e);
  }
}

// ---------------------------------------------------------------- paste-* --remote (and onboard --remote, scripted)

export async function runRemotePaste(opts: PasteOptions & RemoteFlags & { skipPrompt?: boolean }, ctx: CommandContext, ssh: SshClient): Promise<number> {
  if (opts.agent !== undefined) checkAgentId(opts.agent);
  if (opts.profileId !== undefined) checkProfileId(opts.profileId);
  if (opts.kind === 'api_key' && opts.expiresInMs !== undefined) throw new UsageError('--expires-in applies to tokens, not API keys.');
  const t = target(opts, ssh);
  const info = await connect(ctx, ssh, t, opts.agent);
  const agent = info.status.agent;
  const what = opts.kind === 'api_key' ? 'an Anthropic API key' : 'a setup-token';
  const cmd = opts.kind === 'api_key' ? 'paste-api-key' : 'paste-token';
  const { raw, source } = await readSecret(ctx, {
    what,
    message: opts.kind === 'api_key' ? `API key for agent ${agent} on ${t.dest}:` : `Setup-token for agent ${agent} on ${t.dest}:`,
    expected: opts.kind,
    note:
      `It is sent to ${t.dest} over ssh (on stdin), checked and stored there; nothing is written here. Input is hidden.` +
      (opts.kind === 'token' ? `\n${SUBSCRIPTION_TERMS_ROUTE}` : ''),
    stdinForm: `printf '%s' "$${opts.kind === 'api_key' ? 'ANTHROPIC_API_KEY' : 'TOKEN'}" | clawdia models auth ${cmd} --remote ${t.dest}`,
    ...(opts.skipPrompt ? { forceStdin: true } : {}),
  });
  // The masked prompt is gone; make sure nothing here reads the terminal while ssh may ask on it.
  if (ctx.stdin.isTTY) ctx.stdin.pause();
  const parsed = parseSecret(raw, opts.kind);
  if (!parsed.ok) throw new ClawdiaError(`${parsed.message} Nothing was sent.`, { hint: parsed.hint });
  ctx.err(`Sending ${parsed.fingerprint} (from ${source}) to ${t.dest}, agent ${agent}…`);
  try {
    const sent = await sendCredential(
      ssh,
      t,
      {
        kind: opts.kind,
        secret: parsed.value,
        agent,
        ...(opts.profileId ? { profileId: opts.profileId } : {}),
        ...(opts.expiresInMs ? { expiresInMs: opts.expiresInMs } : {}),
        timeoutMs: opts.timeoutMs,
        skipValidation: opts.skipValidation,
        saveUnverified: opts.saveUnverified,
      },
      ctx.signal,
    );
    printReport(ctx, await finishReport(ssh, t, info, sent, ctx.signal), opts.json);
    return 0;
  } catch (e) {
    fail(ctx, e);
  }
}

// ---------------------------------------------------------------- the wizard (onboard --remote, setup-token --remote)

export async function runRemoteWizard(
  opts: RemoteFlags & {
    agent?: string;
    profileId?: string;
    timeoutMs: number;
    skipValidation: boolean;
    saveUnverified: boolean;
    json: boolean;
    setupTokenTimeoutMs: number;
    mode: 'onboard' | 'setup-token';
    authChoice?: RemoteMethod;
  },
  ctx: CommandContext,
  ssh: SshClient,
): Promise<number> {
  if (opts.agent !== undefined) checkAgentId(opts.agent);
  if (opts.profileId !== undefined) checkProfileId(opts.profileId);
  const t = target(opts, ssh);
  const info = await connect(ctx, ssh, t, opts.agent);
  const store = createRemoteStore(
    ctx.ports,
    initialRemote(
      {
        mode: opts.mode,
        dest: t.dest,
        version: info.version,
        agent: info.status.agent,
        profiles: info.status.auth.profiles,
        activeProfile: info.status.auth.activeProfile?.anthropic ?? null,
        claudeFound: ctx.ports.claude.locate() !== null,
        setupTokenTimeoutMs: opts.setupTokenTimeoutMs,
        ...(opts.profileId ? { profileId: opts.profileId } : {}),
        ...(opts.authChoice ? { authChoice: opts.authChoice } : {}),
      },
      ctx.ports.clock.now(),
    ),
  );
  const onAbort = () => store.dispatch({ type: 'cancelled', exitCode: ctx.signalExitCode() });
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let report: Awaited<ReturnType<typeof finishReport>> | null = null;
  try {
    for (;;) {
      const s = store.getState();
      if (REMOTE_TERMINAL.has(s.step)) break;
      if (REMOTE_UI_STEPS.has(s.step)) {
        await runRemoteScreens(store, ctx, { json: opts.json, clock: ctx.ports.clock });
        // The screen ended without the flow moving on (the terminal went away, a render error): stop, not loop.
        if (store.getState() === s) store.dispatch({ type: 'cancelled', exitCode: 1 });
        continue;
      }
      // sending: outside the UI.
      const c = s.credential!;
      ctx.err(`Sending ${c.fingerprint} to ${t.dest}, agent ${s.options.agent}${s.saveUnverified ? ' (keep even if unverified)' : ''}…`);
      try {
        const sent = await sendCredential(
          ssh,
          t,
          {
            kind: c.kind,
            secret: c.secret,
            agent: s.options.agent,
            ...(opts.profileId ? { profileId: opts.profileId } : {}),
            ...(c.expiresInMs ? { expiresInMs: c.expiresInMs } : {}),
            timeoutMs: opts.timeoutMs,
            skipValidation: opts.skipValidation,
            saveUnverified: opts.saveUnverified || s.saveUnverified,
          },
          ctx.signal,
        );
        report = await finishReport(ssh, t, info, sent, ctx.signal);
        store.dispatch({ type: 'sent' });
      } catch (e) {
        if (e instanceof CancelledError || ctx.signal.aborted) {
          store.dispatch({ type: 'cancelled', exitCode: ctx.signal.aborted ? ctx.signalExitCode() : 130 });
        } else if (e instanceof RemoteError) {
          store.dispatch({
            type: 'send-failed',
            failure: {
              message: e.message,
              ...(e.hint ? { hint: e.hint } : {}),
              details: failureDetails(e),
              refused: e.kind === 'refused',
              canSaveUnverified: e.canSaveUnverified,
            },
          });
        } else {
          throw e;
        }
      }
    }
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await store.stopChild();
  }
  const end = store.getState();
  if (end.step === 'done' && report) {
    printReport(ctx, report, opts.json);
    return 0;
  }
  if (end.step === 'cancelled') {
    ctx.err(
      `Cancelled. Nothing was sent to ${t.dest}${end.credential ? ' (or, if it was on its way, the gateway stopped without writing)' : ''}; nothing was written here.`,
    );
    return end.exitCode ?? 130;
  }
  const f = end.failure;
  if (f?.details.length) ctx.err(`${f.refused ? 'the gateway' : 'ssh'} said:\n${f.details.map((l) => `  ${l}`).join('\n')}`);
  throw new ClawdiaError(f?.message ?? 'Nothing was stored.', { ...(f?.hint ? { hint: f.hint } : {}) });
}

export async function runRemoteOnboard(opts: OnboardOptions & RemoteFlags, ctx: CommandContext, ssh: SshClient): Promise<number> {
  if (opts.copyFrom !== undefined)
    throw new UsageError(
      '--copy-from does not apply with --remote (it copies between agents of one host).',
      `On the gateway: ssh ${opts.remote} clawdia onboard --agent <id> --copy-from main`,
    );
  if (opts.model || opts.cacheTtl)
    throw new UsageError(
      '--model and --cache-ttl do not apply with --remote: they are settings of the gateway.',
      `Set them there: ssh -t ${opts.remote} clawdia onboard`,
    );
  if (opts.dryRun) throw new UsageError('--dry-run does not apply with --remote (the gateway would still check the credential).');
  if (opts.authChoice === 'claude-cli') {
    throw new UsageError(
      "--auth-choice claude-cli does not apply with --remote: this machine's Claude Code login lives hours and renews itself; a copy on the gateway would soon die.",
      `If Claude Code is logged in on the gateway: ssh ${opts.remote} clawdia models auth sync-claude-cli`,
    );
  }
  if (opts.nonInteractive || opts.tokenStdin || !ctx.interactive) {
    if (opts.authChoice !== 'api-key' && opts.authChoice !== 'paste-token') {
      throw new UsageError(
        opts.authChoice === 'setup-token'
          ? '--auth-choice setup-token needs a terminal (it signs in through a browser).'
          : 'Scripted onboard --remote needs --auth-choice api-key or paste-token, and the secret on stdin.',
        `e.g. printf '%s' "$TOKEN" | clawdia onboard --remote ${opts.remote} --non-interactive --auth-choice paste-token --token-stdin`,
      );
    }
    return runRemotePaste({ ...opts, kind: opts.authChoice === 'api-key' ? 'api_key' : 'token', skipPrompt: true }, { ...ctx, interactive: false }, ssh);
  }
  const { authChoice, ...rest } = opts;
  return runRemoteWizard({ ...rest, mode: 'onboard', ...(authChoice ? { authChoice } : {}) }, ctx, ssh);
}

export async function runRemoteSetupToken(opts: SetupTokenOptions & RemoteFlags, ctx: CommandContext, ssh: SshClient): Promise<number> {
  if (!ctx.interactive) {
    throw new UsageError(
      '`clawdia models auth setup-token --remote` needs a terminal: `claude setup-token` signs in through a browser and reads a code from the keyboard.',
      `Make the token elsewhere and send it: printf '%s' "$SETUP_TOKEN" | clawdia models auth paste-token --remote ${opts.remote}`,
    );
  }
  return runRemoteWizard({ ...opts, mode: 'setup-token' }, ctx, ssh);
}
