// Handlers for look-first and fix-it (SPEC §6 steps 1 and 1b): what was found, the background
// probes and Claude Code's status, Enter to skip the wait, and the fix picked for a problem profile.
import { currentProblem, problemProfiles, probeTargets } from '../selectors.js';
import type { WizardState } from '../state.js';
import { addEffect, afterFixIt, afterLook, chooseMethod, dropEffect, goto, hasEffect, type Handler } from '../transitions.js';

export const looked: Handler<'looked'> = (s, e) => {
  if (!hasEffect(s, e.effectId) || s.flow.step !== 'look-first') return s;
  const known = e.data.agents.some((a) => a.id === e.data.agentId && (a.listed || a.profileIds.length > 0));
  let next: WizardState = {
    ...dropEffect(s, e.effectId),
    facts: { ...s.facts, look: e.data, lookedAt: e.at },
    flow: { ...s.flow, agentId: e.data.agentId, agentIsNew: !known },
  };
  if (s.options.probe && s.options.mode === 'onboard' && e.data.claudePath && !s.facts.claudeStatusAsked) {
    next = addEffect({ ...next, facts: { ...next.facts, claudeStatusAsked: true } }, { scope: 'background', type: 'claude-status' });
  }
  const targets = s.options.probe && s.options.mode === 'onboard' && !s.facts.probes[e.data.agentId] ? probeTargets(e.data, e.at) : [];
  if (targets.length > 0) {
    return addEffect(
      { ...next, flow: { ...next.flow, lookPhase: 'probing' } },
      { scope: 'background', type: 'probe', agentId: e.data.agentId, targets, timeoutMs: s.options.timeoutMs },
    );
  }
  return afterLook(next, e.at);
};

export const probed: Handler<'probed'> = (s, e) => {
  if (!hasEffect(s, e.effectId)) return s;
  const next: WizardState = { ...dropEffect(s, e.effectId), facts: { ...s.facts, probes: { ...s.facts.probes, [e.agentId]: e.results } } };
  const f = s.flow;
  if (f.step === 'look-first' && f.lookPhase === 'probing' && s.facts.look?.agentId === e.agentId) return afterLook(next, e.at);
  return next;
};

export const checkSkipped: Handler<'check-skipped'> = (s, e) => {
  if (s.flow.step !== 'look-first' || s.flow.lookPhase !== 'probing') return s;
  return afterLook(s, e.at);
};

export const claudeStatusRead: Handler<'claude-status-read'> = (s, e) => {
  if (!hasEffect(s, e.effectId)) return s;
  return { ...dropEffect(s, e.effectId), facts: { ...s.facts, claudeStatus: e.status } };
};

export const fixChosen: Handler<'fix-chosen'> = (s, e) => {
  const f = s.flow;
  const at = e.at;
  if (f.step !== 'fix-it') return s;
  const p = currentProblem(s);
  if (!p) return afterFixIt(s, at, true);
  if (e.action === 'skip') {
    if (f.fixIndex + 1 < problemProfiles(s).length) return goto(s, 'fix-it', { fixIndex: f.fixIndex + 1 }, at);
    return afterFixIt(s, at, true);
  }
  const base = { ...s, flow: { ...f, fix: { profileId: p.profileId, action: e.action }, agentConfirmed: true } };
  switch (e.action) {
    case 'setup-token':
      return chooseMethod(base, 'setup-token', at, true);
    case 'paste-token':
      return chooseMethod(base, 'paste-token', at, true);
    case 'paste-api-key':
      return chooseMethod(base, 'api-key', at, true);
    case 'resync':
      return chooseMethod(base, 'claude-cli', at, true);
    case 'clear':
      return goto(base, 'saving', { profileId: p.profileId }, at);
  }
};
