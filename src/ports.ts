// One interface per outside thing (STYLE). Commands and the wizard talk to these; adapters/
// implement them; tests pass real adapters pointed at temp dirs, the loopback API and the
// fixture `claude`, or small fakes for component tests.
import type { AuthStore, ClawdiaConfig } from './core/types.js';
import type { StatePaths } from './core/paths.js';
import type { Judgement } from './core/verdicts.js';

export interface Clock {
  now(): number;
}

export interface Env {
  get(name: string): string | undefined;
}

// ---------------------------------------------------------------- validation (SPEC §4)

export type { LiveVerdict } from './core/verdicts.js';

export interface ValidationRequest {
  /** `api_key` → GET /v1/models with x-api-key; `token` → Bearer + oauth beta, 1-token Haiku message. */
  kind: 'api_key' | 'token';
  secret: string;
  /** One deadline for the whole check (default 10 s). */
  timeoutMs: number;
  /** Cancels the check (Ctrl-C). */
  signal?: AbortSignal;
  /** API keys: one billed `max_tokens: 1` Haiku message instead of the free model list (it sees the balance). */
  billed?: boolean;
}

/** A verdict with its words (decided in core/verdicts.ts), plus what the request itself measured. */
export interface ValidationOutcome extends Judgement {
  /** Model ids from a `valid` API-key answer (GET /v1/models). */
  models?: string[];
  /** Their display names as the API gives them (id → "Claude Opus 4.5"). */
  modelNames?: Record<string, string>;
  /** Elapsed wall time of the check. */
  ms: number;
  /** Where the request went ($ANTHROPIC_BASE_URL or https://api.anthropic.com). */
  baseUrl: string;
}

export interface Validator {
  validate(req: ValidationRequest): Promise<ValidationOutcome>;
}

// ---------------------------------------------------------------- state files (SPEC §2)

export interface ConfigSnapshot {
  /** Parsed and migrated in memory. `{}` when the file does not exist. */
  config: ClawdiaConfig;
  exists: boolean;
  /** Profile ids that the in-memory migration changed (mode token → oauth). */
  migrated: string[];
  /** The file is readable by group/others. */
  loosePermissions: boolean;
}

export interface StoreSnapshot {
  store: AuthStore;
  exists: boolean;
  loosePermissions: boolean;
}

export interface StateDraft {
  /** Fresh copies read under the lock, migrated; mutate them in place. */
  config: ClawdiaConfig;
  stores: Record<string, AuthStore>;
}

export interface UpdateResult {
  /** Files written, in order (config first). Empty on dry run. */
  wrote: string[];
  migrated: string[];
}

export interface StateStore {
  readonly paths: StatePaths;
  /** Read-only, no lock, no conf: used by status and look-first. Throws FileParseError. */
  readConfig(): ConfigSnapshot;
  readStore(agentId: string): StoreSnapshot;
  /** The store at the gateway's main agent dir, which the gateway merges into every agent's view. */
  readMainStore(): StoreSnapshot;
  /** The Claude Code login the gateway copies into anthropic:claude-cli on every load (`~/.claude/.credentials.json`), or null. */
  gatewayClaudeLogin(): { type: 'oauth' | 'token'; expires: number } | null;
  /**
   * Lock config then each agent's store, re-read all under the lock, let `mutate` change the
   * draft, then write config first and stores after (temp file, fsync, rename; 0600/0700).
   * The migration's `.bak` and notice happen only here, only when this write happens.
   * `mutate` may throw to abort: nothing is written.
   */
  update(agentIds: string[], mutate: (draft: StateDraft) => void | Promise<void>, opts?: { dryRun?: boolean }): Promise<UpdateResult>;
}

// ---------------------------------------------------------------- Claude Code (SPEC §3, §6.2)

export interface ClaudeLogin {
  source: 'file' | 'keychain';
  /** The credentials file path, or the Keychain item name. */
  location: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
  subscriptionType?: string;
  scopes?: string[];
}

export interface ClaudeAuthStatus {
  loggedIn: boolean;
  authMethod?: string;
  email?: string;
  subscriptionType?: string;
}

export type SetupTokenEvent =
  | { type: 'started' }
  /** The sign-in URL, whole and unwrapped. */
  | { type: 'url'; url: string }
  /** The child shows its "Paste code here if prompted" box. */
  | { type: 'awaiting-code' }
  /** The child refused the code ("That doesn't look like the full code."). */
  | { type: 'code-rejected'; message: string }
  /** `OAuth error: <reason>` + `Press Enter to retry`: the child loops; caller may stop it. */
  | { type: 'oauth-error'; reason: string }
  /** A token was captured (not yet validated). Never print it. */
  | { type: 'token-captured'; fingerprint: string };

export type SetupTokenFailure = 'not_found' | 'exit_code' | 'no_token' | 'timeout' | 'oauth_error' | 'stopped' | 'spawn_failed';

export type SetupTokenResult =
  | { ok: true; token: string /** ms from now, from "valid for <duration>"; absent when none printed. */; expiresInMs?: number }
  | {
      ok: false;
      failure: SetupTokenFailure;
      message: string;
      exitCode?: number;
      oauthError?: string;
      /** The child's last words on its screen (up to 3 lines, stack frames dropped, secrets fingerprinted). */
      lastLines?: string[];
    };

export interface SetupTokenSession {
  /** Type the code into the child, followed by Enter. */
  submitCode(code: string): void;
  /** Press Enter in the child (retry after an OAuth error). */
  pressEnter(): void;
  /** Stop the child and its whole process group; `result` then resolves with `stopped`. */
  stop(): void;
  readonly result: Promise<SetupTokenResult>;
}

export interface ClaudeCli {
  /** `$CLAWDIA_CLAUDE_BIN`, else `claude` on PATH; null when not found. */
  locate(): string | null;
  /** Claude Code's stored login: `$CLAUDE_CONFIG_DIR/.credentials.json`, or the macOS Keychain. */
  readLogin(opts?: { keychain?: boolean }): Promise<ClaudeLogin | null>;
  /** `claude auth status --json`, null when unavailable or it fails. */
  authStatus(timeoutMs: number): Promise<ClaudeAuthStatus | null>;
  /** Run `claude setup-token` in a pseudo-terminal clawdia owns (SPEC §6.2 shape 2). */
  startSetupToken(opts: { timeoutMs: number; onEvent: (e: SetupTokenEvent) => void }): SetupTokenSession;
}

export interface Ports {
  state: StateStore;
  validator: Validator;
  claude: ClaudeCli;
  env: Env;
  clock: Clock;
}

// ---------------------------------------------------------------- ssh (`--remote`, issue 13)

export interface SshRequest {
  /** An ssh destination: `user@host`, a `Host` alias of ~/.ssh/config, `ssh://user@host:port`. */
  dest: string;
  /** The command line the remote shell runs. Never holds a secret. */
  command: string;
  /** Written to ssh's stdin, which is then closed: the only way a secret travels. */
  input?: string;
  timeoutMs: number;
  /** No terminal to ask on: `-o BatchMode=yes`, so a host-key or password question is an error, not a hang. */
  batch: boolean;
  /** Aborting stops ssh (SIGTERM, then SIGKILL): the connection closes, the remote side stops. */
  signal?: AbortSignal;
  /** Each chunk of ssh's stderr as it arrives (already part of `stderr`). */
  onStderr?: (chunk: string) => void;
}

export interface SshResult {
  /** ssh's exit code: the remote command's, or 255 when ssh itself failed. null when killed. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  /** ssh's own messages and the remote command's stderr, interleaved. */
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** The ssh program itself was not found. */
  notFound: boolean;
  ms: number;
}

export interface SshClient {
  /** The program run (`ssh`, or the first word of $CLAWDIA_SSH_COMMAND). */
  readonly program: string;
  /** A terminal exists for ssh's own questions (/dev/tty opens, CI unset). */
  canPrompt(): boolean;
  run(req: SshRequest): Promise<SshResult>;
}
