// Step 2b: name a new agent (id validated by the machine).
import React from 'react';
import type { StepProps } from './props.js';
import { Frame, inputKeys } from './Frame.js';
import { Text } from 'ink';
import { TextInput } from './TextInput.js';

export function NameAgent({ state, dispatch }: StepProps) {
  return (
    <Frame state={state} title="Name the new agent" keys={inputKeys(state, 'create it')}>
      <TextInput key={state.flow.attempt} label="agent id:" placeholder="e.g. work" onSubmit={(v) => dispatch({ type: 'agent-named', agentId: v })} />
      <Text dimColor> lowercase letters, digits, "-" and "_"; it starts with no credentials</Text>
    </Frame>
  );
}
