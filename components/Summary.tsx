// Step 7: what is now stored, in words (or why the run ended).
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
              <Text key={i} color={b.title === 'Warnings' || b.title === 'Environment' ? 'yellow' : undefined}>
                {l}
              </Text>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
