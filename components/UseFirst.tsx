// After the check, before the write: the agent would go on using another profile (copied ones,
// or an order that puts another first). Ask whether the new credential goes first (Y/n).
import React from 'react';
import type { EventBody, WizardState } from '../src/wizard/machine.js';
import { useFirstChoices, useFirstIntro, useFirstTitle } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function UseFirst({ state, dispatch }: { state: WizardState; dispatch: (e: EventBody) => void }) {
  return <ListStep state={state} dispatch={dispatch} title={useFirstTitle(state)} intro={useFirstIntro(state)} list={useFirstChoices(state)} />;
}
