// The reader of `claude setup-token`'s screen (src/adapters/claude/screen.ts), as a table: captured
// screens of the fixture `claude` and of the real Claude Code 2.1.332 / 2.1.197 (SPEC §6.2, §9) →
// what one look at them finds, and the last words shown when the child ends without a token.
// Pure: no child, no pty. Secrets, codes and states are generated at run time.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ScreenFindings, TextScreen, lastWords, readScreen } from '../../src/adapters/claude/screen.js';
import { maskCredential } from '../../src/core/credentials.js';
import { makeSecret } from '../support/cli.js';

const DAY = 86_400_000;
const rand = (n: number) => randomBytes(n).toString('base64url').slice(0, n);
/** A token the way `claude setup-token` prints one: sk-ant-oat01- and 95 more, 108 in all. */
const makeToken = () => `sk-ant-oat01-${rand(95)}`;
const URL =
  'https://claude.ai/oauth/authorize?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e' +
  '&response_type=code&redirect_uri=https%3A%2F%2Fconsole.anthropic.com%2Foauth%2Fcode%2Fcallback' +
  `&scope=user%3Ainference&code_challenge=${rand(43)}&code_challenge_method=S256&state=${rand(43)}`;
const TOKEN = makeToken();

/** Hard-wrap a run with no spaces the way Ink does at `width` columns. */
const cut = (s: string, width = 80): string[] => s.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];

const HEAD = ['Welcome to Claude Code v2.1.332', '.'.repeat(58), ''];
const PROMPT_FRAME = [...HEAD, " Browser didn't open? Use the url below to sign in (c to copy)", '', URL, '', '', ' Paste code here if prompted >'];
/** Piped (or a pty whose `stty cols` did not take): everything wraps at 80, the URL over four lines. */
const URL_80 = cut(URL);
const DONE = (duration: string) => [' ✓ Long-lived authentication token created successfully!', '', ` Your OAuth token (valid for ${duration}):`, ''];
const STORE = [' Store this token securely. You will not be able to see it again.', '', ' Use this token by setting: export CLAUDE_CODE_OAUTH_TOKEN=<token>'];
const RETRY = ['', ' Press Enter to retry.'];

const nothing: ScreenFindings = { prompt: false, inputEmpty: false, invalidCode: false };
const codeBox: ScreenFindings = { ...nothing, prompt: true, inputEmpty: true };

interface Row {
  name: string;
  lines: string[];
  /** The first line still being drawn (the cursor's row); default: the child has exited. */
  completeBefore?: number;
  found: ScreenFindings;
  /** The last words, when this screen is the last one of a child that ended without a token. */
  words?: string[];
}

const table: Row[] = [
  { name: 'fixture: opening spinner', lines: [...HEAD, ' ✢ Opening browser to sign in…'], found: nothing },
  { name: 'fixture, 500-column pty: URL on one line and the empty code box', lines: PROMPT_FRAME, found: { ...codeBox, url: URL } },
  {
    name: '2.1.332 at 80 columns: the URL wrapped over four lines, the box labelled without `>`',
    lines: [...HEAD, " Browser didn't open? Use the url below to sign in (c to copy)", '', ...URL_80, '', ' Paste code here if prompted'],
    found: { ...nothing, prompt: true, url: URL },
  },
  {
    name: '2.1.332 at 80 columns: the URL still being drawn on the cursor row is not reported',
    lines: [...HEAD, " Browser didn't open? Use the url below to sign in (c to copy)", '', ...URL_80],
    completeBefore: HEAD.length + 2 + URL_80.length - 1,
    found: nothing,
  },
  {
    name: '2.1.197: the box with `>` and a code typed in it',
    lines: [...PROMPT_FRAME.slice(0, -1), ` Paste code here if prompted > ${rand(40)}`],
    found: { ...nothing, prompt: true, url: URL },
  },
  {
    name: 'a code without its `#`: "That doesn\'t look like the full code."',
    lines: [...PROMPT_FRAME, '', " That doesn't look like the full code."],
    found: { ...codeBox, url: URL, rejected: "That doesn't look like the full code." },
  },
  {
    name: 'the complaint with a typographic apostrophe',
    lines: [...PROMPT_FRAME, '', ' That doesn’t look like the full code.'],
    found: { ...codeBox, url: URL, rejected: 'That doesn’t look like the full code.' },
  },
  {
    name: '2.1.332: ✘ OAuth error: … ENOTFOUND, then Press Enter to retry',
    lines: [...HEAD, ' ✘ OAuth error: getaddrinfo ENOTFOUND console.anthropic.com', ...RETRY],
    found: { ...nothing, oauthError: 'getaddrinfo ENOTFOUND console.anthropic.com' },
  },
  {
    name: 'OAuth error with its reason on the next line',
    lines: [...HEAD, ' ✘ OAuth error:', '   ENOTFOUND console.anthropic.com', ...RETRY],
    found: { ...nothing, oauthError: 'ENOTFOUND console.anthropic.com' },
  },
  {
    name: 'only Press Enter to retry: the line above is the reason',
    lines: [...HEAD, ' ✘ Request failed: connect ETIMEDOUT 160.79.104.10:443', ...RETRY],
    found: { ...nothing, oauthError: 'Request failed: connect ETIMEDOUT 160.79.104.10:443' },
  },
  {
    name: '2.1.197: an incomplete code answered with OAuth error: Invalid code',
    lines: [...HEAD, ' ✘ OAuth error: Invalid code. Please make sure the full code was copied', ...RETRY],
    found: { ...nothing, oauthError: 'Invalid code. Please make sure the full code was copied', invalidCode: true },
  },
  {
    name: 'fixture, 500-column pty: the token on its own line, valid for 1 year',
    lines: [...HEAD, ...DONE('1 year'), TOKEN, '', ...STORE],
    found: { ...nothing, token: TOKEN, validForMs: 365 * DAY },
  },
  {
    name: '2.1.332 at 80 columns: the token wrapped after `Your OAuth token (valid for 30 days):`',
    lines: [...HEAD, ...DONE('30 days'), ...cut(TOKEN), '', ...STORE],
    found: { ...nothing, token: TOKEN, validForMs: 30 * DAY },
  },
  {
    name: "at 80 columns, the token's second line still on the cursor row: no token yet",
    lines: [...HEAD, ...DONE('1 year'), ...cut(TOKEN)],
    completeBefore: HEAD.length + DONE('1 year').length + 1,
    found: { ...nothing, validForMs: 365 * DAY },
  },
  {
    name: 'a token cut at 80 with nothing after it: only the piece (session.ts refuses it by its shape)',
    lines: [...HEAD, ...DONE('1 year'), TOKEN.slice(0, 80)],
    found: { ...nothing, token: TOKEN.slice(0, 80), validForMs: 365 * DAY },
  },
  {
    name: 'created, but no token printed',
    lines: [...HEAD, ...DONE('1 year'), STORE[0]!],
    found: { ...nothing, validForMs: 365 * DAY },
  },
  {
    name: 'fixture fail mode: an early exit with an error, its cause and stack frames',
    lines: [
      '__CLAWDIA_CHILD_PID=4242',
      'Error: Failed to start the sign-in flow: request to https://console.anthropic.com/v1/oauth/token failed',
      'Cause: getaddrinfo ENOTFOUND console.anthropic.com',
      '    at startOAuthFlow (file:///usr/lib/node_modules/@anthropic-ai/claude-code/cli.js:4123:17)',
      '    at async setupToken (file:///usr/lib/node_modules/@anthropic-ai/claude-code/cli.js:4188:5)',
    ],
    found: nothing,
    words: [
      'Error: Failed to start the sign-in flow: request to https://console.anthropic.com/v1/oauth/token failed',
      'Cause: getaddrinfo ENOTFOUND console.anthropic.com',
    ],
  },
  {
    name: 'an early exit inside a box: borders dropped, the last three lines of words kept',
    lines: [...HEAD, 'Error: unexpected status 500', '╭──────────────────╮', '│ Try again later. │', '╰──────────────────╯', '', '>'],
    found: nothing,
    words: ['Welcome to Claude Code v2.1.332', 'Error: unexpected status 500', '│ Try again later. │'],
  },
];

describe('reading the screen of claude setup-token', () => {
  it.each(table)('$name', ({ lines, completeBefore, found, words }) => {
    expect(readScreen(lines, completeBefore ?? Number.POSITIVE_INFINITY)).toEqual(found);
    if (words) expect(lastWords(lines)).toEqual(words);
  });

  it('an early exit that printed a secret and a long opaque run: masked, never shown', () => {
    const key = makeSecret('api');
    const code = randomBytes(24).toString('hex');
    const lines = [...HEAD, `Error: the exchange was refused for ${key}`, `state ${code} is unknown`];
    const said = lastWords(lines);
    expect(said).toEqual([HEAD[0], `Error: the exchange was refused for ${maskCredential(key)}`, 'state … is unknown']);
    expect(said.join('\n')).not.toContain(key.slice(12));
    expect(readScreen(lines, Number.POSITIVE_INFINITY)).toEqual(nothing);
  });

  it("the fixture's redraw: the opening frame erased, the prompt frame drawn with colour and CHA jumps", () => {
    const screen = new TextScreen(500, 50);
    const opening = 'Welcome\x1b[9Gto\x1b[12GClaude\x1b[19GCode\x1b[24Gv2.1.332\n' + `${'.'.repeat(58)}\n\n` + '\x1b[2G✢\x1b[4GOpening\x1b[12Gbrowser…\n';
    screen.write(`\x1b[?25l\x1b[?2004h\x1b[?1004h\x1b[?2031h${opening.replace(/\n/g, '\r\n')}`);
    const prompt = [
      'Welcome\x1b[9Gto\x1b[12GClaude\x1b[19GCode\x1b[24Gv2.1.332',
      '.'.repeat(58),
      '',
      "\x1b[37m Browser didn't open? Use the url below to sign in (c to copy)\x1b[39m",
      '',
      `\x1b[37m${URL}\x1b[39m`,
      '',
      '',
      '\x1b[2GPaste\x1b[8Gcode\x1b[13Ghere\x1b[18Gif\x1b[21Gprompted\x1b[30G>',
    ];
    screen.write(`\x1b[2K${'\x1b[1A\x1b[2K'.repeat(4)}\x1b[G${prompt.join('\r\n')}\r\n`);
    const { lines, cursorRow } = screen.snapshot();
    expect(lines.filter(Boolean)).toEqual(PROMPT_FRAME.filter(Boolean));
    expect(readScreen(lines, cursorRow)).toEqual({ ...codeBox, url: URL });
  });
});
