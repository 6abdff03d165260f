// `--remote <ssh destination>`: mint or paste the credential here (where the browser is), land it
// there. The gateway's own clawdia does the work — `models auth paste-token|paste-api-key --json`
// with the secret on stdin, validated from the gateway's network and written to its store — and
// `models status --json` shows what it now holds. Three ssh runs: `--version` + status first (fail
// before anyone signs in), the paste, the status after. Nothing is written on this machine, and
// the secret is never in either side's argv or environment, nor on this machine's disk.
// The protocol only (ssh in, values out); what the user sees of it is commands/remote-report.ts.
import { ClawdiaError, CancelledError, UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { fingerprint } from '../core/credentials.js';
import { checkAgentId, checkProfileId } from '../core/paths.js';
import type { AgentStatus } from '../core/status.js';
import type { SshClient, SshResult } from '../ports.js';

/** The first version whose paste-* stop when their ssh connection drops (see ssh-hangup.ts). */
export const MIN_REMOTE_VERSION = '0.2.0';
export const DEFAULT_REMOTE_COMMAND = 'clawdia';
export const INSTALL_HINT =
  'Install it there (Node ≥ 22): a clone of clawdia, then `npm install && npm link`; or name it with --remote-command, e.g. --remote-command "node ~/clawdia/bin/clawdia.js".';

export interface RemoteTarget {
  dest: string;
  /** What the remote shell runs as clawdia (default `clawdia`); a shell snippet, passed verbatim. */
  command: string;
  /** No terminal for ssh's questions: BatchMode. */
  batch: boolean;
}

export interface RemoteInfo {
  version: string;
  status: AgentStatus;
}

export interface RemoteCredential {
  kind: 'api_key' | 'token';
  secret: string;
  agent: string;
  profileId?: string;
  /** Token lifetime in ms (setup-token's "valid for"), passed as --expires-in. */
  expiresInMs?: number;
  timeoutMs: number;
  skipValidation: boolean;
  saveUnverified: boolean;
}

/** The gateway's `--json` summary of what it stored (summaryJson in auth-common.ts, as the gateway printed it). */
export interface RemoteSaved {
  agent: string;
  profileId: string;
  type: string;
  fingerprint: string;
  verdict: string;
  requestId: string | null;
  expiresAt: number | null;
  billing?: string;
  replaced?: boolean;
  activeProfile: string | null;
  order?: string[];
  wrote?: string[];
  warnings?: string[];
  [k: string]: unknown;
}

export type RemoteFailureKind =
  | 'ssh-missing'
  | 'host-key'
  | 'login-refused'
  | 'unreachable'
  | 'connection-lost'
  | 'ssh-failed'
  | 'timeout'
  | 'not-installed'
  | 'too-old'
  | 'refused'
  | 'remote-usage'
  | 'remote-stopped'
  | 'remote-failed'
  | 'bad-answer';

/** A failure on one side: `ssh` (connecting), `remote` (the gateway's clawdia), with its redacted stderr. */
export class RemoteError extends ClawdiaError {
  constructor(
    readonly kind: RemoteFailureKind,
    readonly side: 'ssh' | 'remote',
    message: string,
    hint: string | undefined,
    /** The remote's (and ssh's) stderr lines, redacted. */
    readonly details: string[] = [],
    /** The gateway refused with a verdict that --save-unverified may keep (forbidden/unavailable/offline). */
    readonly canSaveUnverified = false,
  ) {
    super(message, { ...(hint ? { hint } : {}) });
    this.name = 'RemoteError';
  }
}

// ---------------------------------------------------------------- words and parsing (pure)

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `--remote` takes an ssh destination; one that starts with `-` would be read by ssh as an option. */
export function checkDestination(dest: string): string {
  const d = dest.trim();
  if (!d || d.startsWith('-') || /\s/.test(d)) {
    throw new UsageError(
      `--remote takes an ssh destination such as user@gateway or a Host alias from ~/.ssh/config, got ${JSON.stringify(redact(dest).slice(0, 60))}.`,
    );
  }
  if (/sk-ant-/.test(d)) throw new UsageError('--remote takes an ssh destination, not a credential; secrets are read from the prompt or stdin only.');
  return d;
}

export function checkRemoteCommand(cmd: string): string {
  const c = cmd.trim();
  if (!c) throw new UsageError('--remote-command must not be empty.', `The default is ${DEFAULT_REMOTE_COMMAND}.`);
  if (/sk-ant-/.test(c)) throw new UsageError('--remote-command must not hold a credential; it is sent as the remote command line (visible in `ps` there).');
  return c;
}

/** "0.2.0" from `clawdia --version`'s output; null when it is not a version. */
export function parseVersion(text: string): [number, number, number] | null {
  const m = /^\s*v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function versionAtLeast(v: [number, number, number], min: string): boolean {
  const m = parseVersion(min)!;
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return v[i]! > m[i]!;
  return true;
}

/** Remote text as it may be shown: sk-ant-… shapes as fingerprints, and the secret itself, whatever its shape. */
export function redactRemote(text: string, secret?: string): string {
  let t = text;
  if (secret && secret.length >= 8) t = t.split(secret).join(fingerprint(secret));
  // Escape sequences from the far side are not ours to replay on this terminal.
  return redact(t).replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function lines(text: string, secret?: string): string[] {
  return redactRemote(text, secret)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

/** The gateway's own `error:` / `hint:` lines (cli/report-error.ts), when it printed them. */
export function remoteErrorLines(stderr: string, secret?: string): { error?: string; hint?: string } {
  const ls = lines(stderr, secret);
  const error = ls.find((l) => l.startsWith('error: '))?.slice(7);
  const hintStart = ls.findIndex((l) => l.startsWith('hint: '));
  const hint = hintStart >= 0 ? [ls[hintStart]!.slice(6), ...ls.slice(hintStart + 1).filter((l) => !l.startsWith('error: '))].join(' ').trim() : undefined;
  return { ...(error ? { error } : {}), ...(hint ? { hint } : {}) };
}

const NO_WRITE_HERE = 'nothing was written on this machine';

/**
 * One ssh run's failure in words: which side, why, and what to do. `phase` says how far it got
 * (`connect`: nothing was sent; `send`: the secret may have reached the gateway, which stops
 * without writing when its connection drops).
 */
export function classify(r: SshResult, t: RemoteTarget, phase: 'connect' | 'send' | 'status', secret?: string): RemoteError | CancelledError | null {
  const stderr = r.stderr;
  const details = lines(stderr, secret);
  const last = details.at(-1) ?? '';
  const sshSays = (re: RegExp) => details.find((l) => re.test(l));
  const where = t.dest;
  const gatewayNote =
    phase === 'send' ? "; the gateway's clawdia stops without writing when its connection drops" : phase === 'connect' ? '; nothing was sent' : '';
  if (r.cancelled) return new CancelledError(`Cancelled. ssh to ${where} was stopped${gatewayNote}; ${NO_WRITE_HERE}.`);
  if (r.notFound) {
    return new RemoteError(
      'ssh-missing',
      'ssh',
      'The ssh client was not found on this machine; nothing was sent.',
      'Install OpenSSH (e.g. apt-get install openssh-client), or set CLAWDIA_SSH_COMMAND.',
      details,
    );
  }
  if (r.timedOut) {
    return new RemoteError(
      'timeout',
      'ssh',
      `No answer from ${where} in time; clawdia stopped ssh${gatewayNote}; ${NO_WRITE_HERE}.`,
      `Check that \`ssh ${where}\` answers promptly; for a slow live check on the gateway, raise --timeout.`,
      details,
    );
  }
  if (r.exitCode === 0) return null;
  const batchNote = t.batch ? ' (no terminal here: ssh ran with BatchMode=yes, so it could not ask for a password, a passphrase or a new host key)' : '';
  if (r.exitCode === 255 || r.exitCode === null) {
    const changed = sshSays(/^Host key for .* has changed/i) ?? sshSays(/REMOTE HOST IDENTIFICATION HAS CHANGED/i);
    const hostKey = changed ?? sshSays(/No .* host key is known|host key .* is not known/i) ?? sshSays(/host key verification failed/i);
    if (hostKey) {
      return new RemoteError(
        'host-key',
        'ssh',
        `ssh refused ${where}'s host key (${hostKey.replace(/^[@\s]+|[@\s]+$/g, '')})${changed ? '' : batchNote}; nothing was sent, ${NO_WRITE_HERE}.`,
        `If this is the first connection, run \`ssh ${where}\` once in a terminal and check the fingerprint it shows. If the key changed and you know why, remove the old one (ssh-keygen -R <host>); if you do not, stop: something may be in the middle.`,
        details,
      );
    }
    const denied = sshSays(/Permission denied|Too many authentication failures|no more authentication methods/i);
    if (denied) {
      return new RemoteError(
        'login-refused',
        'ssh',
        `${where} refused the login (${denied})${batchNote}; nothing was sent, ${NO_WRITE_HERE}.`,
        `Check that \`ssh ${where}\` logs in: the user, the key (ssh-add -l), ~/.ssh/config.`,
        details,
      );
    }
    const unreachable = sshSays(/Could not resolve hostname|Connection refused|Connection timed out|No route to host|Network is unreachable|connect to host/i);
    if (unreachable) {
      // ssh never got a connection: whatever the phase, nothing went anywhere.
      return new RemoteError(
        'unreachable',
        'ssh',
        `ssh could not reach ${where} (${unreachable}); nothing was sent, ${NO_WRITE_HERE}.`,
        `Check the name and that \`ssh ${where}\` works from here.`,
        details,
      );
    }
    const lost = sshSays(
      /closed by remote host|Connection reset|Broken pipe|client_loop|Timeout, server .* not responding|Connection closed|Connection to .* closed|ssh_dispatch_run_fatal|kex_exchange_identification/i,
    );
    if (lost || r.exitCode === null || !last) {
      return new RemoteError(
        'connection-lost',
        'ssh',
        `The connection to ${where} was lost${phase === 'send' ? ' while the gateway was handling the credential' : ''}${lost ? ` (${lost})` : ''}${gatewayNote}; ${NO_WRITE_HERE}.`,
        phase === 'send'
          ? `Check the link and try again. To see what the gateway holds now: ssh ${where} ${t.command} models status`
          : `Check that \`ssh ${where}\` works from here.`,
        details,
      );
    }
    return new RemoteError(
      'ssh-failed',
      'ssh',
      `ssh to ${where} failed (exit 255: ${last})${batchNote}; ${NO_WRITE_HERE}.`,
      `Check that \`ssh ${where}\` works from here.`,
      details,
    );
  }
  if (r.exitCode === 127 || (r.exitCode === 126 && /not found|No such file/i.test(stderr))) {
    const said = sshSays(/not found|No such file/i);
    return new RemoteError(
      'not-installed',
      'remote',
      `clawdia is not installed on ${where}: \`${t.command}\` was not found there${said ? ` (${said})` : ''}; nothing was sent, ${NO_WRITE_HERE}.`,
      INSTALL_HINT,
      details,
    );
  }
  const { error, hint } = remoteErrorLines(stderr, secret);
  if (r.exitCode === 2) {
    return new RemoteError(
      'remote-usage',
      'remote',
      `The gateway's clawdia did not accept the command${error ? `: ${error}` : ''}; ${NO_WRITE_HERE}.`,
      `Its version may not match this one: update clawdia on ${where} (${MIN_REMOTE_VERSION} or newer).`,
      details,
    );
  }
  if (r.exitCode === 129 || r.exitCode === 130 || r.exitCode === 143) {
    return new RemoteError(
      'remote-stopped',
      'remote',
      `The gateway's clawdia was stopped (exit ${r.exitCode}) before it stored anything; ${NO_WRITE_HERE}.`,
      undefined,
      details,
    );
  }
  if (phase === 'send' && r.exitCode === 1 && error) {
    return new RemoteError('refused', 'remote', `${where} did not store it: ${error}`, hint, details, /--save-unverified/.test(hint ?? ''));
  }
  return new RemoteError(
    'remote-failed',
    'remote',
    `The gateway's clawdia failed (exit ${r.exitCode})${error ? `: ${error}` : last ? `: ${last}` : ''}; ${NO_WRITE_HERE}.`,
    hint,
    details,
  );
}

function parseJson<T>(text: string, what: string, t: RemoteTarget): T {
  try {
    const v = JSON.parse(text) as T;
    if (v && typeof v === 'object') return v;
  } catch {
    // below
  }
  throw new RemoteError(
    'bad-answer',
    'remote',
    `${t.dest} answered ${what} with something that is not clawdia's JSON; ${NO_WRITE_HERE}.`,
    `Is --remote-command (${t.command}) really clawdia ${MIN_REMOTE_VERSION}+? Try: ssh ${t.dest} ${t.command} --version`,
  );
}

// ---------------------------------------------------------------- the three ssh runs

const CONNECT_MS = 60_000;
/** A person may be typing a password or passphrase: the deadline leaves room for that. */
function budget(t: RemoteTarget, extra: number): number {
  return (t.batch ? 30_000 : 120_000) + extra;
}

/** `<clawdia> --version` (not found / too old → a clear error), then the agent's `models status --json`. */
export async function connectRemote(ssh: SshClient, t: RemoteTarget, agent: string | undefined, signal?: AbortSignal): Promise<RemoteInfo> {
  const status = `${t.command} models status --json${agent ? ` --agent ${shellQuote(agent)}` : ''}`;
  // One connection for both: a password is asked once, not twice.
  const r = await ssh.run({
    dest: t.dest,
    command: `${t.command} --version && ${status}`,
    timeoutMs: budget(t, CONNECT_MS),
    batch: t.batch,
    ...(signal ? { signal } : {}),
  });
  const nl = r.stdout.indexOf('\n');
  const first = nl >= 0 ? r.stdout.slice(0, nl) : r.stdout;
  const v = parseVersion(first);
  const version = v?.join('.');
  // Too old first: an old clawdia may also fail the status that follows, for reasons of its own.
  if (v && !versionAtLeast(v, MIN_REMOTE_VERSION)) {
    throw new RemoteError(
      'too-old',
      'remote',
      `${t.dest} runs clawdia ${version}; --remote needs ${MIN_REMOTE_VERSION} or newer there (it stops without writing when the connection drops); nothing was sent.`,
      `Update clawdia on ${t.dest} (in its clone: git pull && npm install), then try again.`,
    );
  }
  // An agent the gateway does not have yet: its status says "no agent named <id>" (exit 1); sending a
  // credential to it is how it is created, so it starts with no profiles.
  if (v && agent && r.exitCode === 1 && r.stderr.includes(`no agent named ${agent}.`)) {
    const fresh = { agent, auth: { profiles: [], activeProfile: {}, warnings: [], env: [] } } as unknown as AgentStatus;
    return { version: version!, status: fresh };
  }
  const e = classify(r, t, 'connect');
  if (e) throw e;
  if (!v || !version) {
    throw new RemoteError(
      'bad-answer',
      'remote',
      `\`${t.command} --version\` on ${t.dest} did not print a version (${JSON.stringify(redactRemote(first).slice(0, 60))}); nothing was sent.`,
      INSTALL_HINT,
    );
  }
  return { version, status: parseJson<AgentStatus>(r.stdout.slice(nl + 1), 'models status --json', t) };
}

export function pasteCommand(t: RemoteTarget, c: Omit<RemoteCredential, 'secret'>): string {
  const parts = [
    t.command,
    'models auth',
    c.kind === 'api_key' ? 'paste-api-key' : 'paste-token',
    '--provider anthropic --token-stdin --json',
    `--agent ${shellQuote(c.agent)}`,
    `--timeout ${c.timeoutMs}`,
  ];
  if (c.profileId) parts.push(`--profile-id ${shellQuote(c.profileId)}`);
  if (c.kind === 'token' && c.expiresInMs) parts.push(`--expires-in ${Math.round(c.expiresInMs)}`);
  if (c.skipValidation) parts.push('--skip-validation');
  if (c.saveUnverified) parts.push('--save-unverified');
  return parts.join(' ');
}

/** The secret on ssh's stdin to the gateway's paste-*; its JSON summary back. */
export async function sendCredential(
  ssh: SshClient,
  t: RemoteTarget,
  c: RemoteCredential,
  signal?: AbortSignal,
): Promise<{ saved: RemoteSaved; warnings: string[] }> {
  checkAgentId(c.agent);
  if (c.profileId) checkProfileId(c.profileId);
  const r = await ssh.run({
    dest: t.dest,
    command: pasteCommand(t, c),
    input: c.secret,
    timeoutMs: budget(t, c.timeoutMs + 15_000),
    batch: t.batch,
    ...(signal ? { signal } : {}),
  });
  const e = classify(r, t, 'send', c.secret);
  if (e) throw e;
  const saved = parseJson<RemoteSaved>(redactRemote(r.stdout, c.secret), 'paste --json', t);
  const warnings = lines(r.stderr, c.secret)
    .filter((l) => l.startsWith('warning: ') || l.startsWith('note: '))
    .map((l) => l.replace(/^(warning|note): /, ''));
  return { saved, warnings };
}

export async function fetchStatus(ssh: SshClient, t: RemoteTarget, agent: string, signal?: AbortSignal): Promise<AgentStatus> {
  const r = await ssh.run({
    dest: t.dest,
    command: `${t.command} models status --json --agent ${shellQuote(agent)}`,
    timeoutMs: budget(t, CONNECT_MS),
    batch: t.batch,
    ...(signal ? { signal } : {}),
  });
  const e = classify(r, t, 'status');
  if (e) throw e;
  return parseJson<AgentStatus>(r.stdout, 'models status --json', t);
}

// ---------------------------------------------------------------- the report's facts

export interface RemoteReport {
  dest: string;
  command: string;
  version: string;
  saved: RemoteSaved;
  status: AgentStatus | null;
  /** Why the status after could not be read (the credential is stored all the same). */
  statusError: string | null;
  warnings: string[];
}

/** After a successful paste: read the status; a failure there does not undo the stored credential. */
export async function finishReport(
  ssh: SshClient,
  t: RemoteTarget,
  info: RemoteInfo,
  sent: { saved: RemoteSaved; warnings: string[] },
  signal?: AbortSignal,
): Promise<RemoteReport> {
  let status: AgentStatus | null = null;
  let statusError: string | null = null;
  try {
    status = await fetchStatus(ssh, t, sent.saved.agent, signal);
  } catch (e) {
    statusError = (e as Error).message;
  }
  return { dest: t.dest, command: t.command, version: info.version, saved: sent.saved, status, statusError, warnings: sent.warnings };
}

/** How a failure is shown: the error line, the hint, and what the far side said (redacted). */
export function failureDetails(e: RemoteError): string[] {
  return e.details.filter((l) => !l.startsWith('error: ') && !l.startsWith('hint: ')).slice(-8);
}
