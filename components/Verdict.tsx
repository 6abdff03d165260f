// Step 5b: a check that did not pass — the verdict in words, the next step, and what can be done
// (retry / paste again / save unverified where SPEC §4 allows / another method).
import React from 'react';
import type { StepProps } from './props.js';
import { verdictChoices } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function Verdict({ state, dispatch }: StepProps) {
  const o = state.flow.validation?.outcome;
  if (!o) return null;
  const intro = [
    o.hint,
    `verdict: ${o.verdict}${o.httpStatus ? ` (HTTP ${o.httpStatus})` : ''}${o.requestId ? ` · request ${o.requestId}` : ''} · ${o.ms} ms · nothing was stored`,
  ].filter(Boolean);
  return <ListStep state={state} dispatch={dispatch} title={`✘ ${o.message}`} intro={intro} list={verdictChoices(state)} />;
}
