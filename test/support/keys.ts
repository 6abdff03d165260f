// What a terminal sends for each key; shared by the component tests (ink-testing-library stdin)
// and the pty tests.
export const ENTER = '\r';
export const ESC = '\x1b';
export const CTRL_C = '\x03';
export const CTRL_D = '\x04';
export const TAB = '\t';
export const BACKSPACE = '\x7f';
export const UP = '\x1b[A';
export const DOWN = '\x1b[B';
export const RIGHT = '\x1b[C';
export const LEFT = '\x1b[D';

/** What a terminal with bracketed paste on sends for a paste. */
export const bracketedPaste = (text: string): string => `\x1b[200~${text}\x1b[201~`;
