// The gateway side of `--remote`. A command run by sshd without a pty gets no SIGHUP when the
// connection drops (the laptop's ssh killed, Ctrl-C, a cut link): sshd's session process just
// exits and the command is orphaned, left to finish its live check and write the credential that
// the other side already reported as failed. So, under ssh with no terminal, watch the parent:
// once it is gone (the process is re-parented), raise SIGHUP on ourselves — the root's one signal
// path then cancels the command (exit 129, nothing written; a write already under way finishes).
import type { Env } from '../ports.js';

export function watchSshHangup(env: Env, stdinIsTTY: boolean, intervalMs = 200): () => void {
  if (!env.get('SSH_CONNECTION') || stdinIsTTY) return () => {};
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGHUP');
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
