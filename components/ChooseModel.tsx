// Step 6a (API keys): the default model, from the list the key's own check returned.
import React from 'react';
import type { StepProps } from './props.js';
import { modelChoices } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function ChooseModel({ state, dispatch }: StepProps) {
  return (
    <ListStep
      state={state}
      dispatch={dispatch}
      title="Default model — applies to all agents"
      intro={['These are the models this key can use (from its check).']}
      list={modelChoices(state)}
      hints="focused"
    />
  );
}
