// After an API key passed the free check (a model list, which cannot see the balance): offer one
// billed 1-token request that can, with its price in words. No is the default.
import React from 'react';
import type { StepProps } from './props.js';
import { billingChoices, billingIntro, billingTitle } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function OfferBilling({ state, dispatch }: StepProps) {
  return <ListStep state={state} dispatch={dispatch} title={billingTitle()} intro={billingIntro()} list={billingChoices()} />;
}
