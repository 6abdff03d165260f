// scripts/check-layers.mjs (run by the build): on a small tree written here, each broken rule and
// each cycle is named with file:line; the project's own tree passes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const SCRIPT = path.join(ROOT, 'scripts', 'check-layers.mjs');
const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clawdia-layers-'));
  made.push(root);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
  return root;
}

function check(root: string) {
  const r = spawnSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('check-layers', () => {
  it('the project tree passes', () => {
    expect(check(ROOT)).toEqual({ code: 0, out: 'layers: ok\n' });
  });

  it('names every upward import and every cycle with file:line; comments and strings are not imports', () => {
    const root = tree({
      'src/cli.ts': "import { run } from './commands/run.js';\nrun();\n",
      'src/commands/run.ts': 'export function run() {}\n',
      'src/core/a.ts':
        "// import { run } from '../commands/run.js';\nimport fs from 'node:fs';\nimport { b } from './b.js';\nexport const a = () => b + String(fs);\n",
      'src/core/b.ts':
        "import type { Thing } from '../wizard/w.js';\nexport const b = 'import(\"../cli.js\")'.length;\nexport async function later() {\n  return (await import('./a.js')).a;\n}\nexport type T = Thing;\n",
      'src/core/c.ts': "import { parse } from 'jsonc-parser';\nimport { render } from 'ink';\nexport { parse, render };\n",
      'src/wizard/w.ts': "export type Thing = string;\nimport {\n  run,\n} from '../commands/run.js';\nexport const w = run;\n",
      'components/V.tsx': "import { x } from '../src/adapters/x.js';\nexport const V = x;\n",
      'src/adapters/x.ts': 'export const x = 1;\n',
    });
    const { code, out } = check(root);
    expect(code).toBe(1);
    const lines = out
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    expect(lines).toEqual([
      'src/core/b.ts:1  core imports wizard (src/wizard/w.ts); core may import only core',
      'src/core/c.ts:2  core imports the package ink; core is pure: Node builtins and jsonc-parser only',
      'src/wizard/w.ts:2  wizard imports commands (src/commands/run.ts); wizard may import only wizard, app, ports, core',
      'components/V.tsx:1  components imports adapters (src/adapters/x.ts); components may import only components, wizard, ports, core',
      'src/core/a.ts:3  import cycle: src/core/a.ts:3 → src/core/b.ts, src/core/b.ts:4 → src/core/a.ts',
    ]);
  });
});
