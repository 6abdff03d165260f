// The system's OpenSSH client, so ~/.ssh/config, agents, ProxyJump and known_hosts all apply.
// The secret travels on ssh's stdin (a pipe, closed after it): never in argv, never in the
// environment of either side. ssh asks its own questions (host key, password, passphrase) on
// /dev/tty, not on stdin, so the pipe does not get in their way; callers run it while no UI reads
// the terminal. Without a terminal to ask on, BatchMode=yes turns a question into an error.
// execa is imported lazily (≈ 80 ms), only when ssh runs.
import { closeSync, openSync } from 'node:fs';
import type { Env, SshClient, SshRequest, SshResult } from '../ports.js';

/** What ssh prints on stdout and stderr is kept up to this much (a clawdia answer is a few KiB). */
const MAX_OUTPUT = 1024 * 1024;

/**
 * `CLAWDIA_SSH_COMMAND` (like git's GIT_SSH_COMMAND): the ssh program and any options of its own,
 * e.g. `ssh -F ~/.ssh/gateway_config`; words split on blanks, quotes group. Default `ssh`.
 */
export function sshCommandWords(value: string | undefined): string[] {
  const words: string[] = [];
  if (value) {
    const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(value))) words.push(m[1] ?? m[2] ?? m[3]!);
  }
  return words.length ? words : ['ssh'];
}

/** The argv for one ssh run (the remote command line is one word: ssh hands it to the remote shell). */
export function sshArgs(base: string[], req: Pick<SshRequest, 'dest' | 'command' | 'batch'>): string[] {
  return [
    ...base.slice(1),
    // No pty on the remote: stdin stays a clean pipe (a pty would echo the secret back).
    '-T',
    '-o',
    'ConnectTimeout=20',
    // A link that dies silently is noticed in ≈ 15 s instead of hanging.
    '-o',
    'ServerAliveInterval=5',
    '-o',
    'ServerAliveCountMax=3',
    ...(req.batch ? ['-o', 'BatchMode=yes'] : []),
    '--',
    req.dest,
    req.command,
  ];
}

/** Can ssh ask its questions? It asks on the controlling terminal, whatever stdin is. */
export function hasTerminal(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}

export function createSsh(env: Env): SshClient {
  const base = sshCommandWords(env.get('CLAWDIA_SSH_COMMAND'));
  return {
    program: base[0]!,
    canPrompt: () => hasTerminal() && !env.get('CI'),
    async run(req: SshRequest): Promise<SshResult> {
      const { execa } = await import('execa');
      const started = Date.now();
      const sub = execa(base[0]!, sshArgs(base, req), {
        stdin: req.input === undefined ? 'ignore' : 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
        buffer: false,
        reject: false,
        timeout: req.timeoutMs,
        // SIGTERM: ssh closes the channel and the connection; the remote clawdia notices (SIGHUP
        // or its parent going away) and stops without writing.
        forceKillAfterDelay: 2000,
        ...(req.signal ? { cancelSignal: req.signal } : {}),
        // ssh stays in our process group, the terminal's foreground: it may read /dev/tty.
        detached: false,
      });
      let stdout = '';
      let stderr = '';
      sub.stdout?.setEncoding('utf8').on('data', (d: string) => {
        if (stdout.length < MAX_OUTPUT) stdout += d;
      });
      sub.stderr?.setEncoding('utf8').on('data', (d: string) => {
        if (stderr.length < MAX_OUTPUT) stderr += d;
        req.onStderr?.(d);
      });
      if (sub.stdin) {
        sub.stdin.on('error', () => {}); // EPIPE when ssh died first: its exit code says why
        sub.stdin.end(req.input);
      }
      const r = await sub;
      const code = (r as { code?: string }).code;
      return {
        exitCode: typeof r.exitCode === 'number' ? r.exitCode : null,
        signal: r.signal ?? null,
        stdout,
        stderr,
        timedOut: !!r.timedOut,
        cancelled: !!r.isCanceled || !!req.signal?.aborted,
        notFound: code === 'ENOENT' || (r.exitCode === undefined && !r.signal && /ENOENT/.test(String((r as { cause?: unknown }).cause ?? ''))),
        ms: Date.now() - started,
      };
    },
  };
}
