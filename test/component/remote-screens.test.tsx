// The `--remote` wizard's screens (components/RemoteApp.tsx) over the real reducer: the method
// screen (D shown but not choosable, what the gateway's agent holds), the masked input, and the
// two failure screens (refused by the gateway / sending failed) with their choices.
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { RemoteApp } from '../../components/RemoteApp.js';
import type { ProfileStatus } from '../../src/core/status.js';
import { initialRemote, reduceRemote, type RemoteEvent, type RemoteFlowOptions, type RemoteFlowState } from '../../src/wizard/remote-flow.js';
import { makeSecret } from '../support/cli.js';
import { DOWN, ENTER } from '../support/keys.js';
import { lastFrame, tick } from './harness.js';

const T0 = Date.UTC(2026, 0, 1);

function opts(o: Partial<RemoteFlowOptions> = {}): RemoteFlowOptions {
  return {
    mode: 'onboard',
    dest: 'admin@gw',
    version: '0.2.0',
    agent: 'main',
    profiles: [],
    activeProfile: null,
    claudeFound: true,
    setupTokenTimeoutMs: 600_000,
    ...o,
  };
}

function mount(state: RemoteFlowState) {
  let s = state;
  const events: RemoteEvent[] = [];
  const listeners = new Set<() => void>();
  const store = {
    getState: () => s,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    dispatch(e: RemoteEvent) {
      events.push(e);
      s = reduceRemote(s, e, T0);
      for (const l of [...listeners]) l();
    },
  };
  const r = render(<RemoteApp store={store} clock={{ now: () => T0 }} animate={false} />);
  return {
    ...r,
    events,
    get state() {
      return s;
    },
    frame: () => lastFrame(r.frames),
    async press(...keys: string[]) {
      await tick();
      for (const k of keys) {
        r.stdin.write(k);
        await tick();
      }
    },
  };
}

const stored: ProfileStatus = {
  profileId: 'anthropic:claude-cli',
  provider: 'anthropic',
  type: 'token',
  mode: 'oauth',
  fingerprint: 'sk-ant-oat01-…AbCd (108 chars)',
  state: 'ok',
  expiresAt: T0 + 30 * 86_400_000,
  remainingMs: null,
  cooldownUntil: null,
  lastValidation: null,
  source: 'store',
  probe: null,
  problem: null,
  fix: null,
};

describe('RemoteApp', () => {
  it("method screen: gateway, version and agent in the header; what the agent holds there; D not choosable, with the gateway's own way", async () => {
    const m = mount(initialRemote(opts({ profiles: [stored], activeProfile: 'anthropic:claude-cli' }), T0));
    await tick();
    const f = m.frame();
    expect(f).toContain('onboard --remote  ·  gateway admin@gw (clawdia 0.2.0)  ·  agent main');
    expect(f).toContain('anthropic:claude-cli  setup-token  sk-ant-oat01-…AbCd (108 chars)  ok  expires in 30d  ← active');
    expect(f).toContain("Reuse Claude Code's login — not over --remote");
    expect(f).toContain('ssh admin@gw clawdia models auth sync-claude-cli');
    await m.press('d');
    expect(m.state.step).toBe('choose-method');
    await m.press(DOWN, DOWN, DOWN, ENTER); // the cursor stops on C: D cannot be reached
    expect(m.state.step).toBe('enter-credential');
    expect(m.state.expected).toBe('token');
    m.unmount();
  });

  it('the masked input never shows the secret; a good one leaves the screen for sending', async () => {
    const m = mount(reduceRemote(initialRemote(opts(), T0), { type: 'method-chosen', method: 'api-key' }, T0));
    const key = makeSecret('api');
    await m.press(key);
    expect(m.frame()).not.toContain(key.slice(20, 40));
    expect(m.frame()).toContain('(108 chars)');
    await m.press(ENTER);
    expect(m.state.step).toBe('sending');
    expect(m.state.credential?.secret).toBe(key);
    m.unmount();
  });

  it('refused by the gateway: its words, then keep-anyway (when it may), another method, quit; a transport failure offers sending again', async () => {
    let s = reduceRemote(initialRemote(opts(), T0), { type: 'method-chosen', method: 'paste-token' }, T0);
    s = reduceRemote(s, { type: 'credential-submitted', raw: makeSecret('oat') }, T0);
    const refused = reduceRemote(
      s,
      {
        type: 'send-failed',
        failure: {
          message: 'admin@gw did not store it: The API is unavailable (529).',
          hint: 'Try again later.',
          details: ['Checking sk-ant-oat01-…AAAA (108 chars) with the Anthropic API…'],
          refused: true,
          canSaveUnverified: true,
        },
      },
      T0,
    );
    const m = mount(refused);
    await tick();
    const f = m.frame();
    expect(f).toContain('admin@gw did not store the credential');
    expect(f).toContain('The gateway said:');
    expect(f).toMatch(/Keep it anyway on admin@gw \(marked unverified\)[\s\S]*Use another credential or method[\s\S]*Quit/);
    expect(f).not.toContain('Send it again');
    await m.press(ENTER);
    expect([m.state.step, m.state.saveUnverified]).toEqual(['sending', true]);
    m.unmount();

    const lost = reduceRemote(
      s,
      { type: 'send-failed', failure: { message: 'The connection to admin@gw was lost.', details: [], refused: false, canSaveUnverified: false } },
      T0,
    );
    const m2 = mount(lost);
    await tick();
    expect(m2.frame()).toMatch(/Sending to admin@gw failed[\s\S]*Send it again to admin@gw/);
    await m2.press(ENTER);
    expect(m2.state.step).toBe('sending');
    m2.unmount();
  });
});
