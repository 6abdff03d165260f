// Issue 11 item 1: no keystroke is lost between screens, under load. Each step remounts its
// component and subscribes to input in an effect; on a busy host the gap between a screen's first
// frame and that subscription grows. Two CPU burners run beside the wizard; each answer is typed
// (or pasted) the instant its screen's first bytes arrive; every one must land in its field.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { makeSecret, readJson, storePath, tempState } from '../support/cli.js';
import { bracketedPaste, ENTER } from '../support/pty.js';
import { startWizard } from './wizard-support.js';

const RUNS = 20;
const PARALLEL = 4;

let api: FakeApi;
const burners: ChildProcess[] = [];
beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
  for (let i = 0; i < 2; i++) burners.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
});
afterAll(async () => {
  for (const b of burners) b.kill('SIGKILL');
  await api.close();
});

type Lost = { run: number; step: string; screen: string };

/** One run: name a new agent, pick the API key, paste it, decline the billed check. */
async function oneRun(run: number): Promise<Lost | null> {
  const state = tempState();
  const key = makeSecret('api');
  const p = startWizard(state, ['onboard', '--model', 'claude-opus-4-5-20251101', '--cache-ttl', '5m'], { api: api.url });
  const steps: Array<[string, string]> = [
    ['Which agent is this credential for?', '2'],
    ['Name the new agent', 'work' + ENTER],
    ['How should agent work authenticate', 'a'],
    ['Paste the Anthropic API key for agent work', bracketedPaste(key) + ENTER],
    ['Check the balance too?', '1'],
  ];
  try {
    for (const [title, keys] of steps) {
      try {
        await p.waitForOutput(title, 15_000);
      } catch {
        return { run, step: title, screen: p.screen() };
      }
      p.write(keys);
    }
    const exit = await Promise.race([p.exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    if (!exit || exit.exitCode !== 0) return { run, step: 'exit', screen: p.screen() };
    const stored = readJson(storePath(state, 'work')).profiles['anthropic:default']?.key;
    return stored === key ? null : { run, step: 'stored key', screen: p.screen() };
  } finally {
    p.dispose();
  }
}

describe('keys typed the instant a screen appears, with the CPUs busy', () => {
  it(`${RUNS} runs: every answer lands in the field it was meant for`, async () => {
    const lost: Lost[] = [];
    // PARALLEL runs at all times: each lane starts the next run when its own ends (batches would
    // wait for their slowest run, with the burners spinning meanwhile).
    let next = 0;
    const lane = async () => {
      while (next < RUNS) {
        const l = await oneRun(next++);
        if (l) lost.push(l);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
    lost.sort((a, b) => a.run - b.run);
    expect(lost.map((l) => `run ${l.run}: lost at "${l.step}"\n${l.screen}`)).toEqual([]);
  }, 120_000);
});
