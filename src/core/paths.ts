// State dir, agent paths and id validation (SPEC §1). Pure: env and home are passed in.
import path from 'node:path';
import { UsageError } from './errors.js';

export const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const PROFILE_ID = /^([a-z0-9][a-z0-9_-]{0,31}):([a-z0-9][a-z0-9._-]{0,63})$/;
export const PROVIDERS = ['anthropic'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface StatePaths {
  stateDir: string;
  configPath: string;
  agentDir(agentId: string): string;
  storePath(agentId: string): string;
}

export function resolveStateDir(env: Record<string, string | undefined>, home: string): string {
  const fromEnv = env.CLAWDIA_STATE_DIR;
  if (fromEnv && fromEnv.trim()) return path.resolve(fromEnv);
  return path.join(home, '.clawdia');
}

export function statePaths(stateDir: string): StatePaths {
  return {
    stateDir,
    configPath: path.join(stateDir, 'clawdia.json'),
    agentDir: (id) => path.join(stateDir, 'agents', checkAgentId(id), 'agent'),
    storePath: (id) => path.join(stateDir, 'agents', checkAgentId(id), 'agent', 'auth-profiles.json'),
  };
}

/**
 * ` --agent <id>` for a command printed as a fix; empty only for the default agent (the one the
 * commands pick without --agent: `default: true` in agents.list, else main). A caller that cannot
 * tell the default passes null and the flag is always written.
 */
export function agentFlag(agent: string, defaultAgentId: string | null): string {
  return agent === defaultAgentId ? '' : ` --agent ${agent}`;
}

export function isValidAgentId(id: string): boolean {
  return AGENT_ID.test(id);
}

/** Agent ids become directory names: refuse anything that could escape the state dir. */
export function checkAgentId(id: string): string {
  if (!isValidAgentId(id)) {
    throw new UsageError(
      `Invalid agent id ${JSON.stringify(id.length > 70 ? id.slice(0, 70) + '…' : id)}.`,
      'Agent ids are 1–64 characters: lowercase letters, digits, "-" and "_", starting with a letter or digit (e.g. main, work-2).',
    );
  }
  return id;
}

export function checkProfileId(id: string): { provider: string; name: string } {
  const m = PROFILE_ID.exec(id);
  if (!m) {
    throw new UsageError(
      `Invalid profile id ${JSON.stringify(id.length > 70 ? id.slice(0, 70) + '…' : id)}.`,
      'Profile ids look like <provider>:<name>, e.g. anthropic:default, anthropic:claude-cli, anthropic:work.',
    );
  }
  const provider = m[1]!;
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`Unknown provider "${provider}" in profile id ${id}.`, 'Only "anthropic" is supported.');
  }
  return { provider, name: m[2]! };
}

export function checkProvider(p: string | undefined): Provider {
  const v = p ?? 'anthropic';
  if (!(PROVIDERS as readonly string[]).includes(v)) {
    throw new UsageError(`Unknown provider "${v}".`, 'Only --provider anthropic is supported.');
  }
  return v as Provider;
}
