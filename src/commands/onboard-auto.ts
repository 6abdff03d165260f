// `clawdia onboard --non-interactive`: the same machine, every answer from flags, env or stdin.
// Secrets only from `--token-stdin` or ANTHROPIC_API_KEY / CLAUDE_CODE_OAUTH_TOKEN (never argv);
// stdin beats env (stderr names the source by fingerprint); without --auth-choice the method is
// inferred only when exactly one source exists; ANTHROPIC_AUTH_TOKEN is reported, never used.
import { modelRef } from '../core/save.js';
import { ClawdiaError, UsageError } from '../core/errors.js';
import { shownBaseUrl } from '../core/copy.js';
import { detectKind, fingerprint, normalizeSecret } from '../core/credentials.js';
import { defaultModel } from '../wizard/choices.js';
import { isTerminal } from '../wizard/selectors.js';
import type { EventBody, Method, WizardState } from '../wizard/state.js';
import { createWizard } from '../wizard/runner.js';
import type { CommandContext } from './context.js';
import { report, wizardOptions } from './onboard-report.js';
import type { AuthChoice, OnboardOptions } from './options.js';
import { readStdin } from '../ui/paste-input.js';

const CHOICES_HINT = [
  'Choose one with --auth-choice:',
  '  api-key      an API key from --token-stdin or ANTHROPIC_API_KEY',
  '  paste-token  a setup-token from --token-stdin or CLAUDE_CODE_OAUTH_TOKEN',
  "  claude-cli   Claude Code's login on this host",
  '  setup-token  needs a terminal (run `clawdia onboard` interactively)',
].join('\n');

interface Source {
  method: Extract<Method, 'api-key' | 'paste-token'>;
  raw: string;
  from: string;
}

function describe(raw: string): string {
  return fingerprint(normalizeSecret(raw).value);
}

export async function resolveSource(opts: OnboardOptions, ctx: CommandContext): Promise<{ method: AuthChoice; source: Source | null }> {
  const env = (n: string) => {
    const v = ctx.ports.env.get(n);
    return v && v.trim() ? v : undefined;
  };
  const authToken = env('ANTHROPIC_AUTH_TOKEN');
  if (authToken)
    ctx.err(
      `note: ANTHROPIC_AUTH_TOKEN is set (${describe(authToken)}): detected, never used as input; the gateway sends it beside an API key (Authorization: Bearer), never with a token.`,
    );
  if (opts.authChoice === 'setup-token') {
    throw new UsageError(
      '--auth-choice setup-token needs a terminal: `claude setup-token` signs in through a browser and reads a code from the keyboard.',
      'Run `clawdia onboard` (or `clawdia models auth setup-token`) in a terminal, or run `claude setup-token` on a machine with a browser and pipe the token here: printf \'%s\' "$SETUP_TOKEN" | clawdia onboard --non-interactive --auth-choice paste-token --token-stdin',
    );
  }
  let stdin: string | null = null;
  if (opts.tokenStdin) {
    if (ctx.stdin.isTTY) {
      throw new UsageError(
        '--token-stdin reads the secret from stdin, but stdin is a terminal.',
        'Pipe it: printf \'%s\' "$ANTHROPIC_API_KEY" | clawdia onboard --non-interactive --token-stdin',
      );
    }
    stdin = await readStdin(ctx.stdin, ctx.signal, 'a credential', opts.timeoutMs);
  }
  const apiKey = env('ANTHROPIC_API_KEY');
  const oauth = env('CLAUDE_CODE_OAUTH_TOKEN');
  const ignored = (names: Array<[string, string | undefined]>) => names.filter(([, v]) => v).map(([n, v]) => `${n} (${describe(v!)})`);
  if (opts.authChoice === 'claude-cli') {
    if (stdin) ctx.err('note: --token-stdin is ignored with --auth-choice claude-cli.');
    return { method: 'claude-cli', source: null };
  }
  if (stdin !== null) {
    const kind = detectKind(normalizeSecret(stdin).value);
    const method: Source['method'] =
      opts.authChoice === 'api-key' || opts.authChoice === 'paste-token' ? opts.authChoice : kind === 'api_key' ? 'api-key' : 'paste-token';
    const skipped = ignored([
      ['ANTHROPIC_API_KEY', apiKey],
      ['CLAUDE_CODE_OAUTH_TOKEN', oauth],
    ]);
    ctx.err(
      `Using the ${method === 'api-key' ? 'API key' : 'setup-token'} from stdin (${describe(stdin)})${skipped.length ? `; ignoring ${skipped.join(' and ')}` : ''}.`,
    );
    return { method, source: { method, raw: stdin, from: 'stdin' } };
  }
  if (opts.authChoice === 'api-key' || opts.authChoice === 'paste-token') {
    const name = opts.authChoice === 'api-key' ? 'ANTHROPIC_API_KEY' : 'CLAUDE_CODE_OAUTH_TOKEN';
    const v = opts.authChoice === 'api-key' ? apiKey : oauth;
    if (!v) {
      throw new UsageError(
        `--auth-choice ${opts.authChoice} needs the secret on stdin (--token-stdin) or in ${name}; neither was given.`,
        `printf '%s' "$${opts.authChoice === 'api-key' ? 'ANTHROPIC_API_KEY' : 'SETUP_TOKEN'}" | clawdia onboard --non-interactive --auth-choice ${opts.authChoice} --token-stdin`,
      );
    }
    ctx.err(`Using ${name} (${describe(v)}).`);
    return { method: opts.authChoice, source: { method: opts.authChoice, raw: v, from: name } };
  }
  const found: Source[] = [];
  if (apiKey) found.push({ method: 'api-key', raw: apiKey, from: 'ANTHROPIC_API_KEY' });
  if (oauth) found.push({ method: 'paste-token', raw: oauth, from: 'CLAUDE_CODE_OAUTH_TOKEN' });
  if (found.length !== 1) {
    const what =
      found.length === 0
        ? 'no credential was given (no --token-stdin, ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN)'
        : `both ${found.map((f) => `${f.from} (${describe(f.raw)})`).join(' and ')} are set`;
    throw new UsageError(`Cannot tell which credential to store: ${what}.`, CHOICES_HINT);
  }
  const only = found[0]!;
  ctx.err(`Using ${only.from} (${describe(only.raw)}) as ${only.method === 'api-key' ? 'an API key' : 'a setup-token'} (the only credential found).`);
  return { method: only.method, source: only };
}

/** Answer the machine's step from the flags, or fail saying which flag is missing. */
function answer(s: WizardState, source: Source | null): EventBody | Error {
  const f = s.flow;
  const look = s.facts.look;
  switch (f.step) {
    case 'choose-agent':
      return { type: 'agent-chosen', agentId: look!.agentId };
    case 'copy-profiles':
      return { type: 'copy-answered', copy: false };
    case 'choose-method':
      return new ClawdiaError(f.notice?.text ?? 'No method could be used.', f.notice?.hint ? { hint: f.notice.hint } : {});
    case 'enter-credential':
      if (f.notice || !source) return new ClawdiaError(f.notice?.text ?? 'No credential to read.', f.notice?.hint ? { hint: f.notice.hint } : {});
      return { type: 'credential-submitted', raw: source.raw };
    case 'choose-model': {
      const current = look?.config.agents?.defaults?.model?.primary?.replace(/^anthropic\//, '');
      return { type: 'model-chosen', model: current ?? defaultModel(s) ?? '' };
    }
    case 'choose-cache-ttl': {
      const model = f.model ?? look?.config.agents?.defaults?.model?.primary ?? '';
      const ref = modelRef(model);
      const current = look?.config.agents?.defaults?.models?.[ref]?.params?.cacheControlTtl;
      return { type: 'cache-ttl-chosen', ttl: current === '1h' ? '1h' : '5m' };
    }
    default:
      return new ClawdiaError(`The wizard stopped at "${f.step}", which needs a person.`, { hint: 'Run `clawdia onboard` in a terminal.' });
  }
}

const WAITING = new Set(['look-first', 'validating', 'checking-billing', 'saving', 'running-setup-token']);

export async function runNonInteractive(opts: OnboardOptions, ctx: CommandContext): Promise<number> {
  const { method, source } = await resolveSource(opts, ctx);
  if (opts.cacheTtl && method !== 'api-key') throw new UsageError('--cache-ttl applies to API keys only (OAuth and setup-tokens ignore the cache TTL).');
  const store = createWizard(ctx.ports, wizardOptions({ ...opts, authChoice: method }, { probe: false, replaceWithoutAsking: true }), {
    signal: ctx.signal,
    signalExitCode: () => ctx.signalExitCode(),
    critical: (fn) => ctx.critical(fn),
    keychain: method === 'claude-cli',
  });
  let lastStep = '';
  let failWith: Error | null = null;
  const unsubscribe = store.subscribe(() => {
    const s = store.getState();
    // A step is answered once per arrival (a refused answer bumps `attempt` and sets a notice).
    const key = `${s.flow.step}:${s.history.length}:${s.flow.attempt}:${s.flow.notice?.text ?? ''}`;
    if (key === lastStep || isTerminal(s)) return;
    const arrived = s.flow.step !== lastStep.split(':')[0];
    lastStep = key;
    if (arrived && s.flow.step === 'validating' && s.flow.credential) {
      const base = shownBaseUrl(s.facts.look?.env.ANTHROPIC_BASE_URL);
      ctx.err(`Checking ${s.flow.credential.fingerprint} with ${base}…`);
    }
    if (arrived && s.flow.step === 'checking-billing') ctx.err(`Checking the balance: one billed 1-token request (costs a fraction of a cent)…`);
    if (WAITING.has(s.flow.step)) return;
    // Answer on the next tick: never dispatch from inside a dispatch's listener.
    queueMicrotask(() => {
      const now = store.getState();
      if (now.flow.step !== s.flow.step || isTerminal(now)) return;
      const a = answer(now, source);
      if (a instanceof Error) failWith = a;
      else store.dispatch(a);
      if (failWith) store.dispatch({ type: 'cancelled', exitCode: 1 });
    });
  });
  const final = await store.finished;
  unsubscribe();
  if (failWith) throw failWith;
  return report(final, ctx, { json: opts.json, printSummary: true });
}
