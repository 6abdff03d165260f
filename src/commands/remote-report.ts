// What the user sees of a `--remote` run: the gateway's answer and its status after, as text or
// as the `--json` summary (the protocol itself is app/remote.ts).
import { formatDuration } from '../core/duration.js';
import type { RemoteReport } from '../app/remote.js';
import { profileLine } from '../wizard/remote-flow.js';
import type { CommandContext } from './context.js';
import { envEffect } from '../core/status/warnings.js';

export function reportJson(r: RemoteReport): Record<string, unknown> {
  return {
    remote: { destination: r.dest, command: r.command, version: r.version },
    ...r.saved,
    status: r.status,
    ...(r.statusError ? { statusError: r.statusError } : {}),
    warnings: [...(Array.isArray(r.saved.warnings) ? r.saved.warnings : []), ...r.warnings.filter((w) => !(r.saved.warnings ?? []).includes(w))],
  };
}

export function reportText(r: RemoteReport, now: number): string[] {
  const s = r.saved;
  const out: string[] = [];
  out.push(`${s.replaced ? 'Replaced' : 'Saved'} ${s.profileId} for agent ${s.agent} on ${r.dest}: ${s.fingerprint}`);
  out.push(`  kind     ${s.type === 'api_key' ? 'API key' : 'setup-token'}${s.billing ? ` · billing: ${s.billing}` : ''}`);
  out.push(`  check    ${s.verdict} (from ${r.dest}'s network)${s.requestId ? ` (request ${s.requestId})` : ''}`);
  if (s.expiresAt) out.push(`  expires  in ${formatDuration(s.expiresAt - now)} (${new Date(s.expiresAt).toISOString().slice(0, 10)})`);
  if (typeof s.storePath === 'string') out.push(`  store    ${s.storePath} (on ${r.dest})`);
  if (r.status) {
    out.push(`Now on ${r.dest}, agent ${r.status.agent}:`);
    const active = r.status.auth.activeProfile?.anthropic;
    for (const p of r.status.auth.profiles) out.push(`  ${profileLine(p, active, now)}`);
    for (const w of r.status.auth.warnings ?? []) if (!r.warnings.includes(w)) out.push(`  ! ${w}`);
    for (const e of r.status.auth.env ?? []) out.push(`  ! ${e.name} is set on ${r.dest} (${e.fingerprint}): ${envEffect(e)}`);
  } else if (r.statusError) {
    out.push(`(Could not read the status after: ${r.statusError})`);
  }
  // Always `--agent`: which agent is the default over there is the remote config's business, and
  // naming it is never wrong (agentFlag's rule needs the default agent, which the report lacks).
  out.push(`Nothing was written on this machine. Next: ssh ${r.dest} ${r.command} models status --agent ${s.agent}`);
  return out;
}

export function printReport(ctx: CommandContext, r: RemoteReport, json: boolean): void {
  for (const w of r.warnings) ctx.err(`warning (${r.dest}): ${w}`);
  if (json) ctx.out(JSON.stringify(reportJson(r), null, 2));
  else ctx.out(reportText(r, ctx.ports.clock.now()).join('\n'));
}
