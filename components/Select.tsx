// A list of choices: ↑/↓ (or j/k) move, Enter picks, a choice's letter/number picks it at once.
// The cursor lives in a ref-backed reducer, not a render closure: keys that arrive in one burst
// (a fast typist, a pasted "↓↓⏎") each see the cursor the previous key left (ink-ui's lesson).
import React, { useReducer, useRef } from 'react';
import { Box, Text, Transform, useInput } from 'ink';

export interface SelectItem {
  label: string;
  key?: string;
  hints?: string[];
  disabled?: boolean;
}

export interface SelectProps {
  items: SelectItem[];
  initial: number;
  onSelect: (index: number) => void;
  /** Show every item's hint lines (default), or only the highlighted one's. */
  hints?: 'all' | 'focused';
  isActive?: boolean;
}

/**
 * Ink's word wrap (wrap-ansi, trim off) starts a row with the space after a word that filled the
 * row before it to the last column: " and run the wizard again". A hint is one line of prose, so
 * a space that opens a wrapped row (any row but the first) is that space, and goes.
 */
export function noWrapIndent(line: string, index: number): string {
  return index > 0 ? line.replace(/^((?:\x1b\[[0-9;]*m)*) /, '$1') : line;
}

/** The next selectable item in `dir`; stays put at either end (no wrap-around, like ink-ui). */
function step(items: SelectItem[], from: number, dir: 1 | -1): number {
  for (let j = from + dir; j >= 0 && j < items.length; j += dir) {
    if (!items[j]?.disabled) return j;
  }
  return from;
}

export function Select({ items, initial, onSelect, hints = 'all', isActive = true }: SelectProps) {
  const cursor = useRef(Math.min(Math.max(0, initial), Math.max(0, items.length - 1)));
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const picked = useRef(false);

  useInput(
    (input, key) => {
      if (picked.current || items.length === 0) return;
      if (key.upArrow || input === 'k') {
        cursor.current = step(items, cursor.current, -1);
        rerender();
        return;
      }
      if (key.downArrow || input === 'j' || key.tab) {
        cursor.current = step(items, cursor.current, 1);
        rerender();
        return;
      }
      if (key.return) {
        if (items[cursor.current]?.disabled) return;
        picked.current = true;
        onSelect(cursor.current);
        return;
      }
      const typed = input.trim().toLowerCase();
      if (typed.length === 1) {
        const i = items.findIndex((it, n) => !it.disabled && (it.key ?? String(n + 1)).toLowerCase() === typed);
        if (i >= 0) {
          cursor.current = i;
          picked.current = true;
          rerender();
          onSelect(i);
        }
      }
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      {items.map((it, i) => {
        const focused = i === cursor.current;
        const mark = focused ? '❯' : ' ';
        const key = it.key ?? String(i + 1);
        const showHints = it.hints?.length && (hints === 'all' || focused);
        return (
          <Box key={i} flexDirection="column">
            <Box>
              <Box flexShrink={0}>
                <Text dimColor={it.disabled} color={focused && !it.disabled ? 'cyan' : undefined} bold={focused && !it.disabled}>
                  {`${mark} ${key.padEnd(2)} `}
                </Text>
              </Box>
              <Box flexShrink={1}>
                <Text dimColor={it.disabled} color={focused && !it.disabled ? 'cyan' : undefined} bold={focused && !it.disabled}>
                  {it.label}
                </Text>
              </Box>
            </Box>
            {showHints ? (
              <Box flexDirection="column" paddingLeft={5}>
                {it.hints!.map((h, n) => (
                  <Transform key={n} transform={noWrapIndent}>
                    <Text dimColor>{h}</Text>
                  </Transform>
                ))}
              </Box>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
