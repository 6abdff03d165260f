// The notices the wizards show at the top of a step (why the user is back here, what to do
// instead), as data: the local wizard (machine.ts), the --remote one (remote-flow.ts) and the
// plain front end word the same failure the same way.
import { INSTALL_CLAUDE_CODE } from '../core/copy.js';
import { formatDuration } from '../core/duration.js';
import { isCredentialLike, redact } from '../core/redact.js';
import type { SetupTokenFailure } from '../ports.js';
import type { Notice } from './state.js';

export function notFoundNotice(): Notice {
  return {
    tone: 'error',
    text: 'Claude Code CLI not found (looked for $CLAWDIA_CLAUDE_BIN, then `claude` on PATH).',
    hint: `Install it with \`${INSTALL_CLAUDE_CODE}\`, or make a token on another machine and choose "Paste a setup-token".`,
  };
}

/** `models auth setup-token` without Claude Code: the command ends with this hint. */
export function notFoundHint(): string {
  return `Install it with \`${INSTALL_CLAUDE_CODE}\`, or make a token on another machine and store it with \`clawdia models auth paste-token --provider anthropic\`.`;
}

/** A setup-token failure in words: the reason, and the way out (SPEC §6.2). */
export function setupFailureNotice(
  failure: SetupTokenFailure,
  message: string,
  opts: { exitCode?: number; oauthError?: string; timeoutMs: number; lastLines?: string[] },
): Notice {
  const paste = 'You can paste a setup-token instead: run `claude setup-token` on a machine with a browser and choose "Paste a setup-token".';
  // claude's own last words (redacted by the adapter), quoted: they usually name the cause.
  const said = opts.lastLines?.length ? ` It said: "${opts.lastLines.join(' / ')}"` : '';
  switch (failure) {
    case 'not_found':
      return notFoundNotice();
    case 'exit_code':
      return { tone: 'error', text: `\`claude setup-token\` exited with code ${opts.exitCode ?? '?'} before printing a token.${said}`, hint: paste };
    case 'no_token':
      return { tone: 'error', text: `\`claude setup-token\` ended without printing a token.${said}`, hint: paste };
    case 'timeout':
      return {
        tone: 'error',
        text: `\`claude setup-token\` did not finish within ${formatDuration(opts.timeoutMs, { style: 'long' })}; clawdia stopped it.`,
        hint: `${paste} (Or allow longer with --setup-token-timeout <ms>.)`,
      };
    case 'oauth_error':
      return { tone: 'error', text: `Sign-in failed: ${describeOAuthError(opts.oauthError ?? message)}`, hint: paste };
    case 'stopped':
      return { tone: 'info', text: 'Stopped `claude setup-token`; nothing was stored.', hint: paste };
    case 'spawn_failed':
      return { tone: 'error', text: `Could not start \`claude setup-token\`: ${message}`, hint: paste };
  }
}

/** `claude setup-token` exited 0 but what it printed is not a whole token. */
export function partialTokenNotice(why: string): Notice {
  return {
    tone: 'error',
    text: `\`claude setup-token\` printed something that is not a whole setup-token (${why})`,
    hint: 'Run it again, or paste the token yourself.',
  };
}

/** A refused paste as both wizards show it: the fingerprint (unless nothing was pasted), why, and the hint. */
export function refusedPasteNotice(p: { fingerprint: string; message: string; hint: string }): Notice {
  return { tone: 'error', text: `${p.fingerprint === '(empty)' ? '' : p.fingerprint + ': '}${p.message}`, ...(p.hint ? { hint: p.hint } : {}) };
}

export function describeOAuthError(reason: string): string {
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(reason)) return `no network connection to the sign-in service (${reason.trim()}).`;
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT/i.test(reason)) return `the sign-in service could not be reached (${reason.trim()}).`;
  return reason.trim().replace(/\.?$/, '.');
}

/** Method (D) refused: Claude Code's login is missing, (nearly) expired, or not a whole token. */
export function claudeLoginNotice(problem: { missing: true } | { expired: true } | { shape: { message: string; hint: string } }): Notice {
  if ('missing' in problem)
    return { tone: 'error', text: 'No Claude Code login was found on this host.', hint: 'Sign in with `claude` first, or choose another method.' };
  if ('expired' in problem) {
    return {
      tone: 'error',
      text: "Claude Code's login on this host has expired (or expires within 5 minutes).",
      hint: 'Run `claude` (it refreshes its own login), then run the wizard again.',
    };
  }
  const m = problem.shape.message;
  return { tone: 'error', text: `Claude Code's login holds ${m.charAt(0).toLowerCase()}${m.slice(1)}`, hint: problem.shape.hint };
}

/** A typed agent id the wizard cannot take: not an id, or one that already exists. */
export function agentIdNotice(id: string, existing?: { profileIds: string[] }): Notice {
  if (isCredentialLike(id)) return credentialAsName(id, 'an agent id');
  if (!existing) {
    return {
      tone: 'error',
      text: `"${id.length > 40 ? id.slice(0, 40) + '…' : id}" is not a valid agent id.`,
      hint: 'Use 1–64 lowercase letters, digits, "-" or "_", starting with a letter or digit (e.g. work, bot-2).',
    };
  }
  const n = existing.profileIds.length;
  return {
    tone: 'error',
    text: `Agent ${id} already exists${n ? ` (${n} profile${n === 1 ? '' : 's'})` : ''}.`,
    hint: 'Type another id for a new agent, or press Esc and pick it from the list.',
  };
}

/** A typed profile name the wizard cannot take: not a name, or an id the agent already has. */
export function profileNameNotice(name: string, taken?: { id: string; agentId: string | null }): Notice {
  if (isCredentialLike(name)) return credentialAsName(name, 'a profile name');
  if (!taken)
    return {
      tone: 'error',
      text: `"${name.slice(0, 40)}" is not a valid profile name.`,
      hint: 'Use lowercase letters, digits, ".", "-" or "_" (e.g. work, personal-2).',
    };
  return { tone: 'error', text: `${taken.id} already exists for agent ${taken.agentId}.`, hint: 'Pick another name, or press Esc to go back and replace it.' };
}

/** A credential typed or pasted where a name belongs: shown only masked, never stored as a name. */
function credentialAsName(value: string, what: string): Notice {
  return {
    tone: 'error',
    text: `That looks like a credential (${redact(value).slice(0, 60)}), not ${what}; it was not used.`,
    hint: 'Type a short name here (e.g. work); the wizard asks for the credential itself after the method.',
  };
}
