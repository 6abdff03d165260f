#!/usr/bin/env node
// Tiny entry: check the Node version before anything that would throw on an old Node
// (execa, ink and conf are ESM that need Node >= 22), then load the bundle.
//
// Nothing here imports a builtin statically: Node builds an ESM facade for each (`node:fs` alone
// costs ≈ 2 ms); process.getBuiltinModule (Node 22.3+) hands out the module itself.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `clawdia needs Node.js 22 or newer; this is Node.js ${process.versions.node}.\n` +
      'hint: install Node 22+ (e.g. from nodejs.org or your package manager), or run it through npm in a clone: npm start --silent -- <command>\n',
  );
  process.exit(1);
}
const builtin = (id) => (typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule(id) : undefined);
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Fast path: no bundle, no stream (creating process.stdout costs ≈ 2.5 ms).
  const fs = builtin('node:fs');
  const text = JSON.parse((fs ?? (await import('node:fs'))).readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version + '\n';
  try {
    fs.writeSync(1, text);
  } catch {
    process.stdout.write(text);
  }
} else {
  enableCompileCache();
  if (process.env.CLAWDIA_DEBUG === '1' && typeof process.setSourceMapsEnabled === 'function') {
    process.setSourceMapsEnabled(true);
  }
  await import('../dist/cli.js');
}

/**
 * V8 code cache for the bundle (Node 22.1+): later runs skip parsing and compiling it. Node's
 * default place is one directory in the temp dir shared by every user, where another user could
 * plant code for clawdia to run; so it goes to a directory of this user's own,
 * `<temp dir>/clawdia-compile-cache-<uid>` (mode 0700), used only if it is a real directory owned by
 * this user that no one else can enter. It holds compiled clawdia code (no state, no secrets) and
 * sits outside HOME and the state dir, so a read-only or `--dry-run` command still writes nothing
 * there. Best effort: if anything is odd, clawdia runs without it. `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off.
 */
function enableCompileCache() {
  const mod = builtin('node:module');
  const fs = builtin('node:fs');
  const path = builtin('node:path');
  if (!mod?.enableCompileCache || !fs || !path || typeof process.getuid !== 'function' || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  // os.tmpdir() on POSIX, without loading node:os.
  const tmp = (process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp').replace(/(.)\/+$/, '$1');
  if (!path.isAbsolute(tmp)) return;
  const dir = path.join(tmp, `clawdia-compile-cache-${process.getuid()}`);
  try {
    // lstat first: a failed mkdir (EEXIST, every run but the first) costs an Error with a stack.
    let st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!st) {
      fs.mkdirSync(dir, { mode: 0o700 });
      st = fs.lstatSync(dir);
    }
    if (st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o077) === 0) mod.enableCompileCache(dir);
  } catch {
    // unwritable, read-only, not a directory: run without the cache
  }
}
