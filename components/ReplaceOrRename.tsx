// An existing profile id: replace it (fingerprint shown) or save under a new anthropic:<name>.
import React from 'react';
import type { StepProps } from './props.js';
import { replaceChoices } from '../src/wizard/choices.js';
import { agentOf } from './Frame.js';
import { ListStep } from './ListStep.js';

export function ReplaceOrRename({ state, dispatch }: StepProps) {
  return <ListStep state={state} dispatch={dispatch} title={`Agent ${agentOf(state)} already has ${state.flow.profileId}.`} list={replaceChoices(state)} />;
}
