// After the check, before the write: the agent would go on using another profile (copied ones,
// or an order that puts another first). Ask whether the new credential goes first (Y/n).
import React from 'react';
import type { StepProps } from './props.js';
import { activeFirstChoices, activeFirstIntro, activeFirstTitle } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function UseFirst({ state, dispatch }: StepProps) {
  return <ListStep state={state} dispatch={dispatch} title={activeFirstTitle(state)} intro={activeFirstIntro(state)} list={activeFirstChoices(state)} />;
}
