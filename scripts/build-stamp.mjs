// What dist/ was built from: one hash over the build's inputs (sources, the build scripts,
// package.json, tsconfig.json, the installed dependency versions, the Node version). The build
// writes it to dist/.build-stamp; `node scripts/build.mjs --if-stale` (npm start) skips the build
// when it matches, so an edit to any input rebuilds and nothing else does.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const STAMP = '.build-stamp';

function* files(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

export function inputsHash(root) {
  const h = createHash('sha256').update(`node ${process.version}\n`);
  const inputs = [
    ...files(path.join(root, 'src')),
    ...files(path.join(root, 'components')),
    ...[
      'scripts/build.mjs',
      'scripts/build-stamp.mjs',
      'scripts/check-layers.mjs',
      'scripts/empty.js',
      'package.json',
      'tsconfig.json',
      'node_modules/.package-lock.json',
    ].map((f) => path.join(root, f)),
  ];
  for (const f of inputs) {
    h.update(`${path.relative(root, f)}\0`);
    h.update(existsSync(f) ? readFileSync(f) : '(none)');
    h.update('\0');
  }
  return h.digest('hex');
}

/** True when dist/ holds a complete build of exactly these inputs. */
export function isCurrent(root, hash = inputsHash(root)) {
  try {
    return readFileSync(path.join(root, 'dist', STAMP), 'utf8').trim() === hash;
  } catch {
    return false;
  }
}
