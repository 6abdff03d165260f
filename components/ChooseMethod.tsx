// Step 3: the method. (A) API key first and recommended; (B) `claude setup-token` only when
// Claude Code is found; (C) paste a setup-token; (D) Claude Code's login; then env credentials.
import React from 'react';
import type { StepProps } from './props.js';
import { detectedNotes, methodChoices, profileLines } from '../src/wizard/choices.js';
import { agentOf } from './Frame.js';
import { ListStep } from './ListStep.js';

export function ChooseMethod({ state, dispatch }: StepProps) {
  const stored = profileLines(state);
  const intro = stored.length ? [`Already stored for ${agentOf(state)}:`, ...stored.map((l) => `  ${l}`)] : undefined;
  return (
    <ListStep
      state={state}
      dispatch={dispatch}
      title={`How should agent ${agentOf(state)} authenticate to Anthropic?`}
      intro={intro}
      list={methodChoices(state)}
      footer={detectedNotes(state)}
    />
  );
}
