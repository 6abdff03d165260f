// The ClaudeCli port: find Claude Code, read its stored login, ask `claude auth status`, and run
// `claude setup-token` in a pseudo-terminal clawdia owns (SPEC §6.2, shape 2).
//
// execa is imported lazily (≈ 80 ms): `locate()` and `readLogin()` without the Keychain run no child.
// Nothing here puts a secret, or a child's raw output, into a message or an event: the token leaves
// only through `result.token`, and execa's error messages (which embed output) are never surfaced.
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ResultPromise } from 'execa';
import { checkShape, fingerprint, normalizeSecret } from '../../core/credentials.js';
import { redact } from '../../core/redact.js';
import type { ClaudeAuthStatus, ClaudeCli, ClaudeLogin, Env, SetupTokenEvent, SetupTokenResult, SetupTokenSession } from '../../ports.js';

export const KEYCHAIN_SERVICE = 'Claude Code-credentials';
export const INSTALL_HINT = 'npm install -g @anthropic-ai/claude-code';

export interface ClaudeCliOptions {
  platform?: NodeJS.Platform;
  /**
   * The environment children get (the Env port can only look names up, not list them).
   * Default `process.env`. PATH, HOME and CLAUDE_CONFIG_DIR from `env` are laid over it, so the
   * child sees the same Claude Code directory `readLogin()` reads.
   */
  childEnv?: NodeJS.ProcessEnv;
  /** SIGTERM → SIGKILL grace when stopping the setup-token child. Default 1000 ms. */
  killGraceMs?: number;
}

const PID_MARK = '__CLAWDIA_CHILD_PID=';
// The pty clawdia gives `claude setup-token`: wide, so Ink does not cut the 108-char token (SPEC §9).
const PTY_COLS = 500;
const PTY_ROWS = 50;
// Claude Code's input reads a multi-character chunk ending in \r as typed text: send Enter apart.
const ENTER_DELAY_MS = 100;
// The screen is read after this much quiet (frames arrive in bursts), and at least this often.
const SCAN_QUIET_MS = 30;
const SCAN_MAX_WAIT_MS = 250;

export function createClaudeCli(env: Env, opts: ClaudeCliOptions = {}): ClaudeCli {
  const platform = opts.platform ?? process.platform;
  const killGraceMs = opts.killGraceMs ?? 1000;

  const childEnv = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.childEnv ?? process.env)) if (v !== undefined) out[k] = v;
    for (const name of ['PATH', 'HOME', 'CLAUDE_CONFIG_DIR']) {
      const v = env.get(name);
      if (v !== undefined) out[name] = v;
    }
    return out;
  };

  const locate = (): string | null => {
    const override = env.get('CLAWDIA_CLAUDE_BIN');
    // An explicit override that is broken is reported as not found, never silently replaced by PATH.
    if (override) return override.includes('/') || isAbsolute(override) ? (isExecutable(resolve(override), platform) ? resolve(override) : null) : searchPath(override);
    return searchPath('claude');
  };

  const searchPath = (name: string): string | null => {
    const sep = platform === 'win32' ? ';' : ':';
    const exts = platform === 'win32' ? ['', ...(env.get('PATHEXT') ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
    for (const dir of (env.get('PATH') ?? '').split(sep)) {
      // An empty entry means the current directory: never run a `claude` from wherever we happen to be.
      if (!dir || !isAbsolute(dir)) continue;
      for (const ext of exts) {
        const candidate = join(dir, name + ext);
        if (isExecutable(candidate, platform)) return candidate;
      }
    }
    return null;
  };

  const claudeDir = (): string => env.get('CLAUDE_CONFIG_DIR') || join(env.get('HOME') || homedir(), '.claude');

  const readLogin = async (o: { keychain?: boolean } = {}): Promise<ClaudeLogin | null> => {
    const file = join(claudeDir(), '.credentials.json');
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const login = parseLogin(text, 'file', file);
      if (login) return login;
    }
    if (platform !== 'darwin' || !o.keychain) return null;
    try {
      const { execa } = await import('execa');
      // The secret comes back on stdout only; it is never in argv, and stdout is never shown.
      const r = await execa('security', ['find-generic-password', '-s', KEYCHAIN_SERVICE, '-w'], {
        reject: false,
        timeout: 10_000,
        stdin: 'ignore',
        env: childEnv(),
        extendEnv: false,
      });
      if (r.exitCode !== 0 || typeof r.stdout !== 'string') return null;
      return parseLogin(r.stdout, 'keychain', KEYCHAIN_SERVICE);
    } catch {
      return null;
    }
  };

  const authStatus = async (timeoutMs: number): Promise<ClaudeAuthStatus | null> => {
    const bin = locate();
    if (!bin) return null;
    try {
      const { execa } = await import('execa');
      const r = await execa(bin, ['auth', 'status', '--json'], {
        reject: false,
        timeout: timeoutMs,
        forceKillAfterDelay: 500,
        stdin: 'ignore',
        env: childEnv(),
        extendEnv: false,
      });
      if (r.timedOut || r.exitCode === undefined || typeof r.stdout !== 'string') return null;
      return parseAuthStatus(r.stdout);
    } catch {
      return null;
    }
  };

  const startSetupToken = (o: { timeoutMs: number; onEvent: (e: SetupTokenEvent) => void }): SetupTokenSession =>
    runSetupToken({ bin: locate(), platform, env: childEnv, timeoutMs: o.timeoutMs, onEvent: o.onEvent, killGraceMs });

  return { locate, readLogin, authStatus, startSetupToken };
}

function isExecutable(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (platform !== 'win32') accessSync(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------- parsing

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which is a secret here: say nothing.
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** `{claudeAiOauth:{accessToken, refreshToken, expiresAt, scopes, subscriptionType}}`; anything else → null. */
export function parseLogin(text: string, source: ClaudeLogin['source'], location: string): ClaudeLogin | null {
  const root = parseJson(text.trim());
  if (!isRecord(root) || !isRecord(root.claudeAiOauth)) return null;
  const o = root.claudeAiOauth;
  const accessToken = str(o.accessToken);
  if (!accessToken) return null;
  const login: ClaudeLogin = { source, location, accessToken };
  const refreshToken = str(o.refreshToken);
  if (refreshToken) login.refreshToken = refreshToken;
  const exp = typeof o.expiresAt === 'string' && /^\d+$/.test(o.expiresAt.trim()) ? Number(o.expiresAt) : o.expiresAt;
  if (typeof exp === 'number' && Number.isFinite(exp) && exp > 0) login.expiresAt = exp;
  const sub = str(o.subscriptionType);
  if (sub) login.subscriptionType = sub;
  if (Array.isArray(o.scopes)) login.scopes = o.scopes.filter((s): s is string => typeof s === 'string');
  return login;
}

export function parseAuthStatus(stdout: string): ClaudeAuthStatus | null {
  const v = parseJson(stdout.trim());
  if (!isRecord(v) || typeof v.loggedIn !== 'boolean') return null;
  const status: ClaudeAuthStatus = { loggedIn: v.loggedIn };
  const authMethod = str(v.authMethod);
  if (authMethod) status.authMethod = authMethod;
  const email = str(v.email);
  if (email) status.email = email;
  const sub = str(v.subscriptionType);
  if (sub) status.subscriptionType = sub;
  return status;
}

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


function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
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
function joinWrapped(lines: string[], i: number, start: number, first: string, cont: RegExp, wrapped: (text: string, lineLength: number) => boolean): { text: string; last: number } {
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

// ------------------------------------------------------------------------------- setup-token session

interface RunOptions {
  bin: string | null;
  platform: NodeJS.Platform;
  env: () => Record<string, string>;
  timeoutMs: number;
  onEvent: (e: SetupTokenEvent) => void;
  killGraceMs: number;
}

function humanMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms} ms`;
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/** Alive and not a zombie (a zombie ignores signals and is reaped by its parent or init). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Linux: the children of `pid`, to reach the shell/claude before it printed its pid. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function runSetupToken(o: RunOptions): SetupTokenSession {
  let settle!: (r: SetupTokenResult) => void;
  const result = new Promise<SetupTokenResult>((r) => (settle = r));
  let done = false;
  let sub: ResultPromise | null = null;
  let scriptPid: number | undefined;
  let childPid: number | undefined;
  let stopReason: 'stopped' | 'timeout' | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const pending: string[] = [];

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const emit = (e: SetupTokenEvent) => {
    if (done) return;
    try {
      o.onEvent(e);
    } catch {
      // A throwing listener must not break reading the child (the data handler would crash).
    }
  };
  const exitHook = () => signalAll('SIGKILL');
  const finish = (r: SetupTokenResult) => {
    if (done) return;
    done = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    process.removeListener('exit', exitHook);
    settle(r);
  };

  // ---- what the child shows
  const screen = new TextScreen(PTY_COLS, PTY_ROWS);
  const decoder = new StringDecoder('utf8');
  let head = '';
  let lastUrl: string | undefined;
  let promptVisible = false;
  let rejectedVisible = false;
  let pendingSubmit = false;
  let oauthVisible: string | undefined;
  let lastOauthError: string | undefined;
  let token: string | undefined;
  let tokenSent = false;
  let expiresInMs: number | undefined;
  let scanTimer: NodeJS.Timeout | undefined;
  let burstStart = 0;

  const session: SetupTokenSession = {
    submitCode(code: string) {
      // Control characters would act as keys (a newline would submit half a code).
      const clean = code.replace(/[\u0000-\u001f\u007f]/g, '').trim();
      write(clean);
      later(ENTER_DELAY_MS, () => {
        pendingSubmit = true;
        write('\r');
      });
    },
    pressEnter() {
      write('\r');
    },
    stop() {
      requestStop('stopped');
    },
    result,
  };

  if (!o.bin) {
    finish({ ok: false, failure: 'not_found', message: `Claude Code CLI not found. Install it with \`${INSTALL_HINT}\`, or paste a setup-token made on another machine.` });
    return session;
  }
  const bin = o.bin;

  const scan = (final: boolean) => {
    const { lines, cursorRow } = screen.snapshot();
    const completeBefore = final ? Infinity : cursorRow;
    // Once per URL: redraws repeat it; a retry after an OAuth error starts a new sign-in with a new
    // URL (2.1.197), and a code from the old one no longer works.
    const url = findSignInUrl(lines, completeBefore);
    if (url && url !== lastUrl) {
      lastUrl = url;
      emit({ type: 'url', url });
    }
    const prompt = lines.some((l) => PROMPT_RE.test(l));
    if (prompt && !promptVisible) emit({ type: 'awaiting-code' });
    promptVisible = prompt;

    const rejected = lines.find((l) => REJECTED_RE.test(l));
    // The same complaint again after a new code: Ink redraws it unchanged, so count a submitted code
    // whose input box has emptied again.
    const inputEmpty = lines.some((l) => PROMPT_RE.test(l) && /[>›:]\s*$/.test(l));
    if (rejected && (!rejectedVisible || (pendingSubmit && inputEmpty))) {
      pendingSubmit = false;
      emit({ type: 'code-rejected', message: cleanLine(rejected) });
    }
    rejectedVisible = rejected !== undefined;

    const oauth = findOauthError(lines);
    if (oauth && oauth !== oauthVisible) {
      pendingSubmit = false;
      if (INVALID_CODE_RE.test(oauth)) {
        // Older releases loop on "Press Enter to retry" for an incomplete code: go back to the
        // code box for the caller, who sees it as a rejected code.
        emit({ type: 'code-rejected', message: oauth.endsWith('.') ? oauth : `${oauth}.` });
        later(ENTER_DELAY_MS, () => write('\r'));
      } else {
        lastOauthError = oauth;
        emit({ type: 'oauth-error', reason: oauth });
      }
    }
    oauthVisible = oauth;

    const t = findToken(lines, completeBefore);
    if (t) {
      token = t;
      if (!tokenSent) {
        tokenSent = true;
        emit({ type: 'token-captured', fingerprint: fingerprint(normalizeSecret(t).value) });
      }
    }
    const dur = lines.join('\n').match(/valid for\s+([^):\n]+)/i);
    if (dur) expiresInMs = parseDurationMs(dur[1]!) ?? expiresInMs;
  };

  const onData = (chunk: Buffer) => {
    const s = decoder.write(chunk);
    if (childPid === undefined && head.length < 8192) {
      head += s;
      const m = new RegExp(`${PID_MARK}(\\d+)[\\r\\n]`).exec(head);
      if (m) childPid = Number(m[1]);
    }
    screen.write(s);
    // Read the screen once the child has finished drawing: a frame split across reads would show
    // the prompt erased-then-redrawn and fake a new `awaiting-code`.
    if (scanTimer) clearTimeout(scanTimer);
    else burstStart = Date.now();
    const wait = Math.max(0, Math.min(SCAN_QUIET_MS, burstStart + SCAN_MAX_WAIT_MS - Date.now()));
    scanTimer = setTimeout(() => {
      scanTimer = undefined;
      if (!done) scan(false);
    }, wait);
  };

  // ---- talking to and stopping the child
  function write(s: string) {
    if (done || stopReason) return;
    if (!sub) {
      pending.push(s);
      return;
    }
    try {
      sub.stdin?.write(s);
    } catch {
      // the child is gone; its exit decides the result
    }
  }

  function signalAll(sig: NodeJS.Signals) {
    // `script` puts the child in a session of its own: signalling script's group does not reach it.
    // Signal the child's group first; script then exits with it. util-linux script answers SIGTERM
    // itself by waiting seconds before it SIGKILLs the child, so script gets SIGTERM only while the
    // child is not found yet, and SIGKILL with everyone else at the end of the grace period.
    const kids = childPid !== undefined ? [childPid] : scriptPid !== undefined ? childrenOf(scriptPid) : [];
    const live = kids.filter(isRunning);
    for (const pid of live) killGroup(pid, sig);
    if (scriptPid !== undefined && (sig === 'SIGKILL' || live.length === 0)) killGroup(scriptPid, sig);
  }

  function requestStop(reason: 'stopped' | 'timeout') {
    if (done || stopReason) return;
    stopReason = reason;
    if (!sub) return; // not spawned yet: the launcher sees stopReason
    signalAll('SIGTERM');
    later(o.killGraceMs, () => signalAll('SIGKILL'));
  }

  async function ensureChildGone() {
    if (childPid === undefined) return;
    const deadline = Date.now() + o.killGraceMs + 2000;
    let killed = false;
    while (isRunning(childPid) && Date.now() < deadline) {
      if (!killed && Date.now() > deadline - 2000) {
        killed = true;
        killGroup(childPid, 'SIGKILL');
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const failureFor = (exitCode: number | undefined): SetupTokenResult => {
    if (stopReason === 'timeout') {
      return {
        ok: false,
        failure: 'timeout',
        message: `claude setup-token did not finish within ${humanMs(o.timeoutMs)}; it was stopped.`,
        ...(oauthVisible ? { oauthError: oauthVisible } : {}),
      };
    }
    if (stopReason === 'stopped') {
      const reason = oauthVisible ?? lastOauthError;
      if (reason) return { ok: false, failure: 'oauth_error', message: `Claude Code could not sign in: ${reason}.`, oauthError: reason };
      return { ok: false, failure: 'stopped', message: 'claude setup-token was stopped.' };
    }
    if (token) {
      const value = normalizeSecret(token).value;
      const shape = checkShape(value, 'token');
      if (shape.ok) return { ok: true, token: value, ...(expiresInMs !== undefined ? { expiresInMs } : {}) };
      return { ok: false, failure: 'no_token', message: `claude setup-token printed a token that is not usable (${shape.fingerprint}): ${shape.message}`, ...(exitCode !== undefined ? { exitCode } : {}) };
    }
    if (exitCode === 127) {
      return { ok: false, failure: 'not_found', message: `Claude Code CLI could not be run (${bin}). Install it with \`${INSTALL_HINT}\`, or paste a setup-token made on another machine.`, exitCode };
    }
    const said = lastWords(screen.snapshot().lines);
    const words = said.length ? { lastLines: said } : {};
    if (exitCode !== undefined && exitCode !== 0) {
      return { ok: false, failure: 'exit_code', message: `claude setup-token exited with code ${exitCode} without printing a token.`, exitCode, ...words };
    }
    return { ok: false, failure: 'no_token', message: 'claude setup-token ended without printing a token.', ...(exitCode !== undefined ? { exitCode } : {}), ...words };
  };

  later(o.timeoutMs, () => requestStop('timeout'));

  void (async () => {
    let execa: typeof import('execa').execa;
    try {
      ({ execa } = await import('execa'));
    } catch {
      finish({ ok: false, failure: 'spawn_failed', message: 'Could not load execa to run claude setup-token.' });
      return;
    }
    if (stopReason) {
      finish(failureFor(undefined));
      return;
    }
    const env = o.env();
    // Any CI variable makes Ink draw only its last frame; the pty is ours, so the child is interactive.
    for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
    if (!env.TERM || env.TERM === 'dumb') env.TERM = 'xterm-256color';
    const userShell = env.SHELL;
    // util-linux script runs the command with $SHELL -c: make that a POSIX shell for `$$` and `2>`.
    env.SHELL = '/bin/sh';
    const inner =
      `stty cols ${PTY_COLS} rows ${PTY_ROWS} 2>/dev/null; echo ${PID_MARK}$$; ` +
      (userShell ? `SHELL=${shellQuote(userShell)}; export SHELL; ` : 'unset SHELL; ') +
      `exec ${shellQuote(bin)} setup-token`;
    const bsd = o.platform === 'darwin' || o.platform === 'freebsd' || o.platform === 'openbsd' || o.platform === 'netbsd';
    const args = bsd ? ['-q', '/dev/null', '/bin/sh', '-c', inner] : ['-qfec', inner, '/dev/null'];
    try {
      sub = execa('script', args, {
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
        buffer: false,
        reject: false,
        detached: true,
        cleanup: false,
        env,
        extendEnv: false,
      });
    } catch {
      finish({ ok: false, failure: 'spawn_failed', message: 'Could not start `script` to give claude setup-token a terminal.' });
      return;
    }
    scriptPid = sub.pid;
    sub.stdout?.on('data', onData);
    sub.stderr?.resume(); // script's own notices ("Session terminated…"): not shown
    sub.stdin?.on('error', () => {}); // EPIPE after the child died: its exit decides the result
    if (scriptPid !== undefined) {
      process.on('exit', exitHook);
      emit({ type: 'started' });
      for (const s of pending.splice(0)) write(s);
    }
    const r = await sub;
    if (scanTimer) clearTimeout(scanTimer);
    const rest = decoder.end();
    if (rest) screen.write(rest);
    scan(true);
    if (r.exitCode === undefined && !r.signal) {
      finish({
        ok: false,
        failure: 'spawn_failed',
        message: `Could not start \`script\` to give claude setup-token a terminal${r.code ? ` (${r.code})` : ''}. On Linux it comes with util-linux.`,
      });
      return;
    }
    // script is gone; make sure claude is too (it has its own session under script).
    await ensureChildGone();
    finish(failureFor(r.exitCode));
  })();

  return session;
}
