// Pure reads of the wizard's state: what the profiles' states are, which problem fix-it shows,
// which ids exist, what the final write sends. Screens, the plain front end, choices.ts and the
// transitions all read through these; none of them changes the state. Readers a screen also uses
// take `ViewState` (a `WizardState` is one): they never see the new credential's secret.
import type { SaveRequest } from '../app/credential-flow.js';
import { probeTargets as storeProbeTargets } from '../app/status-input.js';
import { checkModeCompatible } from '../core/save.js';
import { computeStatus, type AgentStatus, type ProfileStatus } from '../core/status.js';
import type { ValidationRecord } from '../core/types.js';
import {
  FIXABLE,
  LOGIN_MARGIN_MS,
  TERMINAL_STEPS,
  type AgentInfo,
  type LookData,
  type ProbeTarget,
  type SaveRequestBody,
  type ViewState,
  type WizardState,
} from './state.js';

/** The agent's profiles with their states, probe verdicts included. */
export function agentStatus(s: ViewState): AgentStatus | null {
  const look = s.facts.look;
  if (!look) return null;
  return computeStatus({
    agent: look.agentId,
    configPath: look.configPath,
    agentDir: look.storePath,
    storePath: look.storePath,
    config: look.config,
    store: look.store,
    storeExists: look.storeExists,
    env: look.env,
    now: s.facts.lookedAt,
    probes: s.facts.probes[look.agentId],
    migrated: look.migrated,
    configLoose: look.configLoose,
    storeLoose: look.storeLoose,
  });
}

export function problemProfiles(s: ViewState): ProfileStatus[] {
  return (agentStatus(s)?.auth.profiles ?? []).filter((p) => FIXABLE.has(p.state) && p.type !== null);
}

/** The profile the fix-it step is about. */
export function currentProblem(s: ViewState): ProfileStatus | null {
  return problemProfiles(s)[s.flow.fixIndex] ?? null;
}

export function loginUsable(s: ViewState): boolean {
  const login = s.facts.look?.claudeLogin;
  if (!login) return false;
  return login.expiresAt === undefined || login.expiresAt - s.facts.lookedAt > LOGIN_MARGIN_MS;
}

/** Ids that exist in the target agent's store once this run writes (its own, plus copied ones). */
export function existingProfileIds(s: ViewState): string[] {
  const look = s.facts.look;
  if (!look) return [];
  const ids = new Set(Object.keys(look.store.profiles));
  if (s.flow.copyFrom) {
    for (const id of look.agents.find((a) => a.id === s.flow.copyFrom)?.profileIds ?? []) ids.add(id);
  }
  return [...ids];
}

/** The agent whose profiles "copy profiles from …?" offers: the default agent, when it has any. */
export function copySource(s: ViewState): AgentInfo | null {
  const look = s.facts.look;
  if (!look || !s.flow.agentIsNew) return null;
  const src = look.agents.find((a) => a.id === look.defaultAgent && a.id !== s.flow.agentId);
  return src && src.profileIds.length > 0 ? src : null;
}

export function isTerminal(s: ViewState): boolean {
  return TERMINAL_STEPS.has(s.flow.step);
}

/** Why the current profile id cannot take this credential (API key into a token id, or the reverse). */
export function replaceBlocked(s: ViewState): string | null {
  const look = s.facts.look;
  const f = s.flow;
  if (!look || !f.credential || !f.profileId) return null;
  // Only the credential's type decides the mode (core/save.ts modeFor): no secret needed here.
  const stored =
    f.credential.kind === 'api_key'
      ? { type: 'api_key' as const, provider: 'anthropic', key: '' }
      : { type: 'token' as const, provider: 'anthropic', token: '' };
  try {
    checkModeCompatible(look.config, look.store, f.profileId, stored);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The request the final write sends to save() (app/credential-flow.ts). */
export function saveRequest(s: WizardState): SaveRequest {
  const f = s.flow;
  const { fingerprint: _shown, ...credential } = f.credential!;
  return { ...saveRequestBody(s), credential };
}

/** The same request without the credential: what the `save` and `preview` effects carry (state.ts `Effect`). */
export function saveRequestBody(s: ViewState): SaveRequestBody {
  const f = s.flow;
  const look = s.facts.look!;
  const replacing = existingProfileIds(s).includes(f.profileId!);
  return {
    agentId: f.agentId!,
    profileId: f.profileId!,
    decision: f.decision!,
    ...(f.copyFrom && f.copyFrom !== f.agentId ? { copyFrom: f.copyFrom } : {}),
    ...(f.model ? { model: f.model } : {}),
    ...(f.cacheTtl ? { cacheTtl: f.cacheTtl } : {}),
    dryRun: s.options.dryRun,
    allowReplace: replacing,
    records: probeRecords(s, look.agentId, f.profileId!),
    ...otherAgentRecords(s, f.agentId!),
    ...(f.putFirst ? { putFirst: true } : {}),
  };
}

/**
 * The interactive wizard asks "Use the new … first?" when the agent would go on using another
 * profile. Only possible when the agent holds (or gets copied) other profiles; a dry write of the
 * real request tells (copied profiles and their order included). Scripted runs never ask: they
 * warn (commands/onboard-report.ts).
 */
export function needsPreview(s: ViewState): boolean {
  const f = s.flow;
  // A fix keeps the profile's place in the order (that is what it promises).
  if (s.options.mode !== 'onboard' || s.options.replaceWithoutAsking || f.putFirst !== null || f.fix) return false;
  return existingProfileIds(s).some((id) => id !== f.profileId);
}

/** A billed check is offered for an API key the free check accepted (onboard only; a fix keeps it short). */
export function billingApplies(s: ViewState): boolean {
  return s.options.mode === 'onboard' && s.flow.credential?.kind === 'api_key' && !s.flow.fix;
}

/** Look-first's probe verdicts, recorded only with the final write (SPEC §9). */
export function probeRecords(s: ViewState, agentId: string, except: string | null): Record<string, ValidationRecord> {
  const out: Record<string, ValidationRecord> = {};
  for (const [id, p] of Object.entries(s.facts.probes[agentId] ?? {})) {
    if (id === except || p.verdict === 'skipped') continue;
    out[id] = { at: s.facts.lookedAt, verdict: p.verdict, ...(p.detail ? { detail: p.detail } : {}), ...(p.requestId ? { requestId: p.requestId } : {}) };
  }
  return out;
}

/**
 * Verdicts look-first found for another agent (the default agent, checked before the user named a
 * new one): a 401 the user skipped stays recorded once something is written.
 */
function otherAgentRecords(s: ViewState, target: string): { otherRecords?: Record<string, Record<string, ValidationRecord>> } {
  const out: Record<string, Record<string, ValidationRecord>> = {};
  for (const agentId of Object.keys(s.facts.probes)) {
    if (agentId === target) continue;
    // Only what refused: another agent's files change only to keep a broken profile on record.
    const recs = Object.fromEntries(
      Object.entries(probeRecords(s, agentId, null)).filter(([, r]) => r.verdict === 'invalid' || r.verdict === 'forbidden' || r.verdict === 'no_credit'),
    );
    if (Object.keys(recs).length) out[agentId] = recs;
  }
  return Object.keys(out).length ? { otherRecords: out } : {};
}

/** The stored profiles look-first checks live (expired ones are not: their state is known). */
export function probeTargets(look: LookData, now: number): ProbeTarget[] {
  return storeProbeTargets(look.store, now, 'anthropic');
}

/** The state a screen receives: no effects, and the new credential without its secret (state.ts `ViewState`). */
export function viewOf(s: WizardState): ViewState {
  const { effects: _effects, flow, ...rest } = s;
  return { ...rest, flow: { ...flow, credential: shownCredential(flow.credential) } };
}

/** The credential without its secrets (the fingerprint, kind, source and expiry stay). */
export function shownCredential(c: WizardState['flow']['credential']): ViewState['flow']['credential'] {
  if (!c) return null;
  const { secret: _secret, refresh: _refresh, ...shown } = c;
  return shown;
}
