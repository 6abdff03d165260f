// §6.2: `claude setup-token` runs in a pseudo-terminal clawdia owns; this screen is clawdia's own:
// how the step ends (said before anything else), the sign-in URL (written once above the app,
// whole and unwrapped, so the terminal's own soft wrap keeps it copyable), a masked code input,
// and the child's complaints in clawdia's words. The token itself never reaches the screen.
import React, { useEffect, useRef } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import { describeOAuthError, type EventBody, type WizardState } from '../src/wizard/machine.js';
import { agentOf, Frame } from './Frame.js';
import { MaskedInput } from './MaskedInput.js';
import { Spinner } from './Spinner.js';

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`;
}

export function SetupToken({ state, dispatch, now, animate }: { state: WizardState; dispatch: (e: EventBody) => void; now: number; animate: boolean }) {
  const setup = state.flow.setup;
  const { write } = useStdout();
  const shown = useRef<string | null>(null);
  const url = setup?.url;
  useEffect(() => {
    if (url && shown.current !== url) {
      shown.current = url;
      write(`\nSign-in URL for agent ${agentOf(state)} (open it in a browser):\n\n${url}\n\n`);
    }
  }, [url]);
  const oauthError = setup?.phase === 'oauth-error';
  useInput((_i, key) => {
    if (key.return) dispatch({ type: 'setup-token-retried' });
  }, { isActive: oauthError });
  if (!setup) return null;
  const elapsed = now - setup.startedAt;
  const esc = state.options.mode === 'setup-token' ? 'Esc or Ctrl-C stops `claude` (nothing is stored).' : 'Esc stops `claude` and goes back to the methods; Ctrl-C stops it and quits.';
  return (
    <Frame state={state} title={`Claude subscription sign-in for agent ${agentOf(state)}: running \`claude setup-token\``} keys={oauthError ? 'Enter try again · Esc stop · Ctrl-C quit' : `Esc stop · Ctrl-C quit`}>
      <Text dimColor>This step ends when the token arrives, or after {minutes(state.options.setupTokenTimeoutMs)}.</Text>
      <Text dimColor>{esc}</Text>
      <Text> </Text>
      {setup.phase === 'starting' || (!url && setup.phase === 'waiting') ? <Spinner elapsedMs={elapsed} animate={animate} label="Starting `claude setup-token`…" /> : null}
      {url && setup.phase !== 'captured' ? (
        <Box flexDirection="column">
          <Text>1. Open the sign-in URL printed above in a browser and sign in with your Claude account.</Text>
          <Text>2. Paste the code the page shows you, then press Enter:</Text>
          <Text> </Text>
          {setup.phase === 'awaiting-code' || setup.phase === 'waiting' ? (
            <MaskedInput key={setup.codeError ?? 'code'} label="code:" onSubmit={(code) => code.trim() && dispatch({ type: 'code-submitted', code: code.trim() })} />
          ) : null}
          {setup.phase === 'code-sent' ? <Spinner elapsedMs={elapsed} animate={animate} label="Code sent; waiting for the token…" /> : null}
          {setup.codeError ? (
            <Text color="red">✘ Claude Code did not accept the code: {setup.codeError} Copy all of it (it has a # in the middle) and paste it again.</Text>
          ) : null}
        </Box>
      ) : null}
      {oauthError ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red">✘ Sign-in failed: {describeOAuthError(setup.oauthError ?? '')}</Text>
          <Text>Press Enter to try again, or Esc to stop (you can paste a setup-token made elsewhere instead).</Text>
        </Box>
      ) : null}
      {setup.phase === 'captured' ? <Text color="green">✔ Token received ({setup.fingerprint}); checking it…</Text> : null}
    </Frame>
  );
}
