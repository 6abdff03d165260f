// The ports and the CommandContext every command gets: the real adapters, picked once; the streams
// (created on first use); the terminal facts; one permanent listener per signal for the life of
// the process (STYLE pitfall 2), turned into an AbortSignal and an exit code; `critical` sections
// that a signal waits for; `out`/`err` through the one redaction.
import { existsSync } from 'node:fs';
import { createClaudeCli } from '../adapters/claude.js';
import { createStateStore } from '../adapters/state.js';
import { createClock, createEnv } from '../adapters/system.js';
import { locateState } from '../core/paths.js';
import { redact } from '../core/redact.js';
import type { CommandContext } from '../commands/context.js';
import type { Ports, Validator } from '../ports.js';
import { writeOut } from './stdout.js';

function envFlag(name: string): boolean {
  const v = process.env[name];
  return v !== undefined && v !== 'false' && v !== '0';
}

export function makeContext(ports: Ports, plainFlag: boolean): CommandContext & { abort: AbortController } {
  const abort = new AbortController();
  let critical = 0;
  let pending: NodeJS.Signals | null = null;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const ci = envFlag('CI');
  const exitFor = (sig: string) => codes[sig] ?? 130;
  const onSignal = (sig: NodeJS.Signals) => {
    if (critical > 0) {
      pending = sig;
      return;
    }
    if (!abort.signal.aborted) abort.abort(sig);
    // A command that cannot notice the abort (blocked on a read) still ends; the wizard gets time
    // to stop `claude` and restore the terminal first.
    setTimeout(() => process.exit(exitFor(sig)), 2500).unref();
  };
  // One permanent listener per signal, for the life of the process (STYLE pitfall 2).
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return {
    abort,
    ports,
    // Getters: the streams are created on first use (creating process.stdin alone loads fs
    // streams, fs/promises and readline, ≈ 2 ms); `models status` never needs them.
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get interactive() {
      return !!process.stdin.isTTY && !!process.stdout.isTTY && !ci;
    },
    plain: plainFlag || process.env.TERM === 'dumb' || ci,
    get color() {
      return !process.env.NO_COLOR && !!process.stdout.isTTY;
    },
    signal: abort.signal,
    signalExitCode: () => exitFor(String(abort.signal.reason ?? 'SIGINT')),
    async critical(fn) {
      critical++;
      try {
        return await fn();
      } finally {
        critical--;
        if (critical === 0 && pending) {
          const sig = pending;
          pending = null;
          onSignal(sig);
        }
      }
    },
    // Every line a command prints passes the one redaction (core/redact.ts): text, --json, warnings.
    out: (t) => writeOut(redact(t.endsWith('\n') ? t : t + '\n')),
    err: (t) => void process.stderr.write(redact(t.endsWith('\n') ? t : t + '\n')),
  };
}

/**
 * The real adapters. `allowInsecureBaseUrl` is read when the validator loads (the first check),
 * after the running command's --allow-insecure-base-url was parsed.
 */
export async function makePorts(allowInsecureBaseUrl: () => boolean): Promise<Ports> {
  const env = createEnv();
  const home = process.env.HOME ?? (await import('node:os')).homedir();
  let validator: Validator | undefined;
  return {
    state: createStateStore(locateState(process.env, home, existsSync), { notice: (t) => void process.stderr.write(`note: ${t}\n`) }),
    // The SDK adapter loads only when something is validated.
    validator: {
      async validate(req) {
        if (!validator) validator = (await import('../adapters/validator.js')).createValidator(env, { allowInsecureBaseUrl: allowInsecureBaseUrl() });
        return validator.validate(req);
      },
    },
    claude: createClaudeCli(env),
    env,
    clock: createClock(),
  };
}
