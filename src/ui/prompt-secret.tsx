// The masked prompt for `paste-*` on a terminal: the wizard's MaskedInput in a one-screen Ink app,
// so a bracketed paste (a token wrapped over lines) arrives as one value (SPEC §9 "Terminal") —
// @inquirer/prompts' password prompt would submit at the first pasted newline.
import { CancelledError } from '../core/errors.js';
import { describeShape, type ExpectedKind } from '../core/credentials.js';
import { holdRawMode, releaseRawMode, type TerminalIo } from './terminal.js';

export async function promptSecret(ctx: TerminalIo, opts: { label: string; expected: ExpectedKind; note?: string }): Promise<string> {
  holdRawMode(ctx.stdin);
  const [{ render, Box, Text, useInput }, React, { MaskedInput }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../../components/MaskedInput.js'),
  ]).catch((e: unknown) => {
    releaseRawMode(ctx.stdin);
    throw e;
  });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      app.unmount();
      releaseRawMode(ctx.stdin);
      fn();
    };
    function Prompt() {
      useInput((input, key) => {
        if ((key.ctrl && input === 'c') || key.escape) finish(() => reject(new CancelledError()));
      });
      return (
        <Box flexDirection="column">
          {opts.note ? <Text dimColor>{opts.note}</Text> : null}
          <MaskedInput label={opts.label} describe={(v) => describeShape(v, opts.expected)} onSubmit={(v) => finish(() => resolve(v))} />
          <Text dimColor>Enter to continue · Esc or Ctrl-C to cancel (nothing is written)</Text>
        </Box>
      );
    }
    const app = render(<Prompt />, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, exitOnCtrlC: false, patchConsole: false });
    const onAbort = () => finish(() => reject(new CancelledError('Cancelled. Nothing was written.', ctx.signalExitCode() as 129 | 130 | 143)));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}
