// `clawdia models auth sync-claude-cli`: Claude Code's current login on this host (its
// credentials file, or the Keychain on macOS) stored as anthropic:claude-cli, type oauth. Never
// refreshes the login itself (that would sign Claude Code out).
import { ClawdiaError } from '../core/errors.js';
import { parseSecret } from '../core/credentials.js';
import { checkProfileId } from '../core/paths.js';
import { SUBSCRIPTION_TERMS_ROUTE } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import type { NewCredential } from '../app/credential-flow.js';
import { agentFlagFor, resolveAgent, storeCredential } from './auth-common.js';
import type { CommandContext } from './context.js';
import type { SyncClaudeCliOptions } from './options.js';

export async function runSyncClaudeCli(opts: SyncClaudeCliOptions, ctx: CommandContext): Promise<number> {
  const agent = resolveAgent(ctx, opts.agent);
  const profileId = opts.profileId ?? 'anthropic:claude-cli';
  checkProfileId(profileId);
  const login = await ctx.ports.claude.readLogin({ keychain: true });
  const dir = ctx.ports.env.get('CLAUDE_CONFIG_DIR') || '~/.claude';
  if (!login) {
    throw new ClawdiaError(`No Claude Code login found on this host (${dir}/.credentials.json${process.platform === 'darwin' ? ' or the Keychain' : ''}).`, {
      hint: `Log in with \`claude\` on this host, or, if Claude Code lives on another machine, run \`claude setup-token\` there and \`clawdia models auth paste-token${agentFlagFor(ctx, agent)}\` here.`,
    });
  }
  const parsed = parseSecret(login.accessToken, 'token');
  if (!parsed.ok) {
    throw new ClawdiaError(`Claude Code's login at ${login.location} does not hold a usable access token (${parsed.message})`, {
      hint: 'Run `claude` and log in again, then run this command again.',
    });
  }
  const now = ctx.ports.clock.now();
  if (login.expiresAt !== undefined && login.expiresAt - now <= 5 * 60_000) {
    throw new ClawdiaError(
      `Claude Code's login ${login.expiresAt <= now ? `expired ${formatDuration(now - login.expiresAt)} ago` : 'expires within 5 minutes'}; clawdia never refreshes it itself (that would sign Claude Code out).`,
      { hint: `Run \`claude\` (it refreshes its own login), then \`clawdia models auth sync-claude-cli${agentFlagFor(ctx, agent)}\`.` },
    );
  }
  ctx.err(
    `Found Claude Code's login in ${login.location}: ${parsed.fingerprint}${login.expiresAt ? `, expires in ${formatDuration(login.expiresAt - now)}` : ''}.`,
  );
  ctx.err(`note: ${SUBSCRIPTION_TERMS_ROUTE}`);
  const cred: NewCredential = {
    kind: 'oauth',
    secret: parsed.value,
    refresh: login.refreshToken,
    expires: login.expiresAt,
    source: login.location,
  };
  return storeCredential(ctx, opts, agent, profileId, cred);
}
