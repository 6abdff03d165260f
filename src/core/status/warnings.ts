// The warnings under `models status` (SPEC §5, §9 "Env shadowing"): loose file modes, a migrated
// mode, a login about to expire, a setup-token where the gateway overwrites it, what the gateway
// uses or never tries, inheritance from main, env variables that win at run time, the API base. Pure.
import { isLoopbackHost } from '../base-url.js';
import { DEFAULT_BASE_URL } from '../copy.js';
import { agentFlag } from '../paths.js';
import { defaultAgent } from '../migration.js';
import { CLAUDE_CLI_PROFILE_ID, MAIN_AGENT_ID, SETUP_TOKEN_PROFILE_ID, type AgentView, type ProviderResolution } from '../gateway.js';
import type { AuthStore } from '../types.js';
import { USABLE } from './profile.js';
import type { EnvCredential, ProfileStatus, StatusInput } from './types.js';

export function baseUrlWarning(env: Record<string, string | undefined>): string | null {
  const base = env.ANTHROPIC_BASE_URL;
  if (!base || base.replace(/\/+$/, '') === DEFAULT_BASE_URL) return null;
  try {
    const u = new URL(base);
    if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
      return `ANTHROPIC_BASE_URL=${u.origin} is plain http to a non-loopback host: credentials would be sent unencrypted.`;
    }
    return `ANTHROPIC_BASE_URL=${u.origin}: credentials are checked against this server, not api.anthropic.com.`;
  } catch {
    return `ANTHROPIC_BASE_URL is set but is not a valid URL.`;
  }
}

/** What computeStatus() found, that the warnings speak of. */
export interface WarningFacts {
  /** The agent's store as the gateway sees it (main's merged in), plus profiles it would drop. */
  store: AuthStore;
  view: AgentView;
  profiles: ProfileStatus[];
  resolutions: Record<string, ProviderResolution>;
  activeProfile: Record<string, string | null>;
  env: EnvCredential[];
}

/** Every warning, in the order `models status` prints them. */
export function statusWarnings(input: StatusInput, { store, view, profiles, resolutions, activeProfile, env }: WarningFacts): string[] {
  const a = agentFlag(input.agent, defaultAgent(input.config));
  const warnings: string[] = [];
  if (input.configLoose) warnings.push(`${input.configPath} is readable by other users; the next clawdia write sets it to 0600.`);
  if (input.storeLoose)
    warnings.push(`${input.storePath} is readable by other users; the next clawdia write sets it to 0600 (or: chmod 600 ${input.storePath}).`);
  if (input.migrated?.length) {
    warnings.push(`${input.migrated.join(', ')} declared mode "token" in the config; read as "oauth" (the next write saves the migration).`);
  }
  for (const p of profiles) {
    if (p.type === 'oauth' && p.remainingMs !== null && p.remainingMs <= 5 * 60_000) {
      warnings.push(
        `${p.profileId} holds a copy of Claude Code's login that ${p.remainingMs <= 0 ? 'has expired' : 'expires within 5 minutes'}: run \`claude\` (it refreshes its own login), then \`clawdia models auth sync-claude-cli${a}\`.`,
      );
    }
  }
  // A setup-token stored under the id the gateway fills with Claude Code's login (the rule before issue 10).
  const cli = store.profiles[CLAUDE_CLI_PROFILE_ID];
  if (cli?.type === 'token' && (view.origin[CLAUDE_CLI_PROFILE_ID] ?? 'own') === 'own') {
    warnings.push(
      `${CLAUDE_CLI_PROFILE_ID} holds a setup-token; the gateway replaces that entry with Claude Code's login ${input.claudeLogin ? 'on its next load (this host has one)' : 'as soon as Claude Code logs in on this host'}. Store the token again: clawdia models auth paste-token --profile-id ${SETUP_TOKEN_PROFILE_ID}${a} (then: clawdia models auth remove ${CLAUDE_CLI_PROFILE_ID}${a}).`,
    );
  }
  for (const [prov, res] of Object.entries(resolutions)) {
    const act = res.active;
    if (act) {
      const p = profiles.find((x) => x.profileId === act);
      if (p && !USABLE.has(p.state)) {
        warnings.push(
          `The gateway still uses ${act} first (${prov}): it does not know clawdia's check — ${p.problem ?? p.state}.${p.fix ? ` Fix: ${p.fix}` : ''}`,
        );
      }
    }
    for (const p of profiles) {
      if (p.provider !== prov || !p.gateway || p.gateway.tried || !p.gateway.notTried) continue;
      // main's profiles left out of this agent's own order: its choice (and `order set` takes only its own).
      if (p.gateway.notTried === 'not-in-order' && USABLE.has(p.state) && (p.origin ?? 'own') === 'own') {
        warnings.push(
          `${p.profileId} is left out of the order, so the gateway never tries it: clawdia models auth order set --provider ${prov} ${[...(res.explicit ?? []), p.profileId].join(' ')}${a}`,
        );
      } else if (p.gateway.notTried === 'not-declared') {
        warnings.push(`${p.profileId} is not declared in ${input.configPath} while other ${prov} profiles are, so the gateway never tries it.`);
      }
    }
  }
  if (view.inheritance !== 'own' && input.agent !== MAIN_AGENT_ID) {
    const own = Object.values(view.origin).filter((o) => o === 'own').length;
    const act = activeProfile.anthropic;
    const runsOnMain = act ? view.origin[act] !== 'own' : false;
    if (view.inheritance === 'clone') {
      warnings.push(
        `Agent ${input.agent} has no store of its own: the gateway copies main's into it on its next load${act ? ` and uses main's ${act}` : ''}. To give it its own credential instead: clawdia onboard${a}`,
      );
    } else if (runsOnMain) {
      warnings.push(
        `Agent ${input.agent} runs on main's ${act} (main's profiles are merged into every agent's view${own ? '' : '; it has none of its own'}). To give it its own: clawdia onboard${a}`,
      );
    }
  }
  for (const e of env) {
    if (e.use === 'used' || e.use === 'alongside') warnings.push(`${e.name} is set (${e.fingerprint}): ${envEffect(e, input.agent)}.`);
  }
  const bw = baseUrlWarning(input.env);
  if (bw) warnings.push(bw);
  if (profiles.length === 0) warnings.push(`No Anthropic credential for agent "${input.agent}" (nor in main's store, which every agent sees).`);
  return warnings;
}

/**
 * What the gateway does with a credential in its environment, in words (the rules: core/gateway.ts
 * envUse). `use` is absent in the JSON of clawdia before 0.3 (a remote's): then only what it shadows.
 */
export function envEffect(e: EnvCredential, agent?: string): string {
  const forAgent = agent ? ` for agent ${agent}` : '';
  switch (e.use) {
    case 'used':
      return `no stored profile resolves${forAgent}: the gateway uses this one`;
    case 'fallback':
      return "unused while a stored profile resolves (the gateway's last resort)";
    case 'alongside':
      return `sent as a Bearer beside ${e.shadows ?? 'the API key'}'s key (the SDK reads it); unset it for the gateway`;
    case 'ignored':
      return e.name === 'CLAUDE_CODE_OAUTH_TOKEN' ? "never read by the gateway (Claude Code's own)" : 'unused: the token in use sets its own Authorization';
    default:
      return e.shadows ? `shadows ${e.shadows} at run time` : 'set';
  }
}
