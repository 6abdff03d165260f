// The last screen in words (SPEC §6 step 7), as data both the Ink view and the plain/non-interactive
// front ends print. Short, like gh: which profile the agent now uses, what was saved, the check,
// what to run next; what needs acting on as warnings; every field, the config snippet and the
// files only with --verbose (or --json). No secret can reach it: it is built from the
// SaveSummary, which holds fingerprints only.
import { agentFlag } from '../core/paths.js';
import { modelRef } from '../core/save.js';
import { formatDuration } from '../core/duration.js';
import { activeWarningLine } from '../core/active-profile.js';
import { kindWords } from './choices.js';
import { problemProfiles } from './selectors.js';
import type { ViewState } from './state.js';
import { envEffect } from '../core/status/warnings.js';

export interface SummaryBlock {
  title: string;
  lines: string[];
}

export interface SummaryModel {
  tone: 'ok' | 'warn' | 'error';
  /** First line: which profile the agent will now use (or why the run ended). */
  title: string;
  /** What was saved, the check, the model, what to run next: 2–5 short lines (like gh). */
  lines: string[];
  /** Things to act on (shadowing env vars, a cooldown, the order): yellow on screen, stderr in text mode. */
  warnings: string[];
  /** --verbose only: every field, the config snippet, the files. */
  rows: Array<[string, string]>;
  blocks: SummaryBlock[];
}

function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** What the check found, in the words of what it could see (a model list cannot see the balance). */
export function checkWords(r: { type: string; verdict: string; requestId: string | null; billingChecked?: boolean }): string {
  const req = r.requestId ? ` (request ${r.requestId})` : '';
  switch (r.verdict) {
    case 'valid':
      if (r.type === 'api_key') return `${r.billingChecked ? 'key accepted; a billed request went through' : 'key accepted; balance not checked'}${req}`;
      return `accepted${req}`;
    case 'unverified':
      return 'not checked (--skip-validation); check it with `clawdia models status --probe`';
    case 'rate_limited':
      return `accepted, but rate limited for now${req}`;
    default:
      return `stored unverified: the check said ${r.verdict}${req}`;
  }
}

/** `width`: the terminal's columns (the config snippet is laid out to fit). */
export function summaryModel(s: ViewState, now: number, width = 100): SummaryModel {
  const step = s.flow.step;
  const verbose = !!s.options.verbose;
  const empty = { lines: [], warnings: [], rows: [], blocks: [] };
  if (step === 'cancelled') {
    return { ...empty, tone: 'warn', title: `Cancelled. Nothing was written.${s.error ? ` (${s.error.message})` : ''}` };
  }
  if (step === 'failed' || !s.result) {
    return {
      ...empty,
      tone: 'error',
      title: s.error?.message ?? 'The wizard stopped.',
      blocks: s.error?.hint ? [{ title: 'What to do', lines: [s.error.hint] }] : [],
    };
  }
  // Fix commands name the agent unless it is the default one (what the commands pick without --agent).
  const def = s.facts.look?.defaultAgent ?? null;
  if (s.result.type === 'cleared') {
    const c = s.result.summary;
    const skipped = skippedProblems(s);
    return {
      ...empty,
      tone: 'ok',
      title: `Agent ${c.agent} ${c.dryRun ? 'would use' : 'now uses'} ${c.activeProfile ?? 'none of its profiles'}.`,
      lines: [
        `${c.dryRun ? 'Would clear' : 'Cleared'} the cooldown / disabled mark of ${c.profileId}.`,
        ...(skipped.length ? [`Skipped: ${skipped.join(', ')} (still broken).`] : []),
        c.dryRun ? 'Dry run: nothing was written. Run again without --dry-run to save.' : `Next: clawdia models status${agentFlag(c.agent, def)} --probe`,
      ],
      rows: verbose ? [['wrote', c.wrote.join(', ') || 'nothing']] : [],
    };
  }
  const r = s.result.summary;
  const kind = kindWords(r.type);
  const active = r.activeProfile;
  const isNew = active === r.profileId;
  const would = r.dryRun ? 'would use' : isNew ? 'now uses' : 'still uses';
  const title = isNew
    ? `Agent ${r.agent} ${r.dryRun ? 'would use' : 'will now use'} ${r.profileId}, the new ${kind}.`
    : `Agent ${r.agent} ${would} ${active ?? 'none of its profiles'}${active ? ' first' : ''}, not the new ${kind}.`;
  const expires = r.expiresAt ? `, expires in ${formatDuration(r.expiresAt - now)}` : '';
  const fp = r.fingerprint.replace(/ \(\d+ chars\)$/, '');
  const billing = r.type === 'api_key' ? 'usage-based billing' : r.billing;
  const lines: string[] = [
    `${r.dryRun ? 'Would save' : r.replaced ? 'Replaced' : 'Saved'} ${r.profileId} for agent ${r.agent}: ${kind} ${fp}, ${billing}${expires}.`,
    `Check: ${checkWords({ ...r, billingChecked: s.flow.billing?.verdict === 'valid' })}.`,
  ];
  const model = s.flow.model;
  if (model || s.flow.cacheTtl) lines.push(`Model: ${model ? modelRef(model) : '(unchanged)'} · cache TTL ${s.flow.cacheTtl ?? '5m'} (applies to all agents).`);
  if (r.copied.length) lines.push(`Copied from ${s.flow.copyFrom}: ${r.copied.join(', ')}.`);
  const skipped = skippedProblems(s);
  if (skipped.length) lines.push(`Skipped: ${skipped.join(', ')} (still broken; run the wizard again to fix).`);
  lines.push(r.dryRun ? 'Dry run: nothing was written. Run again without --dry-run to save.' : `Next: clawdia models status${agentFlag(r.agent, def)}`);

  const warnings: string[] = [];
  const aw = activeWarningLine(r);
  if (aw) warnings.push(aw);
  for (const e of r.shadowedBy) warnings.push(`${e.name} is set (${e.fingerprint}): ${envEffect(e)}.`);
  warnings.push(...r.warnings);
  // (A cooldown is in the decision's own warning, above: said once.)
  if (r.type === 'oauth')
    warnings.push(
      "This is a copy of Claude Code's login: it lives hours. When it expires, run `claude`, then `clawdia models auth sync-claude-cli" +
        agentFlag(r.agent, def) +
        '`.',
    );
  if (r.betaKept.length)
    warnings.push(`Your config overrides the anthropic-beta header; clawdia added ${r.betaKept.join(', ')} to it so this credential keeps working.`);

  const rows: Array<[string, string]> = [];
  const blocks: SummaryBlock[] = [];
  if (verbose) {
    rows.push(
      ['agent', r.agent],
      ['profile', `${r.profileId}${r.replaced ? ` (replaced ${r.previousFingerprint ?? 'the old one'})` : ' (new)'}`],
      ['kind', kind],
      ['credential', r.fingerprint],
      ['check', `${r.verdict}${r.requestId ? ` (request ${r.requestId})` : ''}`],
      [
        'expires',
        r.expiresAt
          ? `in ${formatDuration(r.expiresAt - now)} (${r.expiresAt - now < 2 * 86_400_000 ? `${new Date(r.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : date(r.expiresAt)})`
          : r.type === 'api_key'
            ? 'never (API keys do not expire)'
            : 'unknown',
      ],
      ['billing', r.billing],
      ['active', `${active ?? 'none usable'}${r.order.length ? ` (order: ${r.order.join(', ')})` : ''}`],
      ['wrote', r.wrote.length ? r.wrote.join(', ') : r.dryRun ? 'nothing (dry run)' : 'nothing changed'],
      ['config', r.configPath],
      ['store', r.storePath],
    );
    const configWritten = r.wrote.includes(r.configPath);
    blocks.push({
      title: r.dryRun ? 'Config that would be written' : configWritten ? 'Config written' : 'Config (unchanged)',
      lines: compactJson(r.configSnippet, 0, 0, Math.max(40, width - 6)).split('\n'),
    });
  }
  const tone = !isNew || warnings.length || (r.verdict !== 'valid' && r.verdict !== 'unverified') ? 'warn' : 'ok';
  return { tone, title, lines, warnings, rows, blocks };
}

/** Problem profiles look-first found that this run did not fix (still broken after it). */
function skippedProblems(s: ViewState): string[] {
  if (!s.options.probe) return [];
  return problemProfiles(s)
    .map((p) => p.profileId)
    .filter((id) => id !== s.flow.fix?.profileId && id !== s.flow.profileId);
}

/** `warnings: false` leaves the warnings out (text mode prints them on stderr). */
export function summaryText(m: SummaryModel, o: { warnings?: boolean } = {}): string {
  const out: string[] = [m.title, ...m.lines.map((l) => `  ${l}`), ...(o.warnings === false ? [] : m.warnings.map((l) => `  ! ${l}`))];
  const w = Math.max(0, ...m.rows.map(([k]) => k.length));
  if (m.rows.length) out.push('');
  for (const [k, v] of m.rows) out.push(`  ${k.padEnd(w)}  ${v}`);
  for (const b of m.blocks) {
    out.push('', `${b.title}:`);
    for (const l of b.lines) out.push(`  ${l}`);
  }
  return out.join('\n') + '\n';
}

/** JSON as a person would write it: objects that fit on a line stay on one line. */
export function compactJson(value: unknown, indent = 0, prefix = 0, width = 88): string {
  const flat = (v: unknown): string =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.keys(v).length === 0
        ? '{}'
        : `{ ${Object.entries(v as Record<string, unknown>)
            .map(([k, x]) => `${JSON.stringify(k)}: ${flat(x)}`)
            .join(', ')} }`
      : Array.isArray(v)
        ? `[${v.map(flat).join(', ')}]`
        : JSON.stringify(v);
  const one = flat(value);
  if (indent + prefix + one.length <= width || !value || typeof value !== 'object' || Array.isArray(value)) return one;
  const pad = ' '.repeat(indent + 2);
  const entries = Object.entries(value as Record<string, unknown>).map(([k, x]) => {
    const key = `${JSON.stringify(k)}: `;
    return `${pad}${key}${compactJson(x, indent + 2, key.length, width)}`;
  });
  return `{\n${entries.join(',\n')}\n${' '.repeat(indent)}}`;
}
