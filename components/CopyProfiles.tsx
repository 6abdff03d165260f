// Step 2c: "copy profiles from main?" — No by default, and No means no.
import React from 'react';
import { copySource } from '../src/wizard/selectors.js';
import type { StepProps } from './props.js';
import { copyChoices } from '../src/wizard/choices.js';
import { agentOf } from './Frame.js';
import { ListStep } from './ListStep.js';

export function CopyProfiles({ state, dispatch }: StepProps) {
  const src = copySource(state);
  return <ListStep state={state} dispatch={dispatch} title={`Copy ${src?.id ?? 'main'}'s profiles into ${agentOf(state)}?`} list={copyChoices(state)} />;
}
