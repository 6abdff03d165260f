// A spinner driven by the elapsed time it is given (no timers of its own), with the elapsed
// seconds next to it. `animate: false` (--plain, CI) shows a static mark.
import React from 'react';
import { Text } from 'ink';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function elapsed(ms: number): string {
  return ms < 60_000 ? `${(Math.max(0, ms) / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

export function Spinner({ elapsedMs, label, animate = true }: { elapsedMs: number; label: string; animate?: boolean }) {
  const frame = animate ? FRAMES[Math.floor(elapsedMs / 80) % FRAMES.length] : '…';
  return (
    <Text>
      <Text color="cyan">{frame}</Text> {label} <Text dimColor>{elapsed(elapsedMs)}</Text>
    </Text>
  );
}
