// Step 2: which agent. Auth is per agent: a new one starts empty.
import React from 'react';
import type { EventBody, WizardState } from '../src/wizard/state.js';
import { agentChoices } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function ChooseAgent({ state, dispatch }: { state: WizardState; dispatch: (e: EventBody) => void }) {
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
