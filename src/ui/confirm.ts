// A yes/no question on the terminal (@inquirer/prompts, loaded when asked). Ctrl-C, Esc or a
// signal cancel: nothing is written.
import { CancelledError } from '../core/errors.js';
import type { TerminalIo } from './terminal.js';

export async function confirm(io: Pick<TerminalIo, 'stdin' | 'stdout' | 'signal'>, message: string, def: boolean): Promise<boolean> {
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask({ message, default: def }, { input: io.stdin, output: io.stdout, signal: io.signal });
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError' || (e as Error)?.name === 'AbortPromptError' || io.signal.aborted) throw new CancelledError();
    throw e;
  }
}
