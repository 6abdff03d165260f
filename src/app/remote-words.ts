// `--remote`'s words and rules, pure: the target and what travels (types), the remote command line
// and its quoting, version checks, and how each ssh/remote outcome is classified and worded (which
// side, why, nothing written here), with what the far side says redacted. The ssh runs that use
// them are app/remote.ts.
import { ClawdiaError, CancelledError, UsageError } from '../core/errors.js';
import { fingerprint } from '../core/credentials.js';
import { redact } from '../core/redact.js';
import type { AgentStatus } from '../core/status.js';
import type { SshResult } from '../ports.js';

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

export function lines(text: string, secret?: string): string[] {
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

export const NO_WRITE_HERE = 'nothing was written on this machine';

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
