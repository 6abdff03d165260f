// Step 2: which agent. Auth is per agent: a new one starts empty.
import React from 'react';
import type { StepProps } from './props.js';
import { agentChoices } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function ChooseAgent({ state, dispatch }: StepProps) {
  return (
    <ListStep
      state={state}
      dispatch={dispatch}
      title="Which agent is this credential for?"
      list={agentChoices(state)}
      footer={["Each agent has its own credentials; the gateway also lets every agent use main's."]}
    />
  );
}
