// Typed options for each command, as cli/program.ts parses them from argv (commander), already checked
// for range (exit 2 on a bad value). One interface per command (pastel's convention).
import type { AuthChoice } from '../core/types.js';

export type { AuthChoice };

/** Flags every credential-writing command takes (SPEC §9 "Flags"). */
export interface WriteFlags {
  agent?: string;
  profileId?: string;
  timeoutMs: number;
  skipValidation: boolean;
  saveUnverified: boolean;
  yes: boolean;
  json: boolean;
  /** The summary with every field, the config snippet and the file paths. */
  verbose?: boolean;
  /** API keys: one billed 1-token request instead of the free model list (it sees the balance). */
  checkBilling?: boolean;
}

export interface OnboardOptions extends WriteFlags {
  authChoice?: AuthChoice;
  model?: string;
  cacheTtl?: '5m' | '1h';
  setupTokenTimeoutMs: number;
  dryRun: boolean;
  nonInteractive: boolean;
  plain: boolean;
  tokenStdin: boolean;
  copyFrom?: string;
}

export interface SetupTokenOptions extends WriteFlags {
  setupTokenTimeoutMs: number;
}

export interface PasteOptions extends WriteFlags {
  kind: 'api_key' | 'token';
  /** --expires-in, in ms (tokens only). */
  expiresInMs?: number;
}

export interface SyncClaudeCliOptions extends WriteFlags {}

/** `models auth order get|set [ids…]`. */
export interface OrderOptions {
  action: 'get' | 'set';
  ids: string[];
  agent?: string;
  provider: string;
  json: boolean;
}

/** `models auth clear-cooldown`. */
export interface ClearCooldownOptions {
  agent?: string;
  profileId?: string;
}

/** `models auth remove <profileId>`. */
export interface RemoveOptions {
  profileId: string;
  agent?: string;
}

export interface StatusOptions {
  agent?: string;
  allAgents: boolean;
  json: boolean;
  check: boolean;
  probe: boolean;
  /** With --probe: API keys get one billed 1-token request (sees the balance). */
  spend?: boolean;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_SETUP_TOKEN_TIMEOUT_MS = 10 * 60_000;
