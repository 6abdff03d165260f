// `--remote <ssh destination>`: mint or paste the credential here (where the browser is), land it
// there. The gateway's own clawdia does the work — `models auth paste-token|paste-api-key --json`
// with the secret on stdin, validated from the gateway's network and written to its store — and
// `models status --json` shows what it now holds. Three ssh runs: `--version` + status first (fail
// before anyone signs in), the paste, the status after. Nothing is written on this machine, and
// the secret is never in either side's argv or environment, nor on this machine's disk.
// The ssh runs only (ssh in, values out); their words and rules are app/remote-words.ts, what the
// user sees of it is commands/remote-report.ts.
import { checkAgentId, checkProfileId } from '../core/paths.js';
import type { AgentStatus } from '../core/status.js';
import type { SshClient } from '../ports.js';
import {
  classify,
  INSTALL_HINT,
  lines,
  MIN_REMOTE_VERSION,
  NO_WRITE_HERE,
  parseVersion,
  RemoteError,
  redactRemote,
  shellQuote,
  versionAtLeast,
  type RemoteCredential,
  type RemoteInfo,
  type RemoteSaved,
  type RemoteTarget,
} from './remote-words.js';

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
