// Reading `claude setup-token`'s screen (SPEC §6.2, §9): a terminal model that keeps what is on the
// screen now, and the readers that find the sign-in URL, the code box, the "full code" complaint,
// an OAuth error, the token and its lifetime, and the child's last words. Pure: lines in, findings
// out — no I/O, no clock, no process (session.ts feeds it; test/unit/claude-screen.test.ts tables it).
//
// It stays beside the session, not in src/core/: it is knowledge of one outside program's wording
// and of the pty clawdia gives it, used by nothing but this adapter. Like core it imports only core.
import { redact } from '../../core/redact.js';

// The pty clawdia gives `claude setup-token`: wide, so Ink does not cut the 108-char token (SPEC §9).
export const PTY_COLS = 500;
export const PTY_ROWS = 50;

const DAY = 86_400_000;
const UNITS: Array<[RegExp, number]> = [
  [/^(y|yrs?|years?)$/, 365 * DAY],
  [/^(mo|mos|months?)$/, 30 * DAY],
  [/^(w|wks?|weeks?)$/, 7 * DAY],
  [/^(d|days?)$/, DAY],
  [/^(h|hrs?|hours?)$/, 3_600_000],
  [/^(m|mins?|minutes?)$/, 60_000],
];

/** "1 year", "30 days", "a year", "1 year 2 months" → ms; undefined when nothing is recognised. */
export function parseDurationMs(text: string): number | undefined {
  let total = 0;
  for (const m of text.toLowerCase().matchAll(/(\d+(?:\.\d+)?|an?|one)\s*([a-z]+)/g)) {
    const n = /^\d/.test(m[1]!) ? Number(m[1]) : 1;
    const unit = UNITS.find(([re]) => re.test(m[2]!));
    if (unit) total += n * unit[1];
  }
  return total > 0 ? Math.round(total) : undefined;
}

// ------------------------------------------------------------------------------- screen model

/**
 * Just enough of a terminal to read an Ink app's screen: printable text, CR/LF, cursor moves
 * (CUU/CUD/CUF/CUB/CHA/CUP/VPA, save/restore), erase line/screen. Ink (and Claude Code's
 * diffing renderer) redraws with relative moves and jumps over blanks with `ESC[nG`, so stripping
 * escapes would glue words and keep erased frames; this keeps what is on the screen now.
 */
export class TextScreen {
  private rows: string[][] = [[]];
  private top = 0;
  private r = 0;
  private c = 0;
  private saved = { r: 0, c: 0 };
  private mode: 'text' | 'esc' | 'csi' | 'osc' | 'oscEsc' | 'charset' = 'text';
  private seq = '';

  constructor(
    readonly width = 80,
    readonly height = 24,
    private readonly maxRows = 2000,
  ) {}

  write(s: string): void {
    for (const ch of s) this.put(ch);
    if (this.rows.length > this.maxRows) {
      const drop = this.rows.length - this.maxRows / 2;
      this.rows.splice(0, drop);
      this.r = Math.max(0, this.r - drop);
      this.top = Math.max(0, this.top - drop);
    }
  }

  /** The screen's lines (trimmed right), and the cursor row among them. */
  snapshot(): { lines: string[]; cursorRow: number } {
    return { lines: this.rows.slice(this.top).map((r) => r.join('').trimEnd()), cursorRow: this.r - this.top };
  }

  private row(i: number): string[] {
    while (this.rows.length <= i) this.rows.push([]);
    return this.rows[i]!;
  }

  private moveTo(r: number, c: number): void {
    this.r = Math.max(this.top, r);
    this.c = Math.min(Math.max(0, c), this.width - 1);
    this.row(this.r);
    if (this.r >= this.top + this.height) this.top = this.r - this.height + 1;
  }

  private lineFeed(): void {
    this.moveTo(this.r + 1, this.c);
  }

  private put(ch: string): void {
    switch (this.mode) {
      case 'text':
        return this.text(ch);
      case 'esc':
        return this.esc(ch);
      case 'csi':
        if (ch >= '@' && ch <= '~') {
          this.mode = 'text';
          this.csi(this.seq, ch);
        } else if (this.seq.length < 64) this.seq += ch;
        else this.mode = 'text';
        return;
      case 'osc':
        if (ch === '\u0007') this.mode = 'text';
        else if (ch === '\u001b') this.mode = 'oscEsc';
        return;
      case 'oscEsc':
        this.mode = 'text';
        return;
      case 'charset':
        this.mode = 'text';
        return;
    }
  }

  private text(ch: string): void {
    const code = ch.codePointAt(0)!;
    if (ch === '\u001b') {
      this.mode = 'esc';
      return;
    }
    if (code === 0x9b) {
      this.mode = 'csi';
      this.seq = '';
      return;
    }
    if (ch === '\r') this.c = 0;
    else if (ch === '\n' || ch === '\u000b' || ch === '\u000c') this.lineFeed();
    else if (ch === '\b') this.c = Math.max(0, this.c - 1);
    else if (ch === '\t') this.c = Math.min(this.width - 1, (Math.floor(this.c / 8) + 1) * 8);
    else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) {
      if (this.c >= this.width) {
        this.c = 0;
        this.lineFeed();
      }
      const row = this.row(this.r);
      while (row.length < this.c) row.push(' ');
      row[this.c] = ch;
      this.c++;
    }
  }

  private esc(ch: string): void {
    this.mode = 'text';
    if (ch === '[') {
      this.mode = 'csi';
      this.seq = '';
    } else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.mode = 'osc';
    else if (ch === '(' || ch === ')' || ch === '*' || ch === '+' || ch === '#' || ch === '%') this.mode = 'charset';
    else if (ch === '7') this.saved = { r: this.r, c: this.c };
    else if (ch === '8') this.moveTo(this.saved.r, this.saved.c);
    else if (ch === 'D') this.lineFeed();
    else if (ch === 'E') this.moveTo(this.r + 1, 0);
    else if (ch === 'M') this.moveTo(this.r - 1, this.c);
    else if (ch === 'c') {
      this.rows.length = this.top;
      this.moveTo(this.top, 0);
    }
  }

  private csi(seq: string, final: string): void {
    if (/^[?>=<]/.test(seq)) return; // private modes (bracketed paste, cursor visibility, …)
    const params = seq.split(';').map((p) => Number.parseInt(p, 10));
    const p0 = params[0];
    const n = p0 && p0 > 0 ? p0 : 1;
    const row = this.row(this.r);
    switch (final) {
      case 'A':
        return this.moveTo(this.r - n, this.c);
      case 'B':
      case 'e':
        return this.moveTo(this.r + n, this.c);
      case 'C':
      case 'a':
        return this.moveTo(this.r, this.c + n);
      case 'D':
        return this.moveTo(this.r, this.c - n);
      case 'E':
        return this.moveTo(this.r + n, 0);
      case 'F':
        return this.moveTo(this.r - n, 0);
      case 'G':
      case '`':
        return this.moveTo(this.r, n - 1);
      case 'd':
        return this.moveTo(this.top + n - 1, this.c);
      case 'H':
      case 'f': {
        const p1 = params[1];
        return this.moveTo(this.top + n - 1, (p1 && p1 > 0 ? p1 : 1) - 1);
      }
      case 'K':
        if (!p0) row.length = Math.min(row.length, this.c);
        else if (p0 === 1) for (let i = 0; i <= this.c && i < row.length; i++) row[i] = ' ';
        else row.length = 0;
        return;
      case 'J':
        if (!p0) {
          row.length = Math.min(row.length, this.c);
          this.rows.length = this.r + 1;
        } else if (p0 === 1) {
          for (let i = this.top; i < this.r; i++) this.rows[i] = [];
          for (let i = 0; i <= this.c && i < row.length; i++) row[i] = ' ';
        } else {
          this.rows.length = this.top;
          this.row(this.r);
        }
        return;
      case 'X':
        for (let i = this.c; i < this.c + n && i < row.length; i++) row[i] = ' ';
        return;
      case 'P':
        row.splice(this.c, n);
        return;
      case '@':
        if (this.c <= row.length) row.splice(this.c, 0, ...Array<string>(n).fill(' '));
        return;
      case 'L':
        this.rows.splice(this.r, 0, ...Array.from({ length: n }, () => []));
        return;
      case 'M':
        this.rows.splice(this.r, n);
        this.row(this.r);
        return;
      case 's':
        this.saved = { r: this.r, c: this.c };
        return;
      case 'u':
        return this.moveTo(this.saved.r, this.saved.c);
      default:
        return; // SGR, modes, queries, scroll regions: nothing to read
    }
  }
}

// ------------------------------------------------------------------------------- reading the screen

/**
 * A run starting at `start` on line `i` that Ink hard-wrapped: while it reaches the end of its line,
 * `wrapped` says that line was cut, and the next line holds only more of it, join. Returns the
 * joined text and the last line used.
 */
function joinWrapped(
  lines: string[],
  i: number,
  start: number,
  first: string,
  cont: RegExp,
  wrapped: (text: string, lineLength: number) => boolean,
): { text: string; last: number } {
  let text = first;
  let j = i;
  // The first piece must run to the end of its line; a continuation line is all piece by construction.
  if (start + first.length !== lines[i]!.length) return { text, last: j };
  while (j + 1 < lines.length && wrapped(text, lines[j]!.length)) {
    const m = cont.exec(lines[j + 1]!);
    if (!m) break;
    text += m[1]!;
    j++;
  }
  return { text, last: j };
}

// The sign-in URL is an OAuth authorize URL; any other URL on screen (in an error line, say) is not it.
const URL_RE = /https:\/\/\S*authorize\S*/;
const URL_CONT = /^\s*(\S+)$/;
const TOKEN_RE = /sk-ant-oat[A-Za-z0-9_-]*/;
const TOKEN_CONT = /^\s*([A-Za-z0-9_-]+)$/;
const TOKEN_LENGTH = 108;

/** A run of 32+ token characters: a code, a state, a key of some other shape (beyond what redact() masks). */
const LONG_OPAQUE = /[A-Za-z0-9_\-+/]{32,}/g;

/**
 * What `claude setup-token` last said before it ended without a token: the last `max` lines that
 * are words (no stack frames, no box drawing), each with anything secret-shaped replaced by its
 * fingerprint and any other long opaque run by "…" (the only child output clawdia shows).
 */
export function lastWords(lines: string[], max = 3): string[] {
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('__CLAWDIA_') && !/^at\s/.test(l) && /[A-Za-z]{2}/.test(l) && !/^[\s─━│┃╭╮╰╯┌┐└┘├┤═║>]*$/.test(l))
    .slice(-max)
    .map((l) => redact(l).replace(LONG_OPAQUE, (m) => (m.includes('sk-ant-') ? m : '…')))
    .map((l) => (l.length > 160 ? l.slice(0, 159) + '…' : l));
}

/** The sign-in URL, joined across wrapped lines; only once its last line is complete. */
export function findSignInUrl(lines: string[], completeBefore: number): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const m = URL_RE.exec(lines[i]!);
    if (!m) continue;
    // A wrapped line is as long as the longest on screen (the wrap width).
    const width = Math.max(...lines.map((l) => l.length));
    const { text, last } = joinWrapped(lines, i, m.index, m[0], URL_CONT, (_t, len) => len === width);
    if (last < completeBefore && /oauth|authorize/i.test(text)) return text;
  }
  return undefined;
}

/** The last `sk-ant-oat…` on screen, joined across wrapped lines; only once its last line is complete. */
export function findToken(lines: string[], completeBefore: number): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = TOKEN_RE.exec(lines[i]!);
    if (!m) continue;
    // Whole tokens are 108 chars: a shorter run, or one filling the default 80 or our pty's width,
    // was cut by Ink (SPEC §9) — an 80-char piece must not pass for a token.
    const { text, last } = joinWrapped(lines, i, m.index, m[0], TOKEN_CONT, (t, len) => t.length < TOKEN_LENGTH || len === 80 || len >= PTY_COLS);
    return last < completeBefore ? text : undefined;
  }
  return undefined;
}

const cleanLine = (l: string): string => redact(l.replace(/^[^A-Za-z0-9]+/, '').trim()).slice(0, 300);

/** `OAuth error: <reason>`, or the line above `Press Enter to retry`; undefined when neither is on screen. */
export function findOauthError(lines: string[]): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const m = /OAuth error\s*:?\s*(.*)$/i.exec(lines[i]!);
    if (!m) continue;
    let reason = m[1]!.trim();
    if (!reason) reason = lines.slice(i + 1).find((l) => l.trim() !== '' && !/press\s+enter/i.test(l)) ?? '';
    return cleanLine(reason).replace(/[.\s]+$/, '') || 'unknown error';
  }
  const retry = lines.findIndex((l) => /press\s+enter\s+to\s+retry/i.test(l));
  if (retry < 0) return undefined;
  const above = lines
    .slice(0, retry)
    .reverse()
    .find((l) => l.trim() !== '');
  return (above && cleanLine(above).replace(/[.\s]+$/, '')) || 'unknown error';
}

const REJECTED_RE = /doesn.?t look like the full code|not the full code/i;
const PROMPT_RE = /paste\s+code/i;
// 2.1.197 answers a code without `#` with "OAuth error: Invalid code. Please make sure the full code was copied".
const INVALID_CODE_RE = /invalid code|full code/i;

/** What one look at the screen finds; session.ts turns changes between looks into events. */
export interface ScreenFindings {
  /** The sign-in URL, joined across wrapped lines, once its last line is complete. */
  url?: string;
  /** The code box (`Paste code here if prompted`) is on screen … */
  prompt: boolean;
  /** … and nothing is typed in it. */
  inputEmpty: boolean;
  /** The "not the full code" complaint, in its own words (cleaned, redacted). */
  rejected?: string;
  /** `OAuth error: <reason>`, or the line above `Press Enter to retry`. */
  oauthError?: string;
  /** That OAuth error is an older release's answer to an incomplete code: a rejected code, not a failure. */
  invalidCode: boolean;
  /** The token as printed (joined across wrapped lines, not yet normalized), once complete. */
  token?: string;
  /** What `valid for <duration>` says, in ms, when it is on screen and understood. */
  validForMs?: number;
}

/**
 * Read the screen's lines. `completeBefore` is the first line that may still be drawn on (the
 * cursor's row while the child runs, Infinity once it has exited): a URL or token reaching it may be
 * cut, so it is not reported yet.
 */
export function readScreen(lines: string[], completeBefore: number): ScreenFindings {
  const found: ScreenFindings = {
    prompt: lines.some((l) => PROMPT_RE.test(l)),
    inputEmpty: lines.some((l) => PROMPT_RE.test(l) && /[>›:]\s*$/.test(l)),
    invalidCode: false,
  };
  const url = findSignInUrl(lines, completeBefore);
  if (url) found.url = url;
  const rejected = lines.find((l) => REJECTED_RE.test(l));
  if (rejected !== undefined) found.rejected = cleanLine(rejected);
  const oauth = findOauthError(lines);
  if (oauth) {
    found.oauthError = oauth;
    found.invalidCode = INVALID_CODE_RE.test(oauth);
  }
  const token = findToken(lines, completeBefore);
  if (token) found.token = token;
  const dur = lines.join('\n').match(/valid for\s+([^):\n]+)/i);
  const validForMs = dur ? parseDurationMs(dur[1]!) : undefined;
  if (validForMs !== undefined) found.validForMs = validForMs;
  return found;
}
