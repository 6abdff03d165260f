// A new profile name, so both credentials are kept.
import React from 'react';
import { Text } from 'ink';
import type { StepProps } from './props.js';
import { agentOf, Frame, inputKeys } from './Frame.js';
import { TextInput } from './TextInput.js';

export function NameProfile({ state, dispatch }: StepProps) {
  return (
    <Frame state={state} title={`Name the new profile for agent ${agentOf(state)}`} keys={inputKeys(state, 'use it')}>
      <TextInput
        key={state.flow.attempt}
        label="profile id:"
        prefix="anthropic:"
        placeholder="e.g. work"
        onSubmit={(v) => dispatch({ type: 'profile-named', name: v })}
      />
      <Text dimColor> The new profile goes first in the order: it is the one used.</Text>
    </Frame>
  );
}
