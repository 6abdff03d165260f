// Mutations the state-adapter safety tests apply, shared by the in-process tests and the child
// that SIGKILLs itself between writes (bundled with esbuild from this file).
import { applyCredential, removeProfile } from '../../src/core/save.js';
import type { StateDraft } from '../../src/ports.js';

export type Op = 'add' | 'replace' | 'remove' | 'migrate-add' | 'two-agents';
export const OPS: Op[] = ['add', 'replace', 'remove', 'migrate-add', 'two-agents'];
export const agentsOf = (op: Op) => (op === 'two-agents' ? ['main', 'work'] : ['main']);

export function mutate(op: Op, d: StateDraft, secret: string): void {
  type Cred = Parameters<typeof applyCredential>[2]['credential'];
  const put = (agentId: string, profileId: string, credential: Cred) =>
    applyCredential(d.config, d.stores[agentId]!, { agentId, profileId, credential, validation: { at: 1, verdict: 'unverified' } });
  switch (op) {
    case 'add':
      return void put('main', 'anthropic:new', { type: 'api_key', provider: 'anthropic', key: secret });
    case 'replace':
      return void put('main', 'anthropic:default', { type: 'api_key', provider: 'anthropic', key: secret });
    case 'remove':
      return void removeProfile(d.config, d.stores.main!, 'anthropic:default', false);
    case 'migrate-add':
      return void put('main', 'anthropic:claude-cli', { type: 'token', provider: 'anthropic', token: secret });
    case 'two-agents':
      put('main', 'anthropic:new', { type: 'api_key', provider: 'anthropic', key: secret });
      return void put('work', 'anthropic:new', { type: 'api_key', provider: 'anthropic', key: secret });
  }
}
