// A spinner driven by the elapsed time it is given (no timers of its own), with the elapsed
// seconds next to it. `animate: false` (--plain, CI) shows a static mark.
import React from 'react';
import { Text } from 'ink';
import { formatDuration } from '../src/core/duration.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ elapsedMs, label, animate = true }: { elapsedMs: number; label: string; animate?: boolean }) {
  const frame = animate ? FRAMES[Math.floor(elapsedMs / 80) % FRAMES.length] : '…';
  return (
    <Text>
      <Text color="cyan">{frame}</Text> {label} <Text dimColor>{formatDuration(elapsedMs, { style: 'clock' })}</Text>
    </Text>
  );
}
