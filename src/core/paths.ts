// State dir, agent paths and id validation (SPEC §1, as issue 10 changed it). Pure but for the
// `exists` check passed in (and `statePaths(dir)`'s one look for a clawdbot.json there).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { configuredAgentDir } from './gateway.js';
import type { ClawdiaConfig } from './types.js';

export const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const PROFILE_ID = /^([a-z0-9][a-z0-9_-]{0,31}):([a-z0-9][a-z0-9._-]{0,63})$/;
export const PROVIDERS = ['anthropic'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const STORE_FILE = 'auth-profiles.json';
/** clawdia's own check results, beside each store: the gateway rewrites the store and drops what it does not read. */
export const CHECKS_FILE = 'clawdia-checks.json';

export interface StatePaths {
  stateDir: string;
  configPath: string;
  /** Where the state dir and config came from, in words (status prints them). */
  location: StateLocation;
  agentDir(agentId: string): string;
  storePath(agentId: string): string;
  checksPath(agentId: string): string;
  /** The agent's dir is `<state>/agents/<id>/agent` (not an `agents.list[].agentDir`). */
  isDefaultAgentDir(agentId: string): boolean;
  /** The store the gateway merges into every agent's view (agent-paths.js resolveClawdbotAgentDir). */
  mainStorePath: string;
  /** Take `agents.list[].agentDir` from this config (agent-scope.js resolveAgentDir). */
  learnConfig(config: ClawdiaConfig): void;
}

export interface StateLocation {
  stateDir: string;
  stateDirFrom: string;
  configPath: string;
  configFrom: string;
  /** A Clawdbot gateway's state: clawdia reads and writes its clawdbot.json. */
  gateway: boolean;
  home: string;
  /** `$CLAWDBOT_AGENT_DIR` / `$PI_CODING_AGENT_DIR`: the gateway's main agent dir, when set. */
  mainAgentDir: string | null;
}

/** utils.js resolveUserPath: `~` → home; everything else `path.resolve`d (a relative path: against the working directory). */
export function resolveUserPath(p: string, home: string): string {
  const t = p.trim();
  if (!t) return t;
  if (t.startsWith('~')) return path.resolve(t.replace(/^~(?=$|[\\/])/, home));
  return path.resolve(t);
}

/**
 * Find the state the way the gateway does (issue 10): `$CLAWDIA_STATE_DIR`, else
 * `$CLAWDBOT_STATE_DIR`, else an existing `~/.clawdbot`, else `~/.clawdia`. The state is a gateway's
 * when it came from `CLAWDBOT_STATE_DIR`, is `~/.clawdbot`, or holds a `clawdbot.json`: then the
 * config is `clawdbot.json` (or `$CLAWDBOT_CONFIG_PATH`, as config/paths.js resolveConfigPath),
 * otherwise clawdia's own `clawdia.json`.
 */
export function locateState(env: Record<string, string | undefined>, home: string, exists: (p: string) => boolean): StateLocation {
  const set = (n: string) => (env[n] && env[n]!.trim() ? env[n]!.trim() : null);
  const dotClawdbot = path.join(home, '.clawdbot');
  let stateDir: string;
  let stateDirFrom: string;
  if (set('CLAWDIA_STATE_DIR')) {
    stateDir = resolveUserPath(set('CLAWDIA_STATE_DIR')!, home);
    stateDirFrom = '$CLAWDIA_STATE_DIR';
  } else if (set('CLAWDBOT_STATE_DIR')) {
    stateDir = resolveUserPath(set('CLAWDBOT_STATE_DIR')!, home);
    stateDirFrom = "$CLAWDBOT_STATE_DIR (the gateway's)";
  } else if (exists(dotClawdbot)) {
    stateDir = dotClawdbot;
    stateDirFrom = "~/.clawdbot exists (the gateway's)";
  } else {
    stateDir = path.join(home, '.clawdia');
    stateDirFrom = 'default: no $CLAWDIA_STATE_DIR, $CLAWDBOT_STATE_DIR or ~/.clawdbot';
  }
  const own = path.join(stateDir, 'clawdbot.json');
  const gatewayState =
    stateDirFrom.startsWith('$CLAWDBOT') ||
    stateDir === dotClawdbot ||
    (set('CLAWDBOT_STATE_DIR') !== null && resolveUserPath(set('CLAWDBOT_STATE_DIR')!, home) === stateDir);
  let configPath: string;
  let configFrom: string;
  let gateway = true;
  if (gatewayState && set('CLAWDBOT_CONFIG_PATH')) {
    configPath = resolveUserPath(set('CLAWDBOT_CONFIG_PATH')!, home);
    configFrom = '$CLAWDBOT_CONFIG_PATH';
  } else if (exists(own)) {
    configPath = own;
    configFrom = "the gateway's clawdbot.json is there";
  } else if (gatewayState) {
    configPath = own;
    configFrom = "a gateway's state: its clawdbot.json";
  } else {
    configPath = path.join(stateDir, 'clawdia.json');
    configFrom = "no clawdbot.json there: clawdia's own config";
    gateway = false;
  }
  const agentEnv = set('CLAWDBOT_AGENT_DIR') ?? set('PI_CODING_AGENT_DIR');
  return { stateDir, stateDirFrom, configPath, configFrom, gateway, home, mainAgentDir: agentEnv ? resolveUserPath(agentEnv, home) : null };
}

export function resolveStateDir(env: Record<string, string | undefined>, home: string): string {
  return locateState(env, home, () => false).stateDir;
}

export function statePaths(where: string | StateLocation): StatePaths {
  const location: StateLocation =
    typeof where === 'string'
      ? (() => {
          const loc = locateState({ CLAWDIA_STATE_DIR: where }, process.env.HOME ?? '/', (p) => existsSync(p));
          return { ...loc, stateDir: where };
        })()
      : where;
  const { stateDir } = location;
  let overrides: Record<string, string> = {};
  const agentDir = (id: string) => overrides[checkAgentId(id)] ?? path.join(stateDir, 'agents', id, 'agent');
  return {
    stateDir,
    configPath: location.configPath,
    location,
    agentDir,
    storePath: (id) => path.join(agentDir(id), STORE_FILE),
    checksPath: (id) => path.join(agentDir(id), CHECKS_FILE),
    isDefaultAgentDir: (id) => !(checkAgentId(id) in overrides),
    mainStorePath: path.join(location.mainAgentDir ?? path.join(stateDir, 'agents', 'main', 'agent'), STORE_FILE),
    learnConfig(config) {
      const next: Record<string, string> = {};
      for (const id of listAgentIdsLoose(config)) {
        const dir = configuredAgentDir(config, id);
        if (dir) next[id] = resolveUserPath(dir, location.home);
      }
      overrides = next;
    },
  };
}

function listAgentIdsLoose(config: ClawdiaConfig): string[] {
  const list = config.agents?.list;
  if (!Array.isArray(list)) return [];
  return list.map((e) => (e && typeof e === 'object' && typeof e.id === 'string' ? e.id.trim().toLowerCase() : '')).filter((id) => isValidAgentId(id));
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
