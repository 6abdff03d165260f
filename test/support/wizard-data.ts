// Inputs for the wizard's machine and screens: options, look-first data, validation outcomes, and
// a fixed clock. Shared by the machine's unit tests and the component tests.
import type { AuthStore, ClawdiaConfig } from '../../src/core/types.js';
import type { ValidationOutcome } from '../../src/ports.js';
import type { LookData, WizardOptions } from '../../src/wizard/state.js';
import { makeSecret } from './cli.js';

export const T0 = 1_800_000_000_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const apiKey = () => makeSecret('api');
export const token = () => makeSecret('oat');

export function opts(o: Partial<WizardOptions> = {}): WizardOptions {
  return {
    mode: 'onboard',
    skipValidation: false,
    saveUnverified: false,
    yes: false,
    dryRun: false,
    timeoutMs: 10_000,
    setupTokenTimeoutMs: 600_000,
    probe: true,
    ...o,
  };
}

/** `listed`: whether `main` is already in the config's agents.list (the default agent row). */
export function lookData(o: Partial<LookData> & { store?: AuthStore; config?: ClawdiaConfig; listed?: boolean } = {}): LookData {
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
    agents: o.agents ?? [{ id: 'main', isDefault: true, listed: o.listed ?? true, profileIds: Object.keys(o.store?.profiles ?? {}) }],
    defaultAgent: o.defaultAgent ?? 'main',
    env: o.env ?? {},
    claudePath: o.claudePath === undefined ? '/bin/claude' : o.claudePath,
    claudeLogin: o.claudeLogin ?? null,
  };
}

export function outcome(o: Partial<ValidationOutcome> = {}): ValidationOutcome {
  return {
    verdict: 'valid',
    message: 'The credential works.',
    hint: '',
    detail: 'ok',
    requestId: 'req_1',
    ms: 120,
    baseUrl: 'https://api.anthropic.com',
    ...o,
  };
}
