// Step 4: paste an API key or a setup-token. Masked; live shape feedback; the machine checks the
// shape again on Enter (truncation and wrong kind are caught before any request).
import React from 'react';
import { Text } from 'ink';
import { describeShape } from '../src/core/credentials.js';
import { SUBSCRIPTION_TERMS, type EventBody, type WizardState } from '../src/wizard/machine.js';
import { agentOf, Frame, inputKeys } from './Frame.js';
import { MaskedInput } from './MaskedInput.js';

export function EnterCredential({ state, dispatch }: { state: WizardState; dispatch: (e: EventBody) => void }) {
  const apiKey = state.flow.expected === 'api_key';
  const expected = apiKey ? 'api_key' : 'token';
  const agent = agentOf(state);
  const title = apiKey ? `Paste the Anthropic API key for agent ${agent}` : `Paste the setup-token for agent ${agent}`;
  const where = apiKey
    ? 'Create one at console.anthropic.com → Settings → API keys (it starts with sk-ant-api).'
    : 'Made with `claude setup-token` (on any machine with a browser); it starts with sk-ant-oat.';
  return (
    <Frame state={state} title={title} keys={inputKeys(state)}>
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
