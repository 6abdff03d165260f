// `clawdia models auth paste-token | paste-api-key`: one command in two spellings (the kind of
// credential is their only difference). The secret from a masked prompt on a terminal or from
// stdin (never argv), checked for its shape, then validated and stored (auth-common.ts).
import { ClawdiaError, UsageError } from '../core/errors.js';
import { parseSecret } from '../core/credentials.js';
import { checkProfileId } from '../core/paths.js';
import { defaultProfileId, SETUP_TOKEN_LIFETIME_MS } from '../core/save.js';
import { CONSOLE_API_KEYS, SUBSCRIPTION_TERMS_ROUTE } from '../core/copy.js';
import type { NewCredential } from '../app/credential-flow.js';
import { watchSshHangup } from '../adapters/ssh-hangup.js';
import { readSecret } from '../ui/paste-input.js';
import { agentFlagFor, resolveAgent, storeCredential } from './auth-common.js';
import type { CommandContext } from './context.js';
import type { PasteOptions } from './options.js';

export async function runPaste(opts: PasteOptions, ctx: CommandContext): Promise<number> {
  // Sent from another machine over ssh (`--remote`): a dropped connection cancels, see adapters/ssh-hangup.ts.
  watchSshHangup(ctx.ports.env, !!ctx.stdin.isTTY);
  const agent = resolveAgent(ctx, opts.agent);
  const profileId = opts.profileId ?? defaultProfileId(opts.kind);
  checkProfileId(profileId);
  if (opts.kind === 'api_key' && opts.expiresInMs !== undefined) throw new UsageError('--expires-in applies to tokens, not API keys.');
  const what = opts.kind === 'api_key' ? 'an Anthropic API key' : 'a setup-token';
  const cmd = opts.kind === 'api_key' ? 'paste-api-key' : 'paste-token';
  const { raw, source } = await readSecret(ctx, {
    what,
    message: opts.kind === 'api_key' ? `API key for agent ${agent}:` : `Setup-token for agent ${agent}:`,
    expected: opts.kind,
    note:
      opts.kind === 'api_key'
        ? `Paste an Anthropic API key (sk-ant-api…, from ${CONSOLE_API_KEYS}). Input is hidden.`
        : `Paste the sk-ant-oat… token printed by \`claude setup-token\` (wrapped lines are joined). Input is hidden.\n${SUBSCRIPTION_TERMS_ROUTE}`,
    stdinForm: `printf '%s' "$${opts.kind === 'api_key' ? 'ANTHROPIC_API_KEY' : 'TOKEN'}" | clawdia models auth ${cmd} --provider anthropic${agentFlagFor(ctx, agent)}`,
    timeoutMs: opts.timeoutMs,
  });
  const parsed = parseSecret(raw, opts.kind);
  if (!parsed.ok) throw new ClawdiaError(parsed.message, { hint: parsed.hint });
  if (parsed.changes.length) ctx.err(`Read ${parsed.fingerprint} from ${source} (${parsed.changes.join(', ')}).`);
  const now = ctx.ports.clock.now();
  const cred: NewCredential =
    opts.kind === 'api_key'
      ? { kind: 'api_key', secret: parsed.value, source }
      : { kind: 'token', secret: parsed.value, expires: now + (opts.expiresInMs ?? SETUP_TOKEN_LIFETIME_MS), source };
  return storeCredential(ctx, opts, agent, profileId, cred);
}
