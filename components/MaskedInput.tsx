// A secret input that never echoes the secret: bullets and a length, plus live shape feedback
// (kind, length, fingerprint) while typing or after a paste. A bracketed paste (Ink turns on
// ESC[?2004h while this is mounted) arrives as one value, newlines included, so a token wrapped
// over several lines is never submitted half-way; a lone ESC (after Ink's short timeout) is "back",
// handled by the app, never mistaken for the start of a paste.
import React, { useReducer, useRef } from 'react';
import { Box, Text, useInput, usePaste } from 'ink';

export interface MaskedInputProps {
  /** Prompt shown before the bullets. */
  label: string;
  /** Live feedback for the current value ('' = none). Must never return the value itself. */
  describe?: (value: string) => string;
  onSubmit: (value: string) => void;
  isActive?: boolean;
}

const MAX_BULLETS = 40;

export function MaskedInput({ label, describe, onSubmit, isActive = true }: MaskedInputProps) {
  const value = useRef('');
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  usePaste(
    (text) => {
      value.current += text;
      rerender();
    },
    { isActive },
  );

  useInput(
    (input, key) => {
      if (key.escape || (key.ctrl && input === 'c')) return; // the app's: back / cancel
      if (key.return) {
        onSubmit(value.current);
        return;
      }
      if (key.backspace || key.delete) {
        value.current = value.current.slice(0, -1);
        rerender();
        return;
      }
      if (key.ctrl && input === 'u') {
        value.current = '';
        rerender();
        return;
      }
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
      // Without bracketed paste a pasted chunk may still carry newlines: inside it they are part
      // of the value (a wrapped token), a line end closing the chunk is Enter.
      if (input) {
        const submit = input.length > 1 && /[\r\n]$/.test(input);
        value.current += submit ? input.replace(/[\r\n]+$/, '') : input;
        rerender();
        if (submit) onSubmit(value.current);
      }
    },
    { isActive },
  );

  const v = value.current;
  const bullets = '•'.repeat(Math.min(v.length, MAX_BULLETS)) + (v.length > MAX_BULLETS ? '…' : '');
  const feedback = describe ? describe(v) : '';
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">› </Text>
        {label} {bullets}
        <Text inverse> </Text>
        {v.length && !describe ? <Text dimColor> {v.length} chars</Text> : null}
      </Text>
      {feedback ? (
        <Text color={/looks complete/.test(feedback) ? 'green' : 'yellow'}>
          {'  '}
          {feedback}
        </Text>
      ) : null}
    </Box>
  );
}
