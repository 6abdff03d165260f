// argv → command. The only composition root: picks the real adapters (cli/context.ts), owns
// SIGINT/SIGTERM/SIGHUP for the life of the process, maps results and errors to exit codes
// (SPEC §5; cli/report-error.ts). The commander tree is in cli/program.ts (and program-auth.ts),
// option parsers and the argv guard in cli/parsers.ts, stdout handling in cli/stdout.ts.
// Static imports are what every command needs (commander, the state/env/Claude Code adapters:
// small, and their heavy library — execa — loads lazily inside them) and
// `models status`, which must answer as fast as `node -e 0` allows (SPEC §8; a dynamic import
// costs ≈ 2 ms more, measured); they land in this chunk instead of a chain of small ones (esbuild
// bundles src/cli/* into it). Every other command, the validator (the SDK) and the UI load on
// demand: keep them behind `await import()` (the build's heavy-import guard checks the rest).
// `--version` never gets here: bin/clawdia.js answers it.
import { dispatch } from './cli/program.js';
import { reportError } from './cli/report-error.js';
import { drainStdout, exitAfterStdout, installLazyStdout } from './cli/stdout.js';

declare const __CLAWDIA_VERSION__: string;
const VERSION = typeof __CLAWDIA_VERSION__ === 'string' ? __CLAWDIA_VERSION__ : '0.0.0-dev';

installLazyStdout();
await main(process.argv.slice(2));

async function main(args: string[]): Promise<void> {
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0'; // chalk ignores NO_COLOR (SPEC §9)
  let code: number;
  try {
    code = await dispatch(args, VERSION);
  } catch (e) {
    code = reportError(e);
  }
  code = exitAfterStdout(code);
  process.exitCode = code;
  // Ink, prompts or sockets may keep handles open; the command is done.
  await drainStdout();
  process.exit(code);
}
