// Live checks of stored profiles (`models status --probe`, the wizard's look-first probe): which
// profiles can be checked, and checking them side by side, one deadline each. Ports in, values
// out; what a caller keeps of each outcome (core/status.ts's ProbeResult, the wizard's) is its own.
import type { ProbeResult } from '../core/status.js';
import { credentialAuthKind, credentialSecret, type AuthStore } from '../core/types.js';
import type { ValidationOutcome, Validator } from '../ports.js';

export interface ProbeTarget {
  profileId: string;
  kind: 'api_key' | 'token';
  secret: string;
}

/** The profiles worth a live check: a secret stored, not expired (an expired one is not sent); of `provider` when given. */
export function probeTargets(store: AuthStore, now: number, provider?: string): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const [id, c] of Object.entries(store.profiles)) {
    if (!c || (provider !== undefined && c.provider !== provider)) continue;
    const secret = credentialSecret(c);
    if (typeof secret !== 'string' || !secret) continue;
    if (typeof c.expires === 'number' && c.type !== 'api_key' && c.expires <= now) continue;
    out.push({ profileId: id, kind: credentialAuthKind(c), secret });
  }
  return out;
}

export interface ProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** API keys: the billed 1-token check (`--spend`), which sees the balance. Tokens are checked as ever. */
  billed?: boolean;
}

/** Every target checked at once, one deadline each; the outcomes by profile id, in the targets' order. */
export async function probe(validator: Validator, targets: ProbeTarget[], opts: ProbeOptions): Promise<Record<string, ValidationOutcome>> {
  const results = await Promise.all(
    targets.map(async (t) => {
      const o = await validator.validate({
        kind: t.kind,
        secret: t.secret,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        ...(opts.billed && t.kind === 'api_key' ? { billed: true } : {}),
      });
      return [t.profileId, o] as const;
    }),
  );
  return Object.fromEntries(results);
}

/** An outcome as `models status` shows it: ms rounded, the HTTP status (null: nothing was sent), the words when the API itself gave none. */
export function toProbeResult(o: ValidationOutcome): ProbeResult {
  const sent = typeof o.httpStatus === 'number';
  return { verdict: o.verdict, requestId: o.requestId ?? null, ms: Math.round(o.ms), httpStatus: sent ? o.httpStatus! : null, ...(sent && o.verdict !== 'redirected' ? {} : { message: o.message }) };
}
