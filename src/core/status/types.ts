// The shape of `models status`: what one agent's status holds (the `--json` object, SPEC §5) and
// what computing it takes (StatusInput). Types only; core/status.ts computes it.
import type { EnvUse, Ineligible, ProfileOrigin } from '../gateway.js';
import type { AuthStore, ClawdiaConfig, StoredCredential, Verdict } from '../types.js';

export type ProfileState = 'ok' | 'expiring' | 'expired' | 'invalid' | 'cooldown' | 'disabled' | 'unverified' | 'missing';

export interface ProbeResult {
  verdict: Exclude<Verdict, 'unverified'> | 'skipped';
  requestId: string | null;
  ms: number;
  /** The HTTP status the API answered; null when nothing was sent (absent: not recorded). */
  httpStatus?: number | null;
  /** The verdict in words, when the request was not sent or not answered by the API itself. */
  message?: string;
}

export interface ProfileStatus {
  profileId: string;
  provider: string;
  type: StoredCredential['type'] | null;
  mode: string | null;
  fingerprint: string | null;
  state: ProfileState;
  expiresAt: number | null;
  remainingMs: number | null;
  cooldownUntil: number | null;
  lastValidation: { at: number; verdict: Verdict; detail?: string; requestId?: string } | null;
  source: 'store';
  probe: ProbeResult | null;
  /** Why a profile is unusable, in words; and the command that fixes it. */
  problem: string | null;
  fix: string | null;
  email?: string;
  /** Whose store the gateway takes it from for this agent: its own, main's (merged in), or main's copied on first load. */
  origin?: ProfileOrigin;
  /** What the gateway does with it (core/gateway.ts): tried at `rank` in its order, or never, and why. */
  gateway?: { tried: boolean; rank: number | null; notTried: Ineligible | null };
}

export interface UnusableProfile {
  profileId: string;
  provider: string;
  kind: 'cooldown' | 'disabled' | 'expired' | 'invalid' | 'missing';
  reason: string;
  until: number | null;
  remainingMs: number | null;
}

export interface EnvCredential {
  name: string;
  fingerprint: string;
  /** The credential it interferes with at run time (ANTHROPIC_AUTH_TOKEN sent beside an API key), else null. */
  shadows: string | null;
  /** What the gateway does with it (core/gateway.ts envUse). Absent in the JSON of clawdia before 0.3. */
  use?: EnvUse;
}

/** Where the files were found and why (SPEC §1 as changed by issue 10). */
export interface StateSource {
  stateDir: string;
  stateDirFrom: string;
  configFrom: string;
  /** The config is the gateway's own (clawdbot.json). */
  gateway: boolean;
}

/** The gateway's view of this agent's credentials (core/gateway.ts), per provider. */
export interface GatewayStatus {
  /** own: its own store; merged: main's profiles are merged into its view; clone: it has no store, the gateway copies main's. */
  inheritance: 'own' | 'merged' | 'clone';
  order: Record<string, string[]>;
  orderSource: Record<string, 'store' | 'config' | 'rank'>;
  activeProfile: Record<string, string | null>;
}

export interface AgentStatus {
  schemaVersion: 1;
  agent: string;
  configPath: string;
  agentDir: string;
  defaultModel: string | null;
  state?: StateSource;
  gateway?: GatewayStatus;
  checksPath?: string;
  /** The default model's prompt-cache TTL: "1h" when the config sets it, else "5m" (Anthropic's default); null without a model. */
  cacheTtl: '5m' | '1h' | null;
  auth: {
    storePath: string;
    profiles: ProfileStatus[];
    order: Record<string, string[]>;
    activeProfile: Record<string, string | null>;
    unusableProfiles: UnusableProfile[];
    env: EnvCredential[];
    warnings: string[];
  };
}

export interface StatusInput {
  agent: string;
  configPath: string;
  agentDir: string;
  storePath: string;
  config: ClawdiaConfig;
  store: AuthStore;
  storeExists: boolean;
  env: Record<string, string | undefined>;
  now: number;
  probes?: Record<string, ProbeResult>;
  migrated?: string[];
  configLoose?: boolean;
  storeLoose?: boolean;
  /**
   * The store at the main agent dir, as the gateway merges it into every other agent's view; with
   * `isMainStore` false. Absent: the agent's store is treated as main's (no inheritance).
   */
  mainStore?: AuthStore | null;
  isMainStore?: boolean;
  /** The host has a Claude Code login the gateway copies into anthropic:claude-cli on every load. */
  claudeLogin?: { type: 'oauth' | 'token'; expires: number } | null;
  source?: StateSource;
  checksPath?: string;
}
