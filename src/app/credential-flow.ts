// The part every credential-writing command shares (paste-*, setup-token, sync-claude-cli, the
// wizard): validate once, decide whether the verdict may be stored, write config + store under
// the lock, and describe what is now stored. No prompting, no printing.
import { ClawdiaError } from '../core/errors.js';
import { fingerprint } from '../core/credentials.js';
import { redactDeep } from '../core/redact.js';
import { defaultAgent } from '../core/migration.js';
import { activeProfileOf, putFirst } from '../core/active-profile.js';
import { applyCredential, applyModelSettings, copyProfiles, defaultProfileId, type SaveOutcome } from '../core/save.js';
import { CLAUDE_CLI_PROFILE_ID, SETUP_TOKEN_PROFILE_ID } from '../core/gateway.js';
import { computeStatus, type EnvCredential } from '../core/status.js';
import { credentialSecret, type StoredCredential, type ValidationRecord } from '../core/types.js';
import type { Ports, ValidationOutcome } from '../ports.js';
import { mainStoreFor, statusInput } from './status-input.js';

export interface NewCredential {
  /** api_key → `type: api_key`; token → `type: token` (setup-token); oauth → `type: oauth` (Claude Code's login). */
  kind: 'api_key' | 'token' | 'oauth';
  secret: string;
  refresh?: string;
  /** Epoch ms. */
  expires?: number;
  email?: string;
  /** Where it came from, for messages: "stdin", "ANTHROPIC_API_KEY", "claude setup-token", "~/.claude/.credentials.json". */
  source: string;
}

export function toStored(c: NewCredential): StoredCredential {
  switch (c.kind) {
    case 'api_key':
      return { type: 'api_key', provider: 'anthropic', key: c.secret };
    case 'token':
      return { type: 'token', provider: 'anthropic', token: c.secret, ...(c.expires ? { expires: c.expires } : {}) };
    case 'oauth':
      return {
        type: 'oauth',
        provider: 'anthropic',
        access: c.secret,
        ...(c.refresh ? { refresh: c.refresh } : {}),
        ...(c.expires ? { expires: c.expires } : {}),
        ...(c.email ? { email: c.email } : {}),
      };
  }
}

export function validate(ports: Ports, c: NewCredential, opts: { timeoutMs: number; signal?: AbortSignal; billed?: boolean }): Promise<ValidationOutcome> {
  const kind = c.kind === 'api_key' ? 'api_key' : 'token';
  // A billed check exists only for API keys (SPEC §6.1: a token's check is already one request).
  return ports.validator.validate({
    kind,
    secret: c.secret,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    ...(opts.billed && kind === 'api_key' ? { billed: true } : {}),
  });
}

export type StoreDecision =
  | { store: true; record: ValidationRecord; cooldownUntil?: number; warning?: string }
  | { store: false; error: ClawdiaError /** The user may still keep it with "save unverified" / --save-unverified. */; canSaveUnverified: boolean };

/**
 * SPEC §4 table: valid → store; rate_limited → store with cooldown (warn); invalid → never;
 * forbidden/unavailable/offline → only when the user insists (`saveUnverified`);
 * no outcome (skip validation) → store as `unverified` (warn).
 */
export function decide(outcome: ValidationOutcome | null, opts: { saveUnverified: boolean; now: number }): StoreDecision {
  if (!outcome) {
    return {
      store: true,
      record: { at: opts.now, verdict: 'unverified', detail: 'validation skipped' },
      warning: 'Stored without checking it (--skip-validation): run `clawdia models status --probe` to check it later.',
    };
  }
  const record: ValidationRecord = {
    at: opts.now,
    verdict: outcome.verdict,
    detail: outcome.detail,
    ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
  };
  switch (outcome.verdict) {
    case 'valid':
      return { store: true, record };
    case 'rate_limited': {
      const cooldownUntil = opts.now + (outcome.retryAfterMs ?? 60_000);
      return { store: true, record, cooldownUntil, warning: `${outcome.message} It is stored, cooling down until ${new Date(cooldownUntil).toISOString()}.` };
    }
    case 'invalid':
    case 'redirected':
      return { store: false, canSaveUnverified: false, error: new ClawdiaError(`${outcome.message} Nothing was stored.`, { hint: outcome.hint }) };
    case 'forbidden':
    case 'no_credit':
    case 'unavailable':
    case 'offline':
      if (opts.saveUnverified) {
        return { store: true, record, warning: `${outcome.message} Stored anyway (--save-unverified); it is marked ${outcome.verdict}.` };
      }
      return {
        store: false,
        canSaveUnverified: true,
        // The verdict's own hint may already offer --save-unverified: say it once.
        error: new ClawdiaError(`${outcome.message} Nothing was stored.`, {
          hint: outcome.hint.includes('--save-unverified') ? outcome.hint : `${outcome.hint} To keep it anyway, add --save-unverified.`,
        }),
      };
  }
}

export interface SaveRequest {
  agentId: string;
  profileId?: string;
  credential: NewCredential;
  decision: Extract<StoreDecision, { store: true }>;
  /** Copy another agent's profiles first (only ever when the user chose it). */
  copyFrom?: string;
  model?: string;
  cacheTtl?: '5m' | '1h';
  dryRun?: boolean;
  /** Replacing an existing profile id is allowed (interactive: the user said yes; non-interactive: always). */
  allowReplace?: boolean;
  /**
   * Validation results of *other* profiles of this agent to record with this write (the wizard's
   * look-first probe: SPEC §9 records its verdicts only with the final write). Ignored for ids the
   * store does not hold, and for `profileId` itself.
   */
  records?: Record<string, ValidationRecord>;
  /** The same, for other agents (look-first checked the default agent before a new one was named). */
  otherRecords?: Record<string, Record<string, ValidationRecord>>;
  /** Put the new profile first in the agent's order (the wizard's "Use the new … first?"). */
  putFirst?: boolean;
}

export interface SaveSummary {
  agent: string;
  profileId: string;
  type: StoredCredential['type'];
  fingerprint: string;
  verdict: ValidationRecord['verdict'];
  requestId: string | null;
  expiresAt: number | null;
  cooldownUntil: number | null;
  billing: 'usage-based (API key)' | 'Claude subscription plan';
  replaced: boolean;
  previousFingerprint: string | null;
  activeProfile: string | null;
  /** The agent commands pick without --agent. */
  defaultAgent?: string;
  /** The profile the agent used before this write (null: none usable, or a new agent). */
  previousActive: string | null;
  order: string[];
  /** The config changes this write made, as a snippet (no secrets). */
  configSnippet: Record<string, unknown>;
  copied: string[];
  betaKept: string[];
  wrote: string[];
  migrated: string[];
  dryRun: boolean;
  storePath: string;
  configPath: string;
  shadowedBy: EnvCredential[];
  warnings: string[];
}

/**
 * A setup-token must not go where the gateway overwrites it: on every store load it copies this
 * host's Claude Code login into anthropic:claude-cli, replacing a token there (external-cli-sync.js
 * syncExternalCliCredentials). With such a login present, the token goes to anthropic:setup-token.
 */
export function tokenTarget(ports: Ports, profileId: string, kind: NewCredential['kind']): { profileId: string; why: string | null } {
  if (kind !== 'token' || profileId !== CLAUDE_CLI_PROFILE_ID) return { profileId, why: null };
  const login = ports.state.gatewayClaudeLogin();
  if (!login) return { profileId, why: null };
  return {
    profileId: SETUP_TOKEN_PROFILE_ID,
    why: `Stored as ${SETUP_TOKEN_PROFILE_ID}, not ${CLAUDE_CLI_PROFILE_ID}: this host has a Claude Code login (~/.claude/.credentials.json), which the gateway copies into ${CLAUDE_CLI_PROFILE_ID} on every load, replacing a setup-token there. ${SETUP_TOKEN_PROFILE_ID} is first in the order.`,
  };
}

export async function save(ports: Ports, req: SaveRequest): Promise<SaveSummary> {
  const target = tokenTarget(ports, req.profileId ?? defaultProfileId(req.credential.kind === 'api_key' ? 'api_key' : 'token'), req.credential.kind);
  const profileId = target.profileId;
  const stored = toStored(req.credential);
  const agentIds = [req.agentId, ...Object.keys(req.otherRecords ?? {}).filter((a) => a !== req.agentId)];
  let outcome: SaveOutcome | undefined;
  let copied: string[] = [];
  let betaKept: string[] = [];
  let snippet: Record<string, unknown> = {};
  let finalStatus: ReturnType<typeof computeStatus> | undefined;
  let activeProfile: string | null = null;
  let previousActive: string | null = null;
  let defaultAgentId = req.agentId;
  const now = ports.clock.now();
  const source = req.copyFrom ? ports.state.readStore(req.copyFrom) : undefined;
  // The summary names the profile the gateway will use, with main's profiles merged in as it does.
  const main = mainStoreFor(ports.state, req.agentId);
  const result = await ports.state.update(
    agentIds,
    (draft) => {
      const store = draft.stores[req.agentId]!;
      const input = () => statusInput(ports, req.agentId, { config: draft.config, store, storeExists: true }, { now, ...main });
      previousActive = activeProfileOf(input());
      if (!req.allowReplace && store.profiles[profileId]) {
        throw new ClawdiaError(`${profileId} already exists for agent ${req.agentId} (${fingerprint(credentialSecret(store.profiles[profileId]!))}).`, {
          hint: 'Add --yes to replace it, or --profile-id anthropic:<name> to keep both.',
        });
      }
      if (source) copied = copyProfiles(source.store, store);
      outcome = applyCredential(draft.config, store, {
        agentId: req.agentId,
        profileId,
        credential: stored,
        validation: req.decision.record,
        cooldownUntil: req.decision.cooldownUntil,
      });
      if (target.why) {
        const order = store.order?.anthropic ?? [];
        store.order = { ...(store.order ?? {}), anthropic: [profileId, ...order.filter((id) => id !== profileId)] };
      }
      for (const [id, rec] of Object.entries(req.records ?? {})) {
        if (id !== profileId && store.profiles[id]) store.validation = { ...(store.validation ?? {}), [id]: rec };
      }
      for (const [agentId, recs] of Object.entries(req.otherRecords ?? {})) {
        const other = draft.stores[agentId];
        if (!other || agentId === req.agentId) continue;
        for (const [id, rec] of Object.entries(recs)) {
          if (other.profiles[id]) other.validation = { ...(other.validation ?? {}), [id]: rec };
        }
      }
      if (req.putFirst) {
        const provider = profileId.slice(0, profileId.indexOf(':'));
        store.order = { ...(store.order ?? {}), [provider]: putFirst(store.order?.[provider] ?? [], profileId) };
      }
      if (req.model || req.cacheTtl) {
        betaKept = applyModelSettings(draft.config, { model: req.model, cacheTtl: req.cacheTtl, oauth: stored.type !== 'api_key' }).betaKept;
      } else if (stored.type !== 'api_key') {
        betaKept = applyModelSettings(draft.config, { oauth: true }).betaKept;
      }
      // agents.defaults is the user's: whatever was put there (a key, by mistake) is printed masked.
      snippet = redactDeep({
        auth: { profiles: { [profileId]: draft.config.auth!.profiles![profileId] } },
        ...(req.model || req.cacheTtl ? { agents: { defaults: structuredClone(draft.config.agents?.defaults ?? {}) } } : {}),
      });
      finalStatus = computeStatus(input());
      activeProfile = activeProfileOf(input());
      defaultAgentId = defaultAgent(draft.config);
    },
    { dryRun: req.dryRun },
  );
  const st = finalStatus!;
  return {
    agent: req.agentId,
    profileId,
    type: stored.type,
    fingerprint: fingerprint(req.credential.secret),
    verdict: req.decision.record.verdict,
    requestId: req.decision.record.requestId ?? null,
    expiresAt: req.credential.expires ?? null,
    cooldownUntil: req.decision.cooldownUntil ?? null,
    billing: stored.type === 'api_key' ? 'usage-based (API key)' : 'Claude subscription plan',
    replaced: outcome!.replaced,
    previousFingerprint: outcome!.previousFingerprint ?? null,
    activeProfile,
    defaultAgent: defaultAgentId,
    previousActive,
    order: st.auth.order.anthropic ?? [],
    configSnippet: snippet,
    copied,
    betaKept,
    wrote: result.wrote,
    migrated: result.migrated,
    dryRun: !!req.dryRun,
    storePath: ports.state.paths.storePath(req.agentId),
    configPath: ports.state.paths.configPath,
    // What in the environment changes how the gateway uses the new profile (core/gateway.ts envUse).
    shadowedBy: st.auth.env.filter((e) => e.use === 'alongside' && e.shadows === target.profileId),
    warnings: [...(target.why ? [target.why] : []), ...(req.decision.warning ? [req.decision.warning] : [])],
  };
}
