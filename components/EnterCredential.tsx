// Step 4: paste an API key or a setup-token. Masked; live shape feedback; the machine checks the
// shape again on Enter (truncation and wrong kind are caught before any request).
import React, { useState } from 'react';
import { Text, useInput, usePaste } from 'ink';
import { CONSOLE_API_KEYS, SUBSCRIPTION_TERMS } from '../src/core/copy.js';
import { describeShape } from '../src/core/credentials.js';
import type { StepProps } from './props.js';
import { agentOf, Frame, inputKeys } from './Frame.js';
import { MaskedInput } from './MaskedInput.js';

export function EnterCredential({ state, dispatch }: StepProps) {
  const apiKey = state.flow.expected === 'api_key';
  const expected = apiKey ? 'api_key' : 'token';
  const agent = agentOf(state);
  const title = apiKey ? `Paste the Anthropic API key for agent ${agent}` : `Paste the setup-token for agent ${agent}`;
  const where = apiKey
    ? `Create one at ${CONSOLE_API_KEYS} (it starts with sk-ant-api).`
    : 'Made with `claude setup-token` (on any machine with a browser); it starts with sk-ant-oat.';
  // The error that brought the user back is about the last value: gone once they type or paste again.
  const [typed, setTyped] = useState(false);
  useInput((input, key) => {
    if (!typed && !key.escape && !key.return && !(key.ctrl && input === 'c') && (input !== '' || key.backspace || key.delete)) setTyped(true);
  });
  usePaste(() => {
    if (!typed) setTyped(true);
  });
  return (
    <Frame state={state} title={title} keys={inputKeys(state)} hideNotice={typed}>
      <Text dimColor>{where}</Text>
      <Text dimColor>Input is hidden. A token wrapped over several lines is joined.</Text>
      {!apiKey && state.options.authChoice === 'paste-token' ? <Text color="yellow">{SUBSCRIPTION_TERMS}</Text> : null}
      <Text> </Text>
      <MaskedInput
        key={state.flow.attempt}
        label={apiKey ? 'API key:' : 'setup-token:'}
        describe={(v) => describeShape(v, expected)}
        onSubmit={(raw) => dispatch({ type: 'credential-submitted', raw })}
      />
    </Frame>
  );
}
