// One duration format and one duration parse for everything clawdia prints or reads (issue 12:
// six formatters and two parsers had grown apart; the setup-token deadline read "10 min" on one
// screen and "600 s" on another for the same value).
//
// formatDuration styles:
//   short (default)  `45s`, `4m`, `3h 5m`, `23h`, `365d`   status lines, expiry, cooldowns (SPEC §9)
//   long             `50 ms`, `0.3 s`, `1.5 s`, `90 s`, `10 min`, `3 h`   deadlines and waits in prose
//   clock            `1.2 s`, `1 min 5 s`   a running counter (fixed decimals, so it does not jitter)
// parseDuration reads `365d`, `12h`, `30m`, `1y`, `2w`, `90s`, `500ms` or plain ms.

import { UsageError } from './errors.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

export type DurationStyle = 'short' | 'long' | 'clock';

export function formatDuration(ms: number, opts: { style?: DurationStyle } = {}): string {
  const a = Math.abs(ms);
  switch (opts.style ?? 'short') {
    case 'long': {
      if (a < 100) return `${Math.round(a)} ms`;
      const s = a / SECOND;
      if (s < 120) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
      const min = Math.round(s / 60);
      return min < 120 ? `${min} min` : `${Math.round(min / 60)} h`;
    }
    case 'clock': {
      const c = Math.max(0, ms);
      return c < MINUTE ? `${(c / SECOND).toFixed(1)} s` : `${Math.floor(c / MINUTE)} min ${Math.floor((c % MINUTE) / SECOND)} s`;
    }
    default: {
      if (a < MINUTE) return `${Math.max(1, Math.round(a / SECOND))}s`;
      if (a < HOUR) return `${Math.round(a / MINUTE)}m`;
      if (a < 2 * DAY) {
        const mins = Math.round(a / MINUTE);
        const h = Math.floor(mins / 60);
        const m = mins - h * 60;
        return m && h < 10 ? `${h}h ${m}m` : `${h}h`;
      }
      return `${Math.round(a / DAY)}d`;
    }
  }
}

/** The longest --expires-in taken: beyond it a date is meaningless (999999999y overflows a Date). */
export const MAX_EXPIRES_IN_MS = 10 * YEAR;

const UNIT: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY, y: YEAR };

/** `365d`, `12h`, `30m`, `1y`, `2w`, or plain ms; null when it is no positive duration. */
export function parseDuration(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?$/i.exec(s.trim());
  if (!m) return null;
  const v = Math.round(Number(m[1]) * UNIT[(m[2] ?? 'ms').toLowerCase()]!);
  return v > 0 ? v : null;
}

/** `--expires-in`: a duration up to 10y, else a usage error (checked before anything is read or written). */
export function parseExpiresIn(raw: string): number {
  const shown = JSON.stringify(raw.slice(0, 20));
  const d = parseDuration(raw);
  if (d === null) throw new UsageError(`--expires-in must be a duration like 365d, 12h or 30m, got ${shown}.`);
  // 999999999y is no date at all.
  if (d > MAX_EXPIRES_IN_MS)
    throw new UsageError(
      `--expires-in must be at most 10y, got ${shown}.`,
      'Setup-tokens last a year (the default, 365d); give the lifetime `claude setup-token` printed.',
    );
  return d;
}
