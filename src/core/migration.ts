// The one config migration (SPEC §2): `mode: "token"` → `"oauth"` for anthropic:claude-cli, so it
// accepts both setup-tokens and Claude Code's OAuth login. Pure; used in memory by read-only
// commands and, under the write lock, by writing commands.
import type { AuthStore, ClawdiaConfig } from './types.js';
import { FileParseError } from './errors.js';
import { checkKeys } from './validate.js';
import { CLAUDE_CLI_PROFILE_ID, gatewayDefaultAgent } from './gateway.js';

export interface Migrated {
  config: ClawdiaConfig;
  /** Profile ids whose mode changed. Empty when nothing changed. */
  migrated: string[];
}

export function migrateConfig(input: ClawdiaConfig): Migrated {
  const profiles = input.auth?.profiles;
  if (!profiles || typeof profiles !== 'object') return { config: input, migrated: [] };
  // Only anthropic:claude-cli, as the gateway's own migration (config/legacy.migrations.part-3.js
  // "auth.anthropic-claude-cli-mode-oauth"): it is the id the gateway fills with an OAuth login.
  // A setup-token under its own id (anthropic:setup-token) is declared "token" on purpose (issue 10).
  const migrated = Object.keys(profiles).filter((id) => id === CLAUDE_CLI_PROFILE_ID && profiles[id]?.mode === 'token');
  if (migrated.length === 0) return { config: input, migrated };
  const next: ClawdiaConfig = structuredClone(input);
  for (const id of migrated) next.auth!.profiles![id]!.mode = 'oauth';
  return { config: next, migrated };
}

export function migrationNotice(migrated: string[], configPath: string): string {
  const base = configPath.split(/[\\/]/).pop() ?? 'clawdia.json';
  return `clawdia: migrated ${migrated.join(', ')} in ${configPath} from mode "token" to "oauth" (it accepts setup-tokens and Claude Code logins); the old file is kept as ${base}.bak.`;
}

/** Check the parsed auth store has the shape we rely on; keep everything else as it is. */
/** `text`, when given, is checked for keys a rewrite would lose (duplicates, `__proto__`). */
export function asAuthStore(raw: Record<string, unknown>, file: string, text?: string): AuthStore {
  if (text !== undefined) checkKeys(text, file, raw);
  const profiles = raw.profiles ?? {};
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new FileParseError(file, 1, 1, `"profiles" is ${Array.isArray(profiles) ? 'an array' : 'not an object'}; it must map profile ids to credentials`, {
      hint: 'Make it an object keyed by profile id by hand, or move the file away, then run the command again.',
    });
  }
  for (const [k, v] of Object.entries(raw)) {
    if (['order', 'lastGood', 'usageStats', 'validation'].includes(k) && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new FileParseError(file, 1, 1, `"${k}" is not an object`);
    }
  }
  return { ...raw, version: typeof raw.version === 'number' ? raw.version : 1, profiles } as AuthStore;
}

export function asConfig(raw: Record<string, unknown>, file: string, text?: string): ClawdiaConfig {
  if (text !== undefined) checkKeys(text, file, raw);
  const agents = raw.agents as ClawdiaConfig['agents'];
  if (agents !== undefined && (typeof agents !== 'object' || agents === null)) throw new FileParseError(file, 1, 1, '"agents" is not an object');
  if (agents?.list !== undefined && !Array.isArray(agents.list)) throw new FileParseError(file, 1, 1, '"agents.list" is not an array');
  const auth = raw.auth as ClawdiaConfig['auth'];
  if (auth !== undefined && (typeof auth !== 'object' || auth === null)) throw new FileParseError(file, 1, 1, '"auth" is not an object');
  const profiles = auth?.profiles as unknown;
  if (profiles !== undefined && (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles))) {
    throw new FileParseError(
      file,
      1,
      1,
      `"auth.profiles" is ${Array.isArray(profiles) ? 'an array' : 'not an object'}; it must map profile ids to { provider, mode }`,
      {
        hint: 'Make it an object like { "anthropic:default": { "provider": "anthropic", "mode": "api_key" } } by hand, or move the file away, then run the command again.',
      },
    );
  }
  return raw as ClawdiaConfig;
}

export function listAgents(config: ClawdiaConfig): string[] {
  const ids = (config.agents?.list ?? []).map((a) => a?.id).filter((x): x is string => typeof x === 'string');
  return [...new Set(ids)];
}

/**
 * Default agent as the gateway picks it (agent-scope.js resolveDefaultAgentId): the first with
 * `default: true`, else the first listed, else `main`. (SPEC §9 said "else main"; issue 10 wins.)
 */
export function defaultAgent(config: ClawdiaConfig): string {
  return gatewayDefaultAgent(config);
}
