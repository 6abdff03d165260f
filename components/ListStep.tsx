// A step that is one question and a list of choices (agent, copy, fix, method, verdict, replace,
// model, cache TTL): the choice's event is what picking it dispatches.
import React from 'react';
import { Box, Text } from 'ink';
import type { StepProps } from './props.js';
import type { ChoiceList } from '../src/wizard/choices.js';
import { Frame, listKeys } from './Frame.js';
import { Select } from './Select.js';

export interface ListStepProps extends StepProps {
  title: string;
  intro?: string[];
  list: ChoiceList;
  footer?: string[];
  hints?: 'all' | 'focused';
}

export function ListStep({ state, dispatch, title, intro, list, footer, hints }: ListStepProps) {
  return (
    <Frame state={state} title={title} keys={listKeys(state)}>
      {intro?.length ? (
        <Box flexDirection="column" marginBottom={1}>
          {intro.map((l, i) => (
            <Text key={i}>{l}</Text>
          ))}
        </Box>
      ) : null}
      <Select
        items={list.choices}
        initial={list.initial}
        hints={hints}
        onSelect={(i) => {
          const ev = list.choices[i]?.event;
          if (ev) dispatch(ev);
        }}
      />
      {footer?.length ? (
        <Box flexDirection="column" marginTop={1}>
          {footer.map((l, i) => (
            <Text key={i} dimColor>
              {l}
            </Text>
          ))}
        </Box>
      ) : null}
    </Frame>
  );
}
