// The last screen in words (SPEC §6 step 7), as data both the Ink view and the plain/non-interactive
// front ends print: agent, profile, kind, fingerprint, verdict, expiry, billing, the config
// snippet written, shadowing env vars, the active profile, next steps. No secret can reach it:
// it is built from the SaveSummary, which holds fingerprints only.
import { agentFlag } from '../core/paths.js';
import { modelRef } from '../core/save.js';
import { formatDuration } from '../core/status.js';
import { kindWords } from './choices.js';
import type { WizardState } from './machine.js';

export interface SummaryBlock {
  title: string;
  lines: string[];
}

export interface SummaryModel {
  tone: 'ok' | 'warn' | 'error';
  title: string;
  rows: Array<[string, string]>;
  blocks: SummaryBlock[];
}

function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `width`: the terminal's columns (the config snippet is laid out to fit). */
export function summaryModel(s: WizardState, now: number, width = 100): SummaryModel {
  const step = s.flow.step;
  if (step === 'cancelled') {
    return { tone: 'warn', title: `Cancelled. Nothing was written.${s.error ? ` (${s.error.message})` : ''}`, rows: [], blocks: [] };
  }
  if (step === 'failed' || !s.result) {
    return {
      tone: 'error',
      title: s.error?.message ?? 'The wizard stopped.',
      rows: [],
      blocks: s.error?.hint ? [{ title: 'What to do', lines: [s.error.hint] }] : [],
    };
  }
  // Fix commands name the agent unless it is the default one (what the commands pick without --agent).
  const def = s.facts.look?.defaultAgent ?? null;
  if (s.result.type === 'cleared') {
    const c = s.result.summary;
    const verb = c.dryRun ? 'Would clear' : 'Cleared';
    return {
      tone: 'ok',
      title: `${verb} the cooldown / disabled mark of ${c.profileId} (agent ${c.agent}).${c.dryRun ? ' Dry run: nothing was written.' : ''}`,
      rows: [
        ['agent', c.agent],
        ['profile', c.profileId],
        ['active', c.activeProfile ?? 'none usable'],
        ...(c.wrote.length ? ([['wrote', c.wrote.join(', ')]] as Array<[string, string]>) : []),
      ],
      blocks: [{ title: 'Next', lines: [`clawdia models status${agentFlag(c.agent, def)} --probe`] }],
    };
  }
  const r = s.result.summary;
  const title = r.dryRun
    ? `Dry run: nothing was written. This is what would be saved for agent ${r.agent}.`
    : `${r.replaced ? 'Replaced' : 'Saved'} ${r.profileId} for agent ${r.agent}.`;
  const rows: Array<[string, string]> = [
    ['agent', r.agent],
    ['profile', `${r.profileId}${r.replaced ? ` (replaced ${r.previousFingerprint ?? 'the old one'})` : ' (new)'}`],
    ['kind', kindWords(r.type)],
    ['credential', r.fingerprint],
    ['check', `${r.verdict}${r.requestId ? ` (request ${r.requestId})` : ''}`],
    ['expires', r.expiresAt ? `in ${formatDuration(r.expiresAt - now)} (${r.expiresAt - now < 2 * 86_400_000 ? `${new Date(r.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : date(r.expiresAt)})` : r.type === 'api_key' ? 'never (API keys do not expire)' : 'unknown'],
    ['billing', r.billing],
    ['active', `${r.activeProfile ?? 'none usable'}${r.order.length ? ` (order: ${r.order.join(', ')})` : ''}`],
  ];
  if (r.cooldownUntil) rows.push(['cooldown', `until ${new Date(r.cooldownUntil).toISOString().slice(11, 19)} UTC (rate limited)`]);
  const model = s.flow.model;
  if (model || s.flow.cacheTtl) {
    rows.push(['model', `${model ? modelRef(model) : '(unchanged)'} · cache TTL ${s.flow.cacheTtl ?? '5m'} — applies to all agents`]);
  }
  if (r.copied.length) rows.push(['copied', r.copied.join(', ')]);
  rows.push(['wrote', r.wrote.length ? r.wrote.join(', ') : r.dryRun ? 'nothing (dry run)' : 'nothing changed']);
  const blocks: SummaryBlock[] = [];
  blocks.push({ title: r.dryRun ? 'Config that would be written' : 'Config written', lines: compactJson(r.configSnippet, 0, 0, Math.max(40, width - 6)).split('\n') });
  if (r.betaKept.length) {
    blocks.push({ title: 'anthropic-beta header', lines: [`Your config overrides the anthropic-beta header; clawdia added ${r.betaKept.join(', ')} to it so this credential keeps working.`] });
  }
  const env = r.shadowedBy.map((e) => `${e.name} is set (${e.fingerprint}): at run time it wins over ${e.shadows ?? 'the stored profiles'}. Unset it to use ${r.profileId}.`);
  if (env.length) blocks.push({ title: 'Environment', lines: env });
  const warnings = [...r.warnings];
  if (r.type === 'oauth') warnings.push("This is a copy of Claude Code's login: it lives hours. When it expires, run `claude`, then `clawdia models auth sync-claude-cli" + agentFlag(r.agent, def) + '`.');
  if (warnings.length) blocks.push({ title: 'Warnings', lines: warnings });
  blocks.push({ title: 'Next', lines: [`clawdia models status${agentFlag(r.agent, def)}`] });
  return { tone: r.warnings.length || r.verdict !== 'valid' ? 'warn' : 'ok', title, rows, blocks };
}

export function summaryText(m: SummaryModel): string {
  const out: string[] = [m.title];
  const w = Math.max(0, ...m.rows.map(([k]) => k.length));
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
        : `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${flat(x)}`).join(', ')} }`
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
