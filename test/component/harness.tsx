// Component-test harness: the real App (or one screen) over a tiny store that runs the real
// reducer but no effects — tests feed effect results as events. Keys in (stdin.write), frames out
// (the last non-blank of `frames`: ink 8 leaves lastFrame() empty after exit — STYLE pitfall 4).
import { randomBytes } from 'node:crypto';
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../components/App.js';
import type { AuthStore, ClawdiaConfig } from '../../src/core/types.js';
import type { ValidationOutcome } from '../../src/ports.js';
import { initialState, reduce, type Effect, type EventBody, type LookData, type WizardOptions, type WizardState } from '../../src/wizard/machine.js';

export const T0 = 1_800_000_000_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const body = (n: number) => {
  let s = '';
  while (s.length < n) s += randomBytes(64).toString('base64url').replace(/[^A-Za-z0-9]/g, '');
  return s.slice(0, n);
};
export const apiKey = () => `sk-ant-api03-${body(95)}`;
export const token = () => `sk-ant-oat01-${body(95)}`;

export function opts(o: Partial<WizardOptions> = {}): WizardOptions {
  return { mode: 'onboard', skipValidation: false, saveUnverified: false, yes: false, dryRun: false, timeoutMs: 10_000, setupTokenTimeoutMs: 600_000, probe: true, ...o };
}

export function lookData(o: Partial<LookData> & { store?: AuthStore; config?: ClawdiaConfig } = {}): LookData {
  const agentId = o.agentId ?? 'main';
  return {
    agentId,
    config: o.config ?? {},
    configPath: '/s/clawdia.json',
    storePath: `/s/agents/${agentId}/agent/auth-profiles.json`,
    migrated: [],
    store: o.store ?? { version: 1, profiles: {} },
    storeExists: !!o.store,
    configLoose: false,
    storeLoose: false,
    agents: o.agents ?? [{ id: 'main', isDefault: true, listed: true, profileIds: Object.keys(o.store?.profiles ?? {}) }],
    defaultAgent: o.defaultAgent ?? 'main',
    env: o.env ?? {},
    claudePath: o.claudePath === undefined ? '/bin/claude' : o.claudePath,
    claudeLogin: o.claudeLogin ?? null,
  };
}

export function outcome(o: Partial<ValidationOutcome> = {}): ValidationOutcome {
  return { verdict: 'valid', message: 'The API key works.', hint: '', detail: 'ok', requestId: 'req_abc', ms: 120, baseUrl: 'https://api.anthropic.com', ...o };
}

/** Build a state by feeding events through the real reducer. */
export class States {
  s: WizardState;
  constructor(o: Partial<WizardOptions> = {}) {
    this.s = initialState(opts(o));
  }
  send(e: EventBody, at = T0): this {
    this.s = reduce(this.s, { ...e, at } as never);
    return this;
  }
  effect<T extends Effect['type']>(type: T): Extract<Effect, { type: T }> {
    const e = this.s.effects.find((x) => x.type === type);
    if (!e) throw new Error(`no ${type} effect at ${this.s.flow.step}`);
    return e as Extract<Effect, { type: T }>;
  }
  looked(data: LookData = lookData()): this {
    return this.send({ type: 'looked', effectId: this.effect('look').id, data });
  }
  validated(o: Partial<ValidationOutcome> = {}): this {
    return this.send({ type: 'validated', effectId: this.effect('validate').id, outcome: outcome(o) });
  }
}

export const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));

export function lastFrame(frames: string[]): string {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.trim()) return frames[i]!;
  return '';
}

export function mount(state: WizardState, now = T0) {
  let s = state;
  const events: EventBody[] = [];
  const listeners = new Set<() => void>();
  let clock = now;
  const store = {
    getState: () => s,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    dispatch(e: EventBody) {
      events.push(e);
      s = reduce(s, { ...e, at: clock } as never);
      for (const l of [...listeners]) l();
    },
  };
  const r = render(<App store={store} clock={{ now: () => clock }} animate={false} />);
  return {
    ...r,
    store,
    events,
    get state() {
      return s;
    },
    setNow(t: number) {
      clock = t;
    },
    frame: () => lastFrame(r.frames),
    /** Everything ever written (Static output included). */
    all: () => r.frames.join('\n'),
    async press(...keys: string[]) {
      await tick();
      for (const k of keys) {
        r.stdin.write(k);
        await tick(k === ESC ? 60 : 15);
      }
    },
  };
}

export const ENTER = '\r';
export const ESC = '\x1b';
export const CTRL_C = '\x03';
export const UP = '\x1b[A';
export const DOWN = '\x1b[B';
export const BACKSPACE = '\x7f';
export const paste = (t: string) => `\x1b[200~${t}\x1b[201~`;
