// Handlers for the agent steps (SPEC §6 step 2): pick one, name a new one, copy the default
// agent's profiles into it or not.
import { isValidAgentId } from '../../core/paths.js';
import { agentIdNotice } from '../notices.js';
import { copySource } from '../selectors.js';
import { afterFixIt, goto, type Handler } from '../transitions.js';

export const agentChosen: Handler<'agent-chosen'> = (s, e) => {
  const f = s.flow;
  if (f.step !== 'choose-agent') return s;
  if (!isValidAgentId(e.agentId)) return { ...s, flow: { ...f, notice: { tone: 'error', text: `Invalid agent id "${e.agentId}".` } } };
  const isNew = !s.facts.look?.agents.some((a) => a.id === e.agentId && (a.listed || a.profileIds.length > 0));
  const patch = { agentConfirmed: true, agentIsNew: isNew, copyFrom: s.options.copyFrom ?? null, fixIndex: 0 };
  if (s.facts.look?.agentId === e.agentId) return afterFixIt({ ...s, flow: { ...f, ...patch } }, e.at, true);
  return goto(s, 'look-first', { agentId: e.agentId, ...patch }, e.at);
};

export const newAgentRequested: Handler<'new-agent-requested'> = (s, e) => {
  if (s.flow.step !== 'choose-agent') return s;
  return goto(s, 'name-agent', {}, e.at);
};

export const agentNamed: Handler<'agent-named'> = (s, e) => {
  const f = s.flow;
  if (f.step !== 'name-agent') return s;
  const id = e.agentId.trim();
  if (!isValidAgentId(id)) return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: agentIdNotice(id) } };
  const existing = s.facts.look?.agents.find((a) => a.id === id && (a.listed || a.profileIds.length > 0));
  if (existing) return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: agentIdNotice(id, existing) } };
  const patch = { agentId: id, agentConfirmed: true, agentIsNew: true, copyFrom: s.options.copyFrom ?? null, fixIndex: 0 };
  if (s.facts.look?.agentId === id) return afterFixIt({ ...s, flow: { ...f, ...patch } }, e.at, true);
  return goto(s, 'look-first', patch, e.at);
};

export const copyAnswered: Handler<'copy-answered'> = (s, e) => {
  if (s.flow.step !== 'copy-profiles') return s;
  const src = copySource(s);
  return goto(s, 'choose-method', { copyFrom: e.copy && src ? src.id : null }, e.at);
};
