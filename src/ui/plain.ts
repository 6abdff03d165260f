// `--plain` (also TERM=dumb): the same machine, as a linear conversation — one question at a time,
// numbered choices (0 = back), secrets read with echo off, progress as plain lines; no spinners,
// no redraws, no cursor movement, no colour (plain-io.ts). Screen-reader friendly. The front end
// for `onboard --plain` and `models auth setup-token --plain` (commands/run-wizard.ts picks it).
import { describeShape } from '../core/credentials.js';
import { CONSOLE_API_KEYS, shownBaseUrl } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import { baseUrlWarning } from '../core/status.js';
import {
  agentChoices,
  copyChoices,
  detectedNotes,
  fixChoices,
  kindWords,
  methodChoices,
  modelChoices,
  problemWords,
  profileLines,
  replaceChoices,
  activeFirstChoices,
  apiHost,
  billingChoices,
  billingIntro,
  billingTitle,
  BILLING_PRICE_WORDS,
  activeFirstIntro,
  activeFirstTitle,
  ttlChoices,
  verdictChoices,
  type ChoiceList,
} from '../wizard/choices.js';
import { describeOAuthError } from '../wizard/notices.js';
import { currentProblem, isTerminal } from '../wizard/selectors.js';
import type { EventBody, Notice, WizardState } from '../wizard/state.js';
import type { WizardStore } from '../wizard/runner.js';
import { Cancelled, LineReader, lineWidth, wrapWords } from './plain-io.js';
import type { TerminalIo } from './terminal.js';

/** Resolves on the next state change. */
function nextChange(store: WizardStore): Promise<void> {
  return new Promise((resolve) => {
    const off = store.subscribe(() => {
      off();
      resolve();
    });
  });
}

/** `o.dumb`: TERM=dumb (no escape sequences at all, so no bracketed paste). */
export async function runPlain(store: WizardStore, ctx: TerminalIo, o: { json: boolean; dumb: boolean }): Promise<WizardState> {
  const out = o.json ? ctx.stderr : ctx.stdout;
  const width = () => lineWidth(out);
  // Every line word-wrapped here, continuation lines indented under their text (a screen reader
  // or a dumb terminal never gets a word cut in two by the terminal's own wrap).
  // Continuation lines go under the label ("  1) label" → 5 spaces), else 2 in from the line's own indent.
  const hang = (l: string) => /^\s*(?:\d+|-)\) /.exec(l)?.[0].length ?? /^\s*/.exec(l)![0].length + 2;
  const wrapped = (t: string) =>
    t
      .split('\n')
      .map((l) => wrapWords(l, width(), Math.min(hang(l), 12)))
      .join('\n');
  const say = (t = '') => void out.write(wrapped(t) + '\n');
  // Bracketed paste (a wrapped token pasted as one value) only where the terminal understands
  // escape sequences: never on TERM=dumb.
  const dumb = o.dumb;
  const input = new LineReader(ctx.stdin);
  let lastNotice: Notice | null = null;
  let lastProgress = '';

  /** Ask; the question is dropped when the machine moves on by itself (a result, a signal). */
  async function ask<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T | typeof ABORTED> {
    const ac = new AbortController();
    const before = store.getState();
    const off = store.subscribe(() => {
      const s = store.getState();
      if (s.flow !== before.flow || isTerminal(s)) ac.abort();
    });
    const onSignal = () => ac.abort();
    ctx.signal.addEventListener('abort', onSignal, { once: true });
    try {
      return await run(ac.signal);
    } catch (e) {
      if (e instanceof Cancelled) {
        if (e.message === 'ctrl-c' || e.message === 'eof') store.dispatch({ type: 'cancelled' });
        return ABORTED;
      }
      throw e;
    } finally {
      off();
      ctx.signal.removeEventListener('abort', onSignal);
    }
  }

  async function choose(message: string, list: ChoiceList, s: WizardState): Promise<void> {
    // The question, its choices and the prompt in one write: a reader gets them as one block.
    const block: string[] = [message];
    const picks: string[] = [];
    for (const c of list.choices) {
      if (c.disabled) {
        block.push(`  -) ${c.label} (not available)`);
      } else {
        picks.push(c.value);
        block.push(`  ${picks.length}) ${c.label}`);
      }
      for (const h of c.hints ?? []) block.push(`       ${h}`);
    }
    block.push(`  0) ${s.history.length ? 'Back' : 'Quit'}`);
    const def = list.choices[list.initial]?.value;
    const defNo = def ? picks.indexOf(def) + 1 : 0;
    const prompt = `Type 1 to ${picks.length}${defNo ? ` (Enter: ${defNo})` : ''}, or 0 to ${s.history.length ? 'go back' : 'quit'}: `;
    let ask1 = wrapped(block.join('\n')) + '\n';
    for (;;) {
      out.write(ask1 + wrapped(prompt.trimEnd()) + ' ');
      ask1 = '';
      const answer = await ask((signal) => input.line(signal));
      if (answer === ABORTED) return;
      const t = answer.trim();
      const n = t === '' && defNo ? defNo : /^\d+$/.test(t) ? Number(t) : NaN;
      if (n === 0) return store.dispatch({ type: 'went-back' });
      const value = picks[n - 1];
      if (value === undefined) {
        say(`"${t.slice(0, 20)}" is not one of the choices.`);
        continue;
      }
      const ev = list.choices.find((c) => c.value === value)?.event;
      if (ev) store.dispatch(ev);
      return;
    }
  }

  async function text(message: string, onValue: (v: string) => EventBody): Promise<void> {
    out.write(wrapped(`${message} (empty: back):`) + ' ');
    const v = await ask((signal) => input.line(signal));
    if (v === ABORTED) return;
    if (!v.trim()) return store.dispatch({ type: 'went-back' });
    store.dispatch(onValue(v));
  }

  async function secret(message: string, onValue: (v: string) => EventBody, expected?: 'api_key' | 'token'): Promise<void> {
    const tty = out.isTTY === true && !dumb;
    // Echo goes off before the question shows (input.secret), so nothing typed after it is echoed.
    const prompt = () => {
      if (tty) out.write('\u001b[?2004h');
      out.write(wrapped(`${message} (input hidden; empty: back):`) + ' ');
    };
    const v = await ask((signal) => input.secret(signal, prompt)).finally(() => {
      out.write('\n');
      if (tty) out.write('\u001b[?2004l');
    });
    if (v === ABORTED) return;
    if (!v.trim()) return store.dispatch({ type: 'went-back' });
    if (expected) say(`  read: ${describeShape(v, expected)}`);
    store.dispatch(onValue(v));
  }

  for (;;) {
    const s = store.getState();
    if (isTerminal(s)) break;
    const f = s.flow;
    const agent = f.agentId ?? s.facts.look?.agentId ?? 'main';
    const header = `[agent ${agent}${f.agentIsNew ? ', new' : ''}${s.options.dryRun ? ', dry run' : ''}]`;
    if (f.notice && f.notice !== lastNotice) {
      say(`${f.notice.tone === 'error' ? 'error' : 'note'}: ${f.notice.text}`);
      if (f.notice.hint) say(`  ${f.notice.hint}`);
    }
    lastNotice = f.notice;
    const progress = (line: string) => {
      if (line !== lastProgress) say(line);
      lastProgress = line;
    };
    switch (f.step) {
      case 'look-first':
        if (f.lookPhase === 'probing') {
          const lines = profileLines(s);
          progress(
            `${header} Agent ${agent} has ${lines.length} stored profile(s); checking them with ${apiHost(s)}…\n${lines.map((l) => '  ' + l).join('\n')}`,
          );
        } else progress(`${header} Looking at what is already set up…`);
        await nextChange(store);
        break;
      case 'fix-it': {
        const p = currentProblem(s)!;
        await choose(
          `${header} ${p.profileId} (${kindWords(p.type)}, ${p.fingerprint}) ${problemWords(p, s)}. Fix it? (keeps its id, order and agent)`,
          fixChoices(s),
          s,
        );
        break;
      }
      case 'choose-agent':
        await choose(`${header} Which agent is this credential for? (each agent has its own)`, agentChoices(s), s);
        break;
      case 'name-agent':
        await text(`${header} New agent id (lowercase letters, digits, - and _)`, (v) => ({ type: 'agent-named', agentId: v }));
        break;
      case 'copy-profiles':
        await choose(`${header} Copy the default agent's profiles into ${agent}?`, copyChoices(s), s);
        break;
      case 'choose-method': {
        const stored = profileLines(s);
        if (stored.length) say(`Already stored for ${agent}:\n${stored.map((l) => '  ' + l).join('\n')}`);
        for (const n of detectedNotes(s)) say(`note: ${n}`);
        await choose(`${header} How should agent ${agent} authenticate to Anthropic?`, methodChoices(s), s);
        break;
      }
      case 'enter-credential': {
        const apiKey = f.expected === 'api_key';
        say(apiKey ? `Create an API key at ${CONSOLE_API_KEYS}.` : 'Make a setup-token with `claude setup-token` on a machine with a browser.');
        await secret(
          `${header} Paste the ${apiKey ? 'API key' : 'setup-token'}`,
          (raw) => ({ type: 'credential-submitted', raw }),
          apiKey ? 'api_key' : 'token',
        );
        break;
      }
      case 'running-setup-token': {
        const setup = f.setup!;
        if (setup.phase === 'starting') {
          progress(
            `${header} Running \`claude setup-token\`. This step ends when the token arrives; Ctrl-C stops it (nothing is stored). It gives up after ${formatDuration(s.options.setupTokenTimeoutMs, { style: 'long' })}.`,
          );
          await nextChange(store);
        } else if (setup.phase === 'oauth-error') {
          say(`error: Sign-in failed: ${describeOAuthError(setup.oauthError ?? '')}`);
          const list: ChoiceList = {
            choices: [
              { value: 'retry', label: 'Try again', event: { type: 'setup-token-retried' } },
              { value: 'stop', label: 'Stop (paste a setup-token made elsewhere instead)', event: { type: 'went-back' } },
            ],
            initial: 0,
          };
          await choose('What now?', list, s);
        } else if (setup.url && (setup.phase === 'awaiting-code' || setup.phase === 'waiting')) {
          progress(`Open this URL in a browser and sign in with your Claude account:\n\n${setup.url}\n`);
          if (setup.codeError) say(`error: Claude Code did not accept the code: ${setup.codeError} Copy all of it (it has a # in the middle).`);
          await secret('Paste the code the page shows you', (code) => ({ type: 'code-submitted', code: code.trim() }));
        } else {
          if (setup.phase === 'captured') progress(`Token received (${setup.fingerprint}).`);
          else if (setup.phase === 'code-sent') progress('Code sent; waiting for the token…');
          await nextChange(store);
        }
        break;
      }
      case 'validating': {
        const c = f.credential!;
        const base = shownBaseUrl(s.facts.look?.env.ANTHROPIC_BASE_URL);
        const warn = baseUrlWarning({ ANTHROPIC_BASE_URL: s.facts.look?.env.ANTHROPIC_BASE_URL });
        progress(
          `Checking the ${kindWords(c.kind)} ${c.fingerprint} with ${base} (one request, timeout ${Math.round(s.options.timeoutMs / 1000)} s)…${warn ? `\nnote: ${warn}` : ''}`,
        );
        await nextChange(store);
        const o2 = store.getState().flow.validation?.outcome;
        if (o2 && store.getState().flow.step !== 'verdict')
          say(`${o2.verdict === 'valid' ? 'ok' : 'note'}: ${o2.message} (${o2.ms} ms${o2.requestId ? `, request ${o2.requestId}` : ''})`);
        break;
      }
      case 'verdict': {
        const o2 = f.validation!.outcome!;
        say(`error: ${o2.message} (verdict ${o2.verdict}${o2.requestId ? `, request ${o2.requestId}` : ''}). Nothing was stored.`);
        if (o2.hint) say(`  ${o2.hint}`);
        await choose('What now?', verdictChoices(s), s);
        break;
      }
      case 'replace-or-rename':
        await choose(`${header} Agent ${agent} already has ${f.profileId}.`, replaceChoices(s), s);
        break;
      case 'name-profile':
        await text(`${header} New profile name: anthropic:`, (v) => ({ type: 'profile-named', name: v }));
        break;
      case 'choose-model':
        await choose(`${header} Default model (applies to all agents)`, modelChoices(s), s);
        break;
      case 'choose-cache-ttl':
        await choose(`${header} Prompt-cache TTL (applies to all agents)`, ttlChoices(s), s);
        break;
      case 'offer-billing':
        for (const l of billingIntro()) say(l);
        await choose(`${header} ${billingTitle()}`, billingChoices(), s);
        break;
      case 'checking-billing':
        progress(`Checking the balance: one billed 1-token request (${BILLING_PRICE_WORDS})…`);
        await nextChange(store);
        break;
      case 'use-first':
        for (const l of activeFirstIntro(s)) say(l);
        await choose(`${header} ${activeFirstTitle(s)}`, activeFirstChoices(s), s);
        break;
      case 'saving':
        progress(s.options.dryRun ? 'Dry run: preparing the summary, writing nothing…' : 'Writing the config and the auth store…');
        await nextChange(store);
        break;
      default:
        await nextChange(store);
    }
  }
  input.close();
  return store.finished;
}

const ABORTED = Symbol('aborted');
