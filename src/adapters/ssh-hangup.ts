// The gateway side of `--remote`. A command run by sshd without a pty gets no SIGHUP when the
// connection drops (the laptop's ssh killed, Ctrl-C, a cut link): sshd's session process just
// exits and the command is orphaned, left to finish its live check and write the credential that
// the other side already reported as failed. So, under ssh with no terminal, watch the session:
// once sshd's session process is gone (or, where /proc is missing, once we are re-parented), raise
// SIGHUP on ourselves — the root's one signal path then cancels the command (exit 129, nothing
// written; a write already under way finishes). The session process is looked for up the
// ancestry, because the remote shell does not always exec the command (a wrapper, a shell that
// keeps itself around): the parent may outlive the connection.
import { readFileSync } from 'node:fs';
import type { Env } from '../ports.js';

interface ProcInfo {
  comm: string;
  state: string;
  ppid: number;
}

function proc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), state: state ?? '', ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** The nearest ancestor that is sshd's session process (`sshd`, or `sshd-session` since OpenSSH 9.8). */
export function sshdAncestor(start = process.ppid): number | null {
  let pid = start;
  for (let i = 0; i < 16 && pid > 1; i++) {
    const p = proc(pid);
    if (!p) return null;
    if (p.comm.startsWith('sshd')) return pid;
    pid = p.ppid;
  }
  return null;
}

function alive(pid: number): boolean {
  const p = proc(pid);
  return p !== null && p.state !== 'Z';
}

export function watchSshHangup(env: Env, stdinIsTTY: boolean, intervalMs = 200): () => void {
  if (!env.get('SSH_CONNECTION') || stdinIsTTY) return () => {};
  const parent = process.ppid;
  const session = sshdAncestor(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && (session === null || alive(session))) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGHUP');
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
