// Step 5: one live request, a spinner and the elapsed time; where the secret is sent when that
// is not api.anthropic.com (SPEC §9).
import React from 'react';
import { Text } from 'ink';
import { shownBaseUrl } from '../src/core/copy.js';
import { baseUrlWarning } from '../src/core/status.js';
import type { ViewState } from '../src/wizard/state.js';
import { kindWords } from '../src/wizard/choices.js';
import { agentOf, Frame } from './Frame.js';
import { Spinner } from './Spinner.js';

export function Validating({ state, now, animate, billed = false }: { state: ViewState; now: number; animate: boolean; billed?: boolean }) {
  const c = state.flow.credential;
  const v = state.flow.validation;
  if (!c) return null;
  const base = state.facts.look?.env.ANTHROPIC_BASE_URL;
  const warn = baseUrlWarning({ ANTHROPIC_BASE_URL: base });
  return (
    <Frame
      state={state}
      title={billed ? `Checking the balance behind the API key for agent ${agentOf(state)}` : `Checking the ${kindWords(c.kind)} for agent ${agentOf(state)}`}
      keys={`Esc stop and go back · Ctrl-C quit`}
    >
      <Text>
        {c.fingerprint} <Text dimColor>from {c.source}</Text>
      </Text>
      <Text> </Text>
      <Spinner
        elapsedMs={v ? now - v.startedAt : 0}
        animate={animate}
        label={`${billed ? 'One billed 1-token request' : 'One request'} to ${shownBaseUrl(base)} (timeout ${Math.round(state.options.timeoutMs / 1000)} s)…`}
      />
      {warn ? <Text color="yellow">! {warn}</Text> : null}
    </Frame>
  );
}
