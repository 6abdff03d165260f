// Raw mode before the first frame, not after it. Ink turns raw mode on only when its effects run,
// just after it has drawn; a key typed in between is echoed by the terminal and cooked (Enter
// arrives as \n, which Ink does not read as Enter), so the keypress is lost, and a paste is echoed.

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
