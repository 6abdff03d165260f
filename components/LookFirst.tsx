// Step 1: look first. While the stored profiles are checked live, show what was found.
import React from 'react';
import { Text, useInput } from 'ink';
import type { StepProps } from './props.js';
import { apiHost, profileLines } from '../src/wizard/choices.js';
import { Frame, agentOf } from './Frame.js';
import { Spinner } from './Spinner.js';

export function LookFirst({ state, now, dispatch, animate }: StepProps & { now: number; animate: boolean }) {
  const probing = state.flow.lookPhase === 'probing';
  useInput(
    (_i, key) => {
      if (key.return) dispatch({ type: 'check-skipped' });
    },
    { isActive: probing },
  );
  if (!probing || !state.facts.look) {
    return (
      <Frame state={state}>
        <Text>Looking at what is already set up…</Text>
      </Frame>
    );
  }
  const lines = profileLines(state);
  return (
    <Frame
      state={state}
      title={`Agent ${agentOf(state)} already has ${lines.length} profile${lines.length === 1 ? '' : 's'}:`}
      keys={`Enter skip the check · Esc ${state.history.length ? 'back' : 'quit'} · Ctrl-C quit`}
    >
      {lines.map((l, i) => (
        <Text key={i}> {l}</Text>
      ))}
      <Text> </Text>
      <Spinner elapsedMs={now - state.facts.lookedAt} animate={animate} label={`Checking them with ${apiHost(state)} (nothing is written yet)…`} />
    </Frame>
  );
}
