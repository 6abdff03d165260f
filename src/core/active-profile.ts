// Which profile an agent will use, asked in one place. Every "the agent now uses …" line and
// every "the new credential is not the one in use" warning goes through activeProfileOf(), so
// the gateway's own resolution rules replace today's (first usable profile in the effective
// order, core/status.ts) here alone. Pure.
import { agentFlag } from './paths.js';
import { computeStatus, type StatusInput } from './status.js';

export function activeProfileOf(input: StatusInput, provider = 'anthropic'): string | null {
  return computeStatus(input).auth.activeProfile[provider] ?? null;
}

/** `order` with `id` moved to the front. */
export function putFirst(order: string[], id: string): string[] {
  return [id, ...order.filter((x) => x !== id)];
}

/** The exact command that makes `id` the agent's first profile. */
export function orderSetCommand(agent: string, order: string[], id: string, defaultAgentId: string | null = null): string {
  return `clawdia models auth order set --provider anthropic ${putFirst(order, id).join(' ')}${agentFlag(agent, defaultAgentId)}`;
}

export interface ActiveFacts {
  agent: string;
  profileId: string;
  /** The agent's active profile after the write, and before it. */
  activeProfile: string | null;
  previousActive: string | null;
  order: string[];
  /** The agent commands pick without --agent (the printed command omits the flag for it); unknown: always written. */
  defaultAgent?: string | null;
}

/**
 * A warning line (with the fix command) when the profile just saved is not the one the agent
 * will use, or when saving it displaced the profile that was in use. Null when neither.
 */
export function activeWarning(f: ActiveFacts): { text: string; command: string } | null {
  if (f.activeProfile !== f.profileId && f.order.indexOf(f.profileId) > 0) {
    return {
      text: `agent ${f.agent} still uses ${f.activeProfile ?? 'no usable profile'} first; ${f.profileId} was saved behind it.`,
      command: orderSetCommand(f.agent, f.order, f.profileId, f.defaultAgent ?? null),
    };
  }
  if (f.activeProfile === f.profileId && f.previousActive && f.previousActive !== f.profileId) {
    return {
      text: `agent ${f.agent} now uses ${f.profileId} instead of ${f.previousActive}.`,
      command: orderSetCommand(f.agent, f.order, f.previousActive, f.defaultAgent ?? null),
    };
  }
  return null;
}

/** activeWarning() as one sentence with its fix command, or null. */
export function activeWarningLine(f: ActiveFacts): string | null {
  const w = activeWarning(f);
  if (!w) return null;
  const fix = f.activeProfile === f.profileId ? 'To switch back' : 'To use it first';
  return `${w.text.charAt(0).toUpperCase()}${w.text.slice(1)} ${fix}: ${w.command}`;
}
