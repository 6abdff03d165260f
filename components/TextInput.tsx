// A short visible input (agent ids, profile names): typed text, Backspace, Enter. A credential
// typed or pasted into it by mistake is shown masked (its fingerprint), never in clear.
import React, { useReducer, useRef } from 'react';
import { Text, useInput, usePaste } from 'ink';
import { isCredentialLike, redact } from '../src/core/redact.js';

export interface TextInputProps {
  label: string;
  prefix?: string;
  placeholder?: string;
  onSubmit: (value: string) => void;
}

export function TextInput({ label, prefix = '', placeholder, onSubmit }: TextInputProps) {
  const value = useRef('');
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  usePaste((t) => {
    value.current += t.replace(/[\r\n]/g, '');
    rerender();
  });
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return;
    if (key.return) return onSubmit(value.current);
    if (key.backspace || key.delete) {
      value.current = value.current.slice(0, -1);
      return rerender();
    }
    // Ctrl-U clears the field, as the footer says (the same key as the masked input's).
    if (key.ctrl && input === 'u') {
      value.current = '';
      return rerender();
    }
    if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
    if (input) {
      // A fast typist (or a script) can send "work⏎" as one chunk: the line end still submits.
      const submit = /[\r\n]$/.test(input);
      value.current += input.replace(/[\r\n]/g, '');
      rerender();
      if (submit) onSubmit(value.current);
    }
  });
  return (
    <Text>
      <Text color="cyan">› </Text>
      {label} {prefix}
      {/* A credential pasted here by mistake is shown masked, like everywhere else. */}
      {isCredentialLike(value.current) ? redact(value.current) : value.current || (placeholder ? <Text dimColor>{placeholder}</Text> : '')}
      <Text inverse> </Text>
    </Text>
  );
}
