// The frame every step shares: which command, which agent it writes to (SPEC §6: every step
// says so), dry-run, the last verdict, a notice (why the user is back here), the question, keys.
import React from 'react';
import { Box, Text } from 'ink';
import type { ViewState } from '../src/wizard/state.js';
import { wrappedRows } from './fit.js';

export function agentOf(s: ViewState): string {
  return s.flow.agentId ?? s.facts.look?.agentId ?? s.options.agent ?? 'main';
}

export interface FrameProps {
  state: ViewState;
  title?: string;
  keys?: string;
  children?: React.ReactNode;
  /** No blank rows between the parts (a screen that would not fit the terminal otherwise). */
  compact?: boolean;
  /** The notice is out of date (the user typed again since): not shown. */
  hideNotice?: boolean;
}

/** The header line's text (what Frame draws first). */
export function headerText(s: ViewState): string {
  const command = s.options.mode === 'setup-token' ? 'models auth setup-token' : 'onboard';
  return `clawdia ${command}  ·  agent ${agentOf(s)}${s.flow.agentIsNew ? ' (new)' : ''}${s.options.dryRun ? '  ·  dry run: nothing will be written' : ''}`;
}

/** Rows Frame takes around its children at `width` columns (the terminal's, padding included). */
export function frameRows(s: ViewState, o: { title?: string; keys?: string; width: number; compact?: boolean }): number {
  const w = o.width - 2;
  const gap = o.compact ? 0 : 1;
  let n = wrappedRows(headerText(s), w) + gap;
  const notice = s.flow.notice;
  if (notice) n += wrappedRows(notice.text, w - 2) + (notice.hint ? wrappedRows(notice.hint, w - 2) : 0) + gap;
  if (o.title) n += wrappedRows(o.title, w) + gap;
  if (o.keys) n += gap + wrappedRows(o.keys, w);
  return n;
}

const BANNER_STEPS = new Set(['replace-or-rename', 'name-profile', 'choose-model', 'choose-cache-ttl', 'saving']);

/** The first row of every screen, local and --remote: clawdia, the command, then what the screen adds. */
export function TitleRow({ command, children }: { command: string; children?: React.ReactNode }) {
  return (
    <Text>
      <Text bold color="magenta">
        clawdia
      </Text>
      <Text dimColor> {command}</Text>
      {children}
    </Text>
  );
}

export function Frame({ state, title, keys, children, compact = false, hideNotice = false }: FrameProps) {
  const s = state;
  const agent = agentOf(s);
  const command = s.options.mode === 'setup-token' ? 'models auth setup-token' : 'onboard';
  const outcome = s.flow.validation?.outcome;
  const banner = outcome && BANNER_STEPS.has(s.flow.step) && (outcome.verdict === 'valid' || outcome.verdict === 'rate_limited') ? outcome : null;
  const notice = hideNotice ? null : s.flow.notice;
  return (
    <Box flexDirection="column" paddingX={1}>
      <TitleRow command={command}>
        <Text>{'  ·  '}agent </Text>
        <Text bold>{agent}</Text>
        {s.flow.agentIsNew ? <Text dimColor> (new)</Text> : null}
        {s.options.dryRun ? <Text color="yellow">{'  ·  '}dry run: nothing will be written</Text> : null}
      </TitleRow>
      {compact ? null : <Text> </Text>}
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
        <Box flexDirection="column" marginBottom={compact ? 0 : 1}>
          {/* Mark and text in columns, the hint indented: wrapped lines stay under their text. */}
          <Box>
            <Box flexShrink={0} width={2}>
              <Text color={notice.tone === 'error' ? 'red' : notice.tone === 'warn' ? 'yellow' : 'cyan'}>
                {notice.tone === 'error' ? '✘' : notice.tone === 'warn' ? '!' : 'i'}
              </Text>
            </Box>
            <Box flexShrink={1}>
              <Text color={notice.tone === 'error' ? 'red' : notice.tone === 'warn' ? 'yellow' : 'cyan'}>{notice.text}</Text>
            </Box>
          </Box>
          {notice.hint ? (
            <Box paddingLeft={2}>
              <Text dimColor>{notice.hint}</Text>
            </Box>
          ) : null}
        </Box>
      ) : null}
      {title ? <Text bold>{title}</Text> : null}
      {children ? (
        <Box flexDirection="column" marginTop={title && !compact ? 1 : 0}>
          {children}
        </Box>
      ) : null}
      {keys ? (
        <Box marginTop={compact ? 0 : 1}>
          <Text dimColor>{keys}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

/** Key help for list steps; Esc quits at the first step. */
export function listKeys(s: ViewState): string {
  return `↑/↓ move · Enter choose · Esc ${s.history.length ? 'back' : 'quit'} · Ctrl-C quit`;
}

export function inputKeys(s: ViewState, enter = 'check it'): string {
  return `Enter ${enter} · Ctrl-U clear · Esc ${s.history.length ? 'back' : 'quit'} · Ctrl-C quit`;
}
