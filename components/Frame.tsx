// The frame every step shares: which command, which agent it writes to (SPEC §6: every step
// says so), dry-run, the last verdict, a notice (why the user is back here), the question, keys.
import React from 'react';
import { Box, Text } from 'ink';
import type { WizardState } from '../src/wizard/machine.js';

export function agentOf(s: WizardState): string {
  return s.flow.agentId ?? s.facts.look?.agentId ?? s.options.agent ?? 'main';
}

export interface FrameProps {
  state: WizardState;
  title?: string;
  keys?: string;
  children?: React.ReactNode;
}

const BANNER_STEPS = new Set(['replace-or-rename', 'name-profile', 'choose-model', 'choose-cache-ttl', 'saving']);

export function Frame({ state, title, keys, children }: FrameProps) {
  const s = state;
  const agent = agentOf(s);
  const command = s.options.mode === 'setup-token' ? 'models auth setup-token' : 'onboard';
  const outcome = s.flow.validation?.outcome;
  const banner = outcome && BANNER_STEPS.has(s.flow.step) && (outcome.verdict === 'valid' || outcome.verdict === 'rate_limited') ? outcome : null;
  const notice = s.flow.notice;
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text>
        <Text bold color="magenta">
          clawdia
        </Text>
        <Text dimColor> {command}</Text>
        <Text>{'  ·  '}agent </Text>
        <Text bold>{agent}</Text>
        {s.flow.agentIsNew ? <Text dimColor> (new)</Text> : null}
        {s.options.dryRun ? <Text color="yellow">{'  ·  '}dry run: nothing will be written</Text> : null}
      </Text>
      <Text> </Text>
      {banner ? (
        <Box marginBottom={1}>
        <Text color={banner.verdict === 'valid' ? 'green' : 'yellow'}>
          {banner.verdict === 'valid' ? '✔' : '!'} {banner.message}
          <Text dimColor>
            {'  '}
            {banner.ms} ms{banner.requestId ? ` · ${banner.requestId}` : ''}
          </Text>
        </Text>
        </Box>
      ) : null}
      {notice ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text color={notice.tone === 'error' ? 'red' : notice.tone === 'warn' ? 'yellow' : 'cyan'}>
            {notice.tone === 'error' ? '✘' : notice.tone === 'warn' ? '!' : 'i'} {notice.text}
          </Text>
          {notice.hint ? <Text dimColor>  {notice.hint}</Text> : null}
        </Box>
      ) : null}
      {title ? <Text bold>{title}</Text> : null}
      {children ? (
        <Box flexDirection="column" marginTop={title ? 1 : 0}>
          {children}
        </Box>
      ) : null}
      {keys ? (
        <Box marginTop={1}>
          <Text dimColor>{keys}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

/** Key help for list steps; Esc quits at the first step. */
export function listKeys(s: WizardState): string {
  return `↑/↓ move · Enter choose · Esc ${s.history.length ? 'back' : 'quit'} · Ctrl-C quit`;
}

export function inputKeys(s: WizardState, enter = 'check it'): string {
  return `Enter ${enter} · Ctrl-U clear · Esc ${s.history.length ? 'back' : 'quit'} · Ctrl-C quit`;
}
