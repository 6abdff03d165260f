// Shapes of the two files (SPEC §2). Unknown fields are kept by spreading the parsed object,
// so every type here is open ("[k: string]: unknown").

export type ProfileType = 'api_key' | 'token' | 'oauth';
export type ProfileMode = 'api_key' | 'token' | 'oauth';

export interface ApiKeyCredential {
  type: 'api_key';
  provider: string;
  key: string;
  [k: string]: unknown;
}
export interface TokenCredential {
  type: 'token';
  provider: string;
  token: string;
  expires?: number;
  [k: string]: unknown;
}
export interface OAuthCredential {
  type: 'oauth';
  provider: string;
  access: string;
  refresh?: string;
  expires?: number;
  email?: string;
  [k: string]: unknown;
}
export type StoredCredential = ApiKeyCredential | TokenCredential | OAuthCredential;

export interface UsageStats {
  lastUsed?: number;
  errorCount?: number;
  cooldownUntil?: number;
  disabledUntil?: number;
  disabledReason?: string;
  lastFailureAt?: number;
  failureCounts?: Record<string, number>;
  [k: string]: unknown;
}

/** `redirected`: the API base answered a redirect, which is never followed with a credential; never stored. */
export type Verdict = 'valid' | 'invalid' | 'forbidden' | 'no_credit' | 'rate_limited' | 'unavailable' | 'offline' | 'redirected' | 'unverified';

export interface ValidationRecord {
  at: number;
  verdict: Verdict;
  detail?: string;
  requestId?: string;
  [k: string]: unknown;
}

export interface AuthStore {
  version: number;
  profiles: Record<string, StoredCredential>;
  order?: Record<string, string[]>;
  lastGood?: Record<string, string>;
  usageStats?: Record<string, UsageStats>;
  validation?: Record<string, ValidationRecord>;
  [k: string]: unknown;
}

export interface AgentEntry {
  id: string;
  default?: boolean;
  [k: string]: unknown;
}

export interface ConfigProfile {
  provider: string;
  mode: ProfileMode;
  [k: string]: unknown;
}

export interface ClawdiaConfig {
  agents?: {
    defaults?: {
      model?: { primary?: string; [k: string]: unknown };
      models?: Record<string, { params?: Record<string, unknown>; [k: string]: unknown }>;
      [k: string]: unknown;
    };
    list?: AgentEntry[];
    [k: string]: unknown;
  };
  auth?: {
    profiles?: Record<string, ConfigProfile>;
    order?: Record<string, string[]>;
    [k: string]: unknown;
  };
  models?: {
    providers?: Record<string, { headers?: Record<string, string>; [k: string]: unknown }>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export function emptyStore(): AuthStore {
  return { version: 1, profiles: {} };
}

/** The secret a stored credential carries for requests (API key or access token). */
export function credentialSecret(c: StoredCredential): string {
  switch (c.type) {
    case 'api_key':
      return c.key;
    case 'token':
      return c.token;
    case 'oauth':
      return c.access;
  }
}

/** How the credential authenticates: x-api-key, or Bearer with the OAuth beta. */
export function credentialAuthKind(c: StoredCredential): 'api_key' | 'token' {
  return c.type === 'api_key' ? 'api_key' : 'token';
}

/** `--auth-choice`: the onboarding methods a command line can name (the wizard offers these and the env ones). */
export type AuthChoice = 'api-key' | 'setup-token' | 'paste-token' | 'claude-cli';
