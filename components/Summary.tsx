// Step 7: which profile the agent now uses, what was saved, the check, what to run next (or why
// the run ended); every field and the config snippet only with --verbose.
import React from 'react';
import { Box, Text } from 'ink';
import type { SummaryModel } from '../src/wizard/summary.js';

export function Summary({ model, width }: { model: SummaryModel; width?: number }) {
  const w = Math.max(0, ...model.rows.map(([k]) => k.length));
  const color = model.tone === 'ok' ? 'green' : model.tone === 'warn' ? 'yellow' : 'red';
  const mark = model.tone === 'ok' ? '✔' : model.tone === 'warn' ? '!' : '✘';
  return (
    <Box flexDirection="column" paddingX={1} {...(width ? { width } : {})}>
      <Text color={color} bold>
        {mark} {model.title}
      </Text>
      {model.lines.map((l, i) => (
        <Box key={`l${i}`} paddingLeft={2}>
          <Text>{l}</Text>
        </Box>
      ))}
      {model.warnings.map((l, i) => (
        <Box key={`w${i}`} paddingLeft={2}>
          <Text color="yellow">! {l}</Text>
        </Box>
      ))}
      {model.rows.length ? (
        <Box flexDirection="column" marginTop={1}>
          {model.rows.map(([k, v]) => (
            <Box key={k}>
              <Box width={w + 4} flexShrink={0} paddingLeft={2}>
                <Text dimColor>{k}</Text>
              </Box>
              <Box flexShrink={1}>
                <Text>{v}</Text>
              </Box>
            </Box>
          ))}
        </Box>
      ) : null}
      {model.blocks.map((b) => (
        <Box key={b.title} flexDirection="column" marginTop={1}>
          <Text bold>{b.title}:</Text>
          <Box flexDirection="column" paddingLeft={2}>
            {b.lines.map((l, i) => (
              <Text key={i}>{l}</Text>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
