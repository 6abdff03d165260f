// What argv may hold, checked before any command runs (usage errors: exit 2): option parsers
// (milliseconds in range, model ids), the options several commands share (--timeout, --provider,
// the write flags, --remote), and the guard every action passes first — no credential where an id
// or a name belongs, and a credential sent only to a safe ANTHROPIC_BASE_URL.
import { type Command, Option } from 'commander';
import { checkBaseUrl, INSECURE_FLAG } from '../core/base-url.js';
import { ClawdiaError, UsageError } from '../core/errors.js';
import { isCredentialLike, redact } from '../core/redact.js';
import { DEFAULT_SETUP_TOKEN_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, type WriteFlags } from '../commands/options.js';

/** A credential typed where an id or a name belongs: refused (exit 2), shown masked, never stored or echoed. */
function credentialInArgv(where: string, v: string): UsageError {
  return new UsageError(
    `${where} takes a name or an id, not a credential (got ${redact(v).slice(0, 80)}).`,
    'Secrets are read from stdin, a masked prompt or the environment, never from argv. If that was a real credential, it is in your shell history now: revoke it.',
  );
}

/** `--model`: a model id (`claude-opus-4-5`, `anthropic/claude-opus-4-5-20251101`), never a credential. */
export function modelId(v: string): string {
  if (isCredentialLike(v)) throw credentialInArgv('--model', v);
  if (!/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/.test(v)) {
    throw new UsageError(`--model must be a model id like claude-opus-4-5, got ${JSON.stringify(v.slice(0, 40))}.`);
  }
  return v;
}

/** A whole number of milliseconds from `min` to `max`. */
function int(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number of milliseconds from ${min} to ${max}, got ${JSON.stringify(v.slice(0, 20))}.`);
    }
    return n;
  };
}

export const timeoutOption = () =>
  new Option('--timeout <ms>', 'deadline for the live check, in ms').default(DEFAULT_TIMEOUT_MS).argParser(int('--timeout', 100, 600_000));

export const setupTokenTimeoutOption = () =>
  new Option('--setup-token-timeout <ms>', 'how long `claude setup-token` may run')
    .default(DEFAULT_SETUP_TOKEN_TIMEOUT_MS)
    .argParser(int('--setup-token-timeout', 1000, 3_600_000));

export const providerOption = () =>
  new Option('--provider <name>', 'provider (only anthropic)').default('anthropic').argParser((v: string) => {
    if (v !== 'anthropic') throw new UsageError(`Unknown provider "${v}".`, 'Only --provider anthropic is supported.');
    return v;
  });

export const insecureBaseOption = () =>
  new Option(INSECURE_FLAG, 'allow a plain-http ANTHROPIC_BASE_URL that is not this machine (the credential is sent unencrypted)').default(false);

/** The flags every credential-writing command takes (SPEC §9 "Flags"). */
export const withWriteFlags = (c: Command) =>
  c
    .option('--agent <id>', 'agent to write to (default: the default agent, usually main)')
    .option('--profile-id <id>', 'profile id, e.g. anthropic:work')
    .addOption(timeoutOption())
    .option('--skip-validation', 'store without the live check (marked unverified)')
    .option('--save-unverified', 'keep a credential whose check ended forbidden/unavailable/offline')
    .option('--yes', 'replace an existing profile without asking')
    .option('--json', 'print only a JSON summary on stdout (no secrets)')
    .option('--verbose', 'the summary with every field, the config written and the file paths')
    .addOption(insecureBaseOption());

/** `--remote <ssh destination>`: mint or paste here, validate and store on the gateway (commands/remote-wizard.ts, app/remote.ts). */
export const withRemoteFlags = (c: Command) =>
  c
    .option('--remote <dest>', 'check and store the credential on that host instead, over ssh (user@host or a ~/.ssh/config alias); nothing is written here')
    .option('--remote-command <cmd>', 'how to run clawdia on that host (default: clawdia)');

/** The write flags as commander parsed them, typed. */
export function writeFlags(o: Record<string, unknown>): WriteFlags {
  return {
    agent: o.agent as string | undefined,
    profileId: o.profileId as string | undefined,
    timeoutMs: o.timeout as number,
    skipValidation: !!o.skipValidation,
    saveUnverified: !!o.saveUnverified,
    yes: !!o.yes,
    json: !!o.json,
    verbose: !!o.verbose,
    checkBilling: !!o.checkBilling,
  };
}

/**
 * Before any action: no credential in a non-secret field, and a credential only to a safe base URL.
 * Returns --allow-insecure-base-url for a command that sends a credential, null for one that does not.
 */
export function guardAction(action: Command): boolean | null {
  for (const opt of action.options) {
    const v: unknown = action.getOptionValue(opt.attributeName());
    for (const s of Array.isArray(v) ? v : [v]) {
      if (typeof s === 'string' && isCredentialLike(s)) throw credentialInArgv(opt.long ?? opt.flags, s);
    }
  }
  for (const a of action.args) if (isCredentialLike(a)) throw credentialInArgv('An argument', a);
  const o = action.opts() as Record<string, unknown>;
  // The commands that send a credential: every writer unless it skips the check, and status --probe.
  const sends = 'allowInsecureBaseUrl' in o && (action.name() === 'status' ? !!o.probe : !o.skipValidation);
  if (!sends) return null;
  const allow = !!o.allowInsecureBaseUrl;
  const check = checkBaseUrl(process.env.ANTHROPIC_BASE_URL, allow);
  // Exit 1, not 2: under `models status --check`, 2 means "expiring"; a refused base URL is broken.
  if (!check.ok) throw new ClawdiaError(check.message, { hint: check.hint });
  if (check.warning) process.stderr.write(check.warning + '\n');
  return allow;
}
