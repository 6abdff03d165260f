// Step 1b: Fix it — offered first for an expired / invalid / disabled / cooling-down profile,
// keeping its id, its place in the order and its agent.
import React from 'react';
import { currentProblem } from '../src/wizard/selectors.js';
import type { StepProps } from './props.js';
import { fixChoices, kindWords, problemWords } from '../src/wizard/choices.js';
import { agentOf } from './Frame.js';
import { ListStep } from './ListStep.js';

export function FixIt({ state, dispatch }: StepProps) {
  const p = currentProblem(state);
  const agent = agentOf(state);
  if (!p) return null;
  return (
    <ListStep
      state={state}
      dispatch={dispatch}
      title={`Fix it? ${p.profileId} ${problemWords(p, state)}`}
      intro={[`${kindWords(p.type)} ${p.fingerprint}`, `A fix keeps the profile id ${p.profileId}, its place in the order and agent ${agent}.`]}
      list={fixChoices(state)}
    />
  );
}
