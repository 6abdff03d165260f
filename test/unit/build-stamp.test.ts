// scripts/build-stamp.mjs, what `npm start` (build.mjs --if-stale) trusts to skip the build: the
// stamp changes with any input's content and only then, and dist/ counts as current only when its
// stamp matches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

// The real module, the one build.mjs imports (in this process: a Node run per look cost ≈ 1 s in all).
const m: { inputsHash(root: string): string; isCurrent(root: string, hash?: string): boolean } = await import(
  pathToFileURL(path.join(ROOT, 'scripts', 'build-stamp.mjs')).href
);

/** [hash, isCurrent] for the tree at root. */
function stamp(root: string): [string, boolean] {
  const h = m.inputsHash(root);
  return [h, m.isCurrent(root, h)];
}

it('changes with the content of a source, the build script or package.json; not with a touch; dist/ is current only with its stamp', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clawdia-stamp-'));
  made.push(root);
  const write = (f: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  };
  write('src/cli.ts', 'export {};\n');
  write('components/App.tsx', 'export {};\n');
  write('scripts/build.mjs', '// build\n');
  write('package.json', '{"version":"1.0.0"}\n');
  const [h0, current0] = stamp(root);
  expect(current0).toBe(false); // no dist/ yet
  write('dist/.build-stamp', `${h0}\n`);
  expect(stamp(root)).toEqual([h0, true]);
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, 'src/cli.ts'), later, later);
  expect(stamp(root)).toEqual([h0, true]); // a touch is not an edit
  const seen = new Set([h0]);
  for (const [f, text] of [
    ['src/cli.ts', 'export const x = 1;\n'],
    ['components/App.tsx', 'export const y = 1;\n'],
    ['src/core/new.ts', 'export {};\n'],
    ['scripts/build.mjs', '// build 2\n'],
    ['package.json', '{"version":"1.0.1"}\n'],
  ] as const) {
    write(f, text);
    const [h, current] = stamp(root);
    expect(current, `after editing ${f}`).toBe(false);
    expect(seen.has(h)).toBe(false);
    seen.add(h);
  }
});
