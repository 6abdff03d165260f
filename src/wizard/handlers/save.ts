// Handlers for the steps after the check (SPEC §6 steps 6–8): replace or rename, the model and
// cache TTL, "use the new profile first?", and the final write (or the cleared mark of a fix).
import { PROFILE_ID } from '../../core/paths.js';
import { profileNameNotice } from '../notices.js';
import { existingProfileIds, replaceBlocked, saveRequestBody } from '../selectors.js';
import type { WizardState } from '../state.js';
import { addEffect, afterReplace, dropEffect, finish, goto, hasEffect, type Handler } from '../transitions.js';

export const replaceAnswered: Handler<'replace-answered'> = (s, e) => {
  if (s.flow.step !== 'replace-or-rename') return s;
  if (!e.replace) return goto(s, 'name-profile', {}, e.at);
  if (replaceBlocked(s)) return s;
  return afterReplace({ ...s, flow: { ...s.flow, replaceConfirmed: true } }, e.at);
};

export const profileNamed: Handler<'profile-named'> = (s, e) => {
  const f = s.flow;
  if (f.step !== 'name-profile') return s;
  const name = e.name.trim().replace(/^anthropic:/, '');
  const id = `anthropic:${name}`;
  if (!PROFILE_ID.test(id)) return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: profileNameNotice(name) } };
  if (existingProfileIds(s).includes(id)) return { ...s, flow: { ...f, attempt: f.attempt + 1, notice: profileNameNotice(name, { id, agentId: f.agentId }) } };
  return afterReplace({ ...s, flow: { ...f, profileId: id, replaceConfirmed: false } }, e.at);
};

export const modelChosen: Handler<'model-chosen'> = (s, e) => {
  if (s.flow.step !== 'choose-model') return s;
  return goto(s, 'choose-cache-ttl', { model: e.model }, e.at);
};

export const cacheTtlChosen: Handler<'cache-ttl-chosen'> = (s, e) => {
  if (s.flow.step !== 'choose-cache-ttl') return s;
  return goto(s, 'saving', { cacheTtl: e.ttl }, e.at);
};

/** The dry write answered: the agent would use another profile → ask (unless --yes), else write. */
export const previewed: Handler<'previewed'> = (s, e) => {
  if (!hasEffect(s, e.effectId) || s.flow.step !== 'saving') return s;
  const r = e.summary;
  const rest = dropEffect(s, e.effectId);
  const behind = r.activeProfile !== r.profileId && r.order.indexOf(r.profileId) > 0;
  if (!behind || s.options.yes) {
    const next: WizardState = { ...rest, flow: { ...s.flow, putFirst: behind } };
    return addEffect(next, { scope: 'step', type: 'save', request: saveRequestBody(next) });
  }
  return goto(rest, 'use-first', { wouldUse: { activeProfile: r.activeProfile, order: r.order } }, e.at, { push: false });
};

export const putFirstAnswered: Handler<'put-first-answered'> = (s, e) => {
  if (s.flow.step !== 'use-first') return s;
  return goto(s, 'saving', { putFirst: e.first }, e.at);
};

export const saved: Handler<'saved'> = (s, e) => {
  if (!hasEffect(s, e.effectId)) return s;
  return finish(s, 'done', 0, { result: { type: 'saved', summary: e.summary } });
};

export const markCleared: Handler<'mark-cleared'> = (s, e) => {
  if (!hasEffect(s, e.effectId)) return s;
  return finish(s, 'done', 0, { result: { type: 'cleared', summary: e.summary } });
};
