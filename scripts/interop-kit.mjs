// `npm run test:interop` step 1: install the real clawdbot 2026.1.24-3 gateway (test/interop/kit/)
// into a cache folder, once: `$CLAWDIA_INTEROP_KIT`, else `~/.cache/clawdia-interop/clawdbot`.
// test/interop/gateway.test.ts runs against that folder (and skips, saying so, when it is absent).
//
// ~70 s and ~430 packages the first time (npm registry); nothing when the cache is current.
// Kit facts (../shared/interop/clawdbot/README.md): keep optional dependencies, keep
// --ignore-scripts; the published 2026.1.24 lacks dist/shared/, 2026.1.24-3 is pinned.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SRC = path.join(ROOT, 'test', 'interop', 'kit');
const KIT = process.env.CLAWDIA_INTEROP_KIT || path.join(os.homedir(), '.cache', 'clawdia-interop', 'clawdbot');
const entry = path.join(KIT, 'node_modules', 'clawdbot', 'dist', 'entry.js');

const same = (a, b) => {
  try {
    return fs.readFileSync(a, 'utf8') === fs.readFileSync(b, 'utf8');
  } catch {
    return false;
  }
};

if (fs.existsSync(entry) && same(path.join(SRC, 'package.json'), path.join(KIT, 'package.json'))) {
  // Keep resolve.mjs current even when the install is.
  fs.copyFileSync(path.join(SRC, 'resolve.mjs'), path.join(KIT, 'resolve.mjs'));
  process.stdout.write(`interop: clawdbot kit ready in ${KIT}\n`);
  process.exit(0);
}

process.stdout.write(`interop: installing clawdbot 2026.1.24-3 into ${KIT} (first time ~70 s, npm registry)…\n`);
fs.rmSync(KIT, { recursive: true, force: true });
fs.mkdirSync(path.dirname(KIT), { recursive: true });
fs.cpSync(SRC, KIT, { recursive: true });
// Copied from a read-only checkout (CI's shared/): npm needs to write here.
for (const f of fs.readdirSync(KIT, { recursive: true })) fs.chmodSync(path.join(KIT, String(f)), 0o755);
fs.chmodSync(KIT, 0o755);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: KIT, stdio: 'inherit' });
if (r.status !== 0 || !fs.existsSync(entry)) {
  // An unreachable registry is not a failure of clawdia: the test then skips, and says so.
  fs.rmSync(path.join(KIT, 'node_modules'), { recursive: true, force: true });
  process.stdout.write(`interop: could not install the clawdbot kit (npm exit ${r.status}); the interop test will skip and say so.\n`);
  process.exit(0);
}
process.stdout.write(`interop: clawdbot kit installed in ${KIT}\n`);
