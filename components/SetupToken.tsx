// §6.2: `claude setup-token` runs in a pseudo-terminal clawdia owns; this screen is clawdia's own:
// how the step ends (said before anything else), the sign-in URL (written once above the app,
// whole and unwrapped, so the terminal's own soft wrap keeps it copyable), a masked code input,
// and the child's complaints in clawdia's words. The token itself never reaches the screen.
// The live area is sized to the terminal before it is drawn (components/fit.ts): in a short
// terminal the explanations go first, then the blank rows, then the long wording, so the screen
// is never taller than the terminal (Ink would rewrite it whole on every tick, pushing a copy
// into the scrollback each time and erasing the URL above).
import React, { useEffect, useRef } from 'react';
import { Text, useInput, useStdout, useWindowSize } from 'ink';
import { SUBSCRIPTION_TERMS } from '../src/core/copy.js';
import { formatDuration } from '../src/core/duration.js';
import { describeOAuthError } from '../src/wizard/notices.js';
import type { EventBody, ViewState } from '../src/wizard/state.js';
import { linesRows } from './fit.js';
import { agentOf, Frame, frameRows } from './Frame.js';
import { MaskedInput } from './MaskedInput.js';
import type { StepProps } from './props.js';
import { Spinner } from './Spinner.js';

interface Row {
  /** The text as drawn (for counting rows); '' is a blank row. */
  text: string;
  node: React.ReactNode;
}

/** 0 = everything; 1 = without the how-it-ends lines; 2 = no blank rows; 3 = short wording too. */
export type SetupLevel = 0 | 1 | 2 | 3;

function layout(state: ViewState, level: SetupLevel, now: number, animate: boolean, dispatch: (e: EventBody) => void) {
  const setup = state.flow.setup!;
  const agent = agentOf(state);
  const short = level >= 3;
  const blank = (key: string): Row[] => (level >= 2 ? [] : [{ text: '', node: <Text key={key}> </Text> }]);
  const url = setup.url;
  const oauthError = setup.phase === 'oauth-error';
  const title = short ? `\`claude setup-token\` for agent ${agent}` : `Claude subscription sign-in for agent ${agent}: running \`claude setup-token\``;
  const keys = oauthError ? 'Enter try again · Esc stop · Ctrl-C quit' : 'Esc stop · Ctrl-C quit';
  const rows: Row[] = [];
  if (level === 0) {
    const ends = `This step ends when the token arrives, or after ${formatDuration(state.options.setupTokenTimeoutMs, { style: 'long' })}.`;
    const esc =
      state.options.mode === 'setup-token'
        ? 'Esc or Ctrl-C stops `claude` (nothing is stored).'
        : 'Esc stops `claude` and goes back to the methods; Ctrl-C stops it and quits.';
    rows.push(
      {
        text: ends,
        node: (
          <Text key="ends" dimColor>
            {ends}
          </Text>
        ),
      },
      {
        text: esc,
        node: (
          <Text key="esc" dimColor>
            {esc}
          </Text>
        ),
      },
      ...blank('b0'),
    );
  }
  // The method menu says this under the subscription choices; a run that skipped the menu
  // (--auth-choice setup-token, `models auth setup-token`) is told here.
  if (level <= 2 && (state.options.authChoice === 'setup-token' || state.options.mode === 'setup-token')) {
    rows.push(
      {
        text: SUBSCRIPTION_TERMS,
        node: (
          <Text key="terms" color="yellow">
            {SUBSCRIPTION_TERMS}
          </Text>
        ),
      },
      ...blank('bt'),
    );
  }
  const spin = (key: string, from: number, label: string): Row => ({
    text: `⠋ ${label} 00.0 s`,
    node: <Spinner key={key} elapsedMs={now - from} animate={animate} label={label} />,
  });
  if (setup.phase === 'starting' || (!url && setup.phase === 'waiting')) rows.push(spin('start', setup.startedAt, 'Starting `claude setup-token`…'));
  if (url && setup.phase !== 'captured') {
    const one = short
      ? '1. Open the sign-in URL above and sign in.'
      : '1. Open the sign-in URL printed above in a browser and sign in with your Claude account.';
    const two = short ? '2. Paste the code it shows, then Enter:' : '2. Paste the code the page shows you, then press Enter:';
    rows.push({ text: one, node: <Text key="one">{one}</Text> }, { text: two, node: <Text key="two">{two}</Text> }, ...blank('b1'));
    if (setup.phase === 'awaiting-code' || setup.phase === 'waiting') {
      rows.push({
        text: `› code: ${'•'.repeat(41)} `,
        node: (
          <MaskedInput
            key={`code:${setup.codeError ?? ''}`}
            label="code:"
            onSubmit={(code) => code.trim() && dispatch({ type: 'code-submitted', code: code.trim() })}
          />
        ),
      });
    }
    if (setup.phase === 'code-sent') rows.push(spin('sent', setup.codeSentAt ?? setup.startedAt, 'Code sent; waiting for the token…'));
    if (setup.codeError) {
      const t = `✘ Claude Code did not accept the code: ${setup.codeError} Copy all of it (it has a # in the middle) and paste it again.`;
      rows.push({
        text: t,
        node: (
          <Text key="codeerr" color="red">
            {t}
          </Text>
        ),
      });
    }
  }
  if (oauthError) {
    const a = `✘ Sign-in failed: ${describeOAuthError(setup.oauthError ?? '')}`;
    const b = 'Press Enter to try again, or Esc to stop (you can paste a setup-token made elsewhere instead).';
    rows.push(
      ...blank('b2'),
      {
        text: a,
        node: (
          <Text key="oa" color="red">
            {a}
          </Text>
        ),
      },
      { text: b, node: <Text key="ob">{b}</Text> },
    );
  }
  if (setup.phase === 'captured') {
    const t = `✔ Token received (${setup.fingerprint}); checking it…`;
    rows.push({
      text: t,
      node: (
        <Text key="cap" color="green">
          {t}
        </Text>
      ),
    });
  }
  return { title, keys, rows, compact: level >= 2 };
}

/** The fullest layout that fits `rows` terminal rows (the last line stays free for the cursor), and whether any does. */
export function setupLayoutLevel(state: ViewState, columns: number, rows: number): { level: SetupLevel; fits: boolean } {
  for (const level of [0, 1, 2, 3] as const) {
    const l = layout(state, level, 0, false, () => {});
    const height =
      frameRows(state, { title: l.title, keys: l.keys, width: columns, compact: l.compact }) +
      linesRows(
        l.rows.map((r) => r.text),
        columns - 2,
      );
    if (height < rows) return { level, fits: true };
  }
  return { level: 3, fits: false };
}

export function SetupToken({ state, dispatch, now, animate }: StepProps & { now: number; animate: boolean }) {
  const setup = state.flow.setup;
  const { write } = useStdout();
  const { columns, rows } = useWindowSize();
  const shown = useRef<string | null>(null);
  const url = setup?.url;
  useEffect(() => {
    if (url && shown.current !== url) {
      shown.current = url;
      write(`\nSign-in URL for agent ${agentOf(state)} (open it in a browser):\n\n${url}\n\n`);
    }
  }, [url]);
  const oauthError = setup?.phase === 'oauth-error';
  useInput(
    (_i, key) => {
      if (key.return) dispatch({ type: 'setup-token-retried' });
    },
    { isActive: oauthError },
  );
  if (!setup) return null;
  const { level, fits } = setupLayoutLevel(state, columns, rows);
  const l = layout(state, level, now, animate && fits, dispatch);
  return (
    <Frame state={state} title={l.title} keys={l.keys} compact={l.compact}>
      {l.rows.map((r) => r.node)}
    </Frame>
  );
}
