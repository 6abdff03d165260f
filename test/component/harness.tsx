// Component-test harness: the real App (or one screen) over a tiny store that runs the real
// reducer but no effects — tests feed effect results as events. Keys in (stdin.write), frames out
// (the last non-blank of `frames`: ink 8 leaves lastFrame() empty after exit — STYLE pitfall 4).
import '../support/ink-size.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../components/App.js';
import type { ValidationOutcome } from '../../src/ports.js';
import { ESC } from '../support/keys.js';
import { lookData, opts, outcome as sharedOutcome, T0 } from '../support/wizard-data.js';
import { reduce } from '../../src/wizard/machine.js';
import { initialState, type Effect, type EventBody, type LookData, type WizardOptions, type WizardState } from '../../src/wizard/state.js';

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

/**
 * Let React finish what the last key, dispatch or mount started. Ink renders on a legacy root: an
 * update from a key or the store renders and writes its frame synchronously, and the effects that
 * follow (a new screen's input subscription among them) run in one task React's scheduler queues
 * with setImmediate at commit. One setImmediate queued after it therefore runs after those effects:
 * an ordering, not a delay, so it holds on a loaded machine too.
 */
export const tick = () => new Promise<void>((r) => setImmediate(r));

/** Wait for `cond`, yielding to the event loop between looks; fail (not hang) if it never holds. */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

/** Ink reads keys through a 'readable' listener on stdin, attached once a component subscribes to input. */
export const listening = (stdin: NodeJS.EventEmitter) => stdin.listenerCount('readable') > 0;

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
    /**
     * Each key once the screen listens for keys, then React's follow-up work. A lone Esc waits in
     * Ink's parser for a possible escape sequence (a 20 ms timer): after it, wait until it acted,
     * as every Esc in these tests sends an event (back or cancel). Not "a new frame": a screen just
     * mounted can draw again by itself meanwhile (seen once renders stopped running `tput`).
     */
    async press(...keys: string[]) {
      for (const k of keys) {
        await until(() => listening(r.stdin), 'the screen to listen for keys');
        const seen = events.length;
        r.stdin.write(k);
        if (k === ESC) await until(() => events.length > seen, 'Esc to take effect');
        await tick();
      }
    },
  };
}

export { BACKSPACE, CTRL_C, DOWN, ENTER, ESC, UP, bracketedPaste as paste } from '../support/keys.js';
