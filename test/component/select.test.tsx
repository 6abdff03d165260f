// The list every step uses: a hint that wraps reads as prose — no row of it starts with the space
// Ink's word wrap carries over when a word ends exactly at the last column.
import '../support/ink-size.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { noWrapIndent, Select } from '../../components/Select.js';

describe('Select hints', () => {
  it('a wrapped hint row never starts with a space, even when the row above ends at the last column', () => {
    // 100 columns (ink-size) less the hint's 5-column indent: 95. The first row fills all 95.
    const fill = `${'w'.repeat(90)} wxyz`;
    expect(fill).toHaveLength(95);
    const { lastFrame, unmount } = render(<Select items={[{ label: 'One', hints: [`${fill} and run the wizard again`] }]} initial={0} onSelect={() => {}} />);
    const rows = (lastFrame() ?? '').split('\n');
    unmount();
    const second = rows.findIndex((r) => r.includes('wxyz')) + 1;
    expect(rows[second]).toBe(`     and run the wizard again`);
  });

  it('noWrapIndent: only a continuation row loses its opening space, styles kept', () => {
    expect(noWrapIndent(' first', 0)).toBe(' first');
    expect(noWrapIndent(' and run', 1)).toBe('and run');
    expect(noWrapIndent('\x1b[2m and run\x1b[22m', 2)).toBe('\x1b[2mand run\x1b[22m');
    expect(noWrapIndent('  two', 1)).toBe(' two');
  });
});

describe('TextInput', () => {
  it('Ctrl-U clears what was typed (the footer offers it on every text step)', async () => {
    const { TextInput } = await import('../../components/TextInput.js');
    let got = '';
    const { stdin, lastFrame, unmount } = render(<TextInput label="agent id:" onSubmit={(v) => (got = v)} />);
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    stdin.write('abc');
    await settle();
    expect(lastFrame()).toContain('agent id: abc');
    stdin.write('\u0015');
    await settle();
    expect(lastFrame()).not.toContain('abc');
    stdin.write('work\r');
    await settle();
    unmount();
    expect(got).toBe('work');
  });
});
