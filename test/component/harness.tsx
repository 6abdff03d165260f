// Component-test harness: the real App (or one screen) over a tiny store that runs the real
// reducer but no effects — tests feed effect results as events. Keys in (stdin.write), frames out
// (the last non-blank of `frames`: ink 8 leaves lastFrame() empty after exit — STYLE pitfall 4).
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../components/App.js';
import type { ValidationOutcome } from '../../src/ports.js';
import { ESC } from '../support/keys.js';
import { lookData, opts, outcome as sharedOutcome, T0 } from '../support/wizard-data.js';
import { initialState, reduce, type Effect, type EventBody, type LookData, type WizardOptions, type WizardState } from '../../src/wizard/machine.js';

export { apiKey, DAY, HOUR, lookData, opts, T0, token } from '../support/wizard-data.js';

export function outcome(o: Partial<ValidationOutcome> = {}): ValidationOutcome {
  return sharedOutcome({ message: 'The API key works.', requestId: 'req_abc', ...o });
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
    this.send({ type: 'validated', effectId: this.effect('validate').id, outcome: outcome(o) });
    // An accepted API key is offered a billed check; most tests go on without it.
    return this.s.flow.step === 'offer-billing' ? this.send({ type: 'billing-answered', check: false }) : this;
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

export { BACKSPACE, CTRL_C, DOWN, ENTER, ESC, UP, bracketedPaste as paste } from '../support/keys.js';
