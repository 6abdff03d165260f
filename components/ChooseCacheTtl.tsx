// Step 6b (API keys): prompt-cache TTL. 5m writes nothing; 1h writes params.cacheControlTtl.
import React from 'react';
import type { StepProps } from './props.js';
import { ttlChoices } from '../src/wizard/choices.js';
import { ListStep } from './ListStep.js';

export function ChooseCacheTtl({ state, dispatch }: StepProps) {
  const model = state.flow.model ?? state.facts.look?.config.agents?.defaults?.model?.primary ?? '';
  const ref = model.includes('/') ? model : `anthropic/${model}`;
  const betas = state.facts.look?.config.models?.providers?.anthropic?.headers;
  const footer =
    betas && Object.keys(betas).some((k) => k.toLowerCase() === 'anthropic-beta')
      ? ['Your config overrides the anthropic-beta header: clawdia keeps extended-cache-ttl-2025-04-11 in it for 1h.']
      : [];
  return <ListStep state={state} dispatch={dispatch} title={`Prompt-cache TTL for ${ref} — applies to all agents`} list={ttlChoices(state)} footer={footer} />;
}
