// Terminal plumbing every front end shares: what a front end gets of the terminal (`TerminalIo`,
// which a command's context satisfies), raw mode around Ink, and the terminal put back afterwards.
//
// Raw mode before the first frame, not after it. Ink turns raw mode on only when its effects run,
// just after it has drawn; a key typed in between is echoed by the terminal and cooked (Enter
// arrives as \n, which Ink does not read as Enter), so the keypress is lost, and a paste is echoed.

/** The terminal as a front end sees it: the streams and the process-wide cancellation signal. */
export interface TerminalIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on SIGINT (outside raw mode), SIGTERM and SIGHUP; `reason` is the signal name. */
  signal: AbortSignal;
  /** Exit code for the signal that aborted `signal` (130, 143, 129). */
  signalExitCode(): number;
}

/** Raw mode on now (terminals only). Ink's own raw-mode handling takes over from here. */
export function holdRawMode(stdin: NodeJS.ReadStream): void {
  try {
    if (stdin.isTTY && !stdin.isRaw) stdin.setRawMode(true);
  } catch {
    // stdin closed under us: Ink reports it when it tries
  }
}

/** Raw mode off again (after Ink unmounted, or when it never started). */
export function releaseRawMode(stdin: NodeJS.ReadStream): void {
  try {
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
  } catch {
    // stdin already closed (SSH dropped): nothing to restore
  }
}

/**
 * Belt and braces after Ink's own cleanup: raw mode off, bracketed paste and focus reports off,
 * cursor on; stdin no longer read (so ssh, asking on the terminal next, gets the keys).
 */
export function restoreTerminal(stdin: NodeJS.ReadStream, ui: NodeJS.WriteStream): void {
  releaseRawMode(stdin);
  if (ui.isTTY && !ui.destroyed) ui.write('\u001b[?2004l\u001b[?1004l\u001b[?25h');
  stdin.pause();
}
