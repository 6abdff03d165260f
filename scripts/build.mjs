// Production build: one ESM bundle for the CLI with code splitting, so Ink/React, the SDK,
// execa and @inquirer/prompts live in chunks loaded only by the commands that need them.
//
//   node scripts/build.mjs [--quiet] [--analyze] [--if-stale]
//   --analyze prints what `models status` loads (files, bytes) and the largest chunks.
//   --if-stale does nothing when dist/ was built from the current inputs (scripts/build-stamp.mjs):
//   `npm start` uses it, so a run costs a hash of the sources, not a build.
//
// The build fails if a heavy library becomes reachable by static imports from the entry or the
// `models status` command (SPEC §8: Ink/React, the SDK, execa and @inquirer/prompts
// load only where used), and on a layering violation or an import cycle
// (scripts/check-layers.mjs, ARCHITECTURE.md).
import { builtinModules, createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { checkLayers } from './check-layers.mjs';
import { inputsHash, isCurrent, STAMP } from './build-stamp.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quiet = process.argv.includes('--quiet');
const analyze = process.argv.includes('--analyze');
// Hashed before esbuild reads anything: a file edited during the build makes the next run rebuild.
const stamp = inputsHash(root);
if (process.argv.includes('--if-stale') && !analyze && isCurrent(root, stamp)) process.exit(0);
const layerProblems = checkLayers(root);
if (layerProblems.length) {
  console.error(
    `build: ${layerProblems.length} layering violation${layerProblems.length === 1 ? '' : 's'} (ARCHITECTURE.md says which part may import which):`,
  );
  for (const p of layerProblems) console.error(`  ${p}`);
  process.exit(1);
}
const { build } = await import('esbuild');
// Built beside dist/ and swapped in at the end, so a test or command running meanwhile never
// sees a half-written dist/.
const out = path.join(root, `dist.tmp-${process.pid}`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const empty = path.join(root, 'scripts', 'empty.js');
// Builtins without Node's ESM facade. For each builtin a module imports statically, Node builds a
// facade that reads every export, which materializes lazy properties: `node:process` creates
// stdin/stdout/stderr, `node:util` loads 42 internal modules (streams, worker_threads, readline),
// `node:fs` loads fs/promises. Measured (whole process): ≈ 5 ms for node:process, 2–3 ms each
// for fs and util. So each bundled `import … from 'node:x'` is served by a small module of its own
// (it lands in its importer's chunk: no extra chunk file to load) that gets the builtin through
// require():
// - builtins Node has already loaded when an ESM entry starts (PRELOADED): the names that importer
//   uses are copied out (a plain property read; none of them is one of the lazy ones);
// - any other builtin (child_process ≈ 3 ms: net, dgram, streams; fs/promises, os, tty, …): an
//   object whose getters require() it on first use — commander imports child_process only to run
//   executable subcommands, so clawdia never loads it.
const nodeRequire = createRequire(import.meta.url);
const PRELOADED = new Set(['async_hooks', 'buffer', 'diagnostics_channel', 'events', 'fs', 'path', 'querystring', 'timers', 'url', 'util']);
// Properties of preloaded builtins that load more modules when read.
const LAZY_PROPS = new Set([
  'promises',
  'Dir',
  'ReadStream',
  'WriteStream',
  'FileReadStream',
  'FileWriteStream',
  'parseArgs',
  'diff',
  'setTraceSigInt',
  'MIMEType',
  'MIMEParams',
]);

/** The names `source` imports from builtin `id`; `all` when it takes the namespace (`* as`, `export *`). */
function builtinImports(source, id) {
  const spec = `['"](?:node:)?${id.replace('/', '\\/')}['"]`;
  const stmts = [
    ...source.matchAll(new RegExp(`(?:^|[^\\w$.])import\\s*(type\\b)?\\s*([\\w$]+)?\\s*,?\\s*(\\{[^}]*\\}|\\*\\s*as\\s*[\\w$]+)?\\s*from\\s*${spec}`, 'g')),
    ...source.matchAll(new RegExp(`(?:^|[^\\w$.])export\\s*(type\\b)?\\s*()(\\{[^}]*\\}|\\*(?:\\s*as\\s*[\\w$]+)?)\\s*from\\s*${spec}`, 'g')),
  ];
  const names = new Set();
  let all = false;
  for (const [, typeOnly, , clause] of stmts) {
    if (typeOnly || !clause) continue;
    if (!clause.startsWith('{')) {
      all = true;
      continue;
    }
    for (const part of clause.slice(1, -1).split(',')) {
      const spec = part.trim();
      const name = spec.split(/\s+as\s+/)[0]?.trim();
      if (name && !spec.startsWith('type ') && name !== 'default') names.add(name);
    }
  }
  return { names: [...names], all };
}

const builtinsWithoutFacade = {
  name: 'builtins-without-esm-facade',
  setup(b) {
    const known = new Set(builtinModules.filter((m) => !m.startsWith('_')));
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const id = args.path.replace(/^node:/, '');
      if (args.kind !== 'import-statement' || !known.has(id) || !args.importer) return undefined;
      return { path: `${id}?${args.importer}`, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path: p }) => {
      const id = p.slice(0, p.indexOf('?'));
      const { names, all } = builtinImports(readFileSync(p.slice(p.indexOf('?') + 1), 'utf8'), id);
      const real = id === 'process' ? process : nodeRequire(`node:${id}`);
      let contents;
      if (id === 'process') contents = `const m = process;\nexport default m;\n${names.map((k) => `export const ${k} = m.${k};`).join('\n')}`;
      else if (typeof real === 'function' || (PRELOADED.has(id) && !all && !names.some((k) => LAZY_PROPS.has(k)))) {
        // A function (EventEmitter, Stream, assert, Module) is itself the export: nothing lazy to keep.
        contents = `const m = require('node:${id}');\nexport default m;\n${names.map((k) => `export const ${k} = m.${k};`).join('\n')}`;
      } else {
        // CommonJS, so esbuild's interop reads a property only where the code uses it.
        const keys = JSON.stringify(Object.keys(real).filter((k) => k !== 'default'));
        contents = `let m;\nfor (const k of ${keys}) Object.defineProperty(module.exports, k, { enumerable: true, get: () => (m ??= require('node:${id}'))[k] });`;
      }
      return { contents, loader: 'js', resolveDir: root };
    });
  },
};
const banner = [
  // Some CJS deps bundled into ESM call require(); give them one.
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
].join('\n');
const started = performance.now();
const result = await build({
  entryPoints: { cli: path.join(root, 'src/cli.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // jsonc-parser's "main" is a UMD build that require()s files esbuild cannot see; prefer ESM entries.
  mainFields: ['module', 'main'],
  target: 'node22',
  sourcemap: true,
  minify: true,
  keepNames: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: {
    'process.env.NODE_ENV': '"production"',
    'process.env.DEV': 'undefined',
    __CLAWDIA_VERSION__: JSON.stringify(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version),
  },
  // Ink imports react-devtools-core only when DEV is set; alias it away (STYLE pitfall 9).
  alias: { 'react-devtools-core': empty },
  external: ['@lydell/node-pty'],
  banner: { js: banner },
  plugins: [builtinsWithoutFacade],
  metafile: true,
  logLevel: quiet ? 'error' : 'warning',
}).catch(() => {
  // esbuild has printed the errors; leave no half-built directory behind.
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
});
writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
writeFileSync(path.join(out, STAMP), `${stamp}\n`);

// What `models status` loads: the entry's static imports, plus the status command's.
const outputs = result.metafile.outputs;
const rel = (f) => path.relative(out, path.resolve(root, f));
const byRel = new Map(Object.entries(outputs).map(([f, o]) => [rel(f), { file: f, ...o }]));
const closure = (start) => {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f) || !byRel.has(f)) return;
    seen.add(f);
    for (const i of byRel.get(f).imports) if (i.kind === 'import-statement' && !i.external) visit(rel(i.path));
  };
  visit(start);
  return seen;
};
const statusChunk = [...byRel.entries()].find(([, o]) => o.entryPoint === 'src/commands/status.ts')?.[0];
const statusPath = new Set([...closure('cli.js'), ...(statusChunk ? closure(statusChunk) : [])]);
const HEAVY = /node_modules\/(ink|react|react-reconciler|yoga-layout|@anthropic-ai\/sdk|execa|conf|@inquirer\/[^/]+|proper-lockfile)\//;
const leaks = new Set();
for (const f of statusPath) for (const input of Object.keys(byRel.get(f).inputs)) if (HEAVY.test(input)) leaks.add(input.match(HEAVY)[1]);
const hasStatus = [...statusPath].some((f) => 'src/commands/status.ts' in byRel.get(f).inputs);
if (!hasStatus || leaks.size) {
  rmSync(out, { recursive: true, force: true });
  console.error(
    leaks.size
      ? `build: \`models status\` would load ${[...leaks].join(', ')} (statically reachable from src/cli.ts or src/commands/status.ts); import it lazily where it is used.`
      : 'build: src/commands/status.ts is not where this check expects it (a chunk of its own, or in cli.js).',
  );
  process.exit(1);
}

const old = path.join(root, `dist.old-${process.pid}`);
if (existsSync(path.join(root, 'dist'))) renameSync(path.join(root, 'dist'), old);
renameSync(out, path.join(root, 'dist'));
rmSync(old, { recursive: true, force: true });

if (!quiet) console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
if (analyze) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const js = [...byRel.entries()].filter(([f]) => f.endsWith('.js'));
  const total = [...statusPath].reduce((n, f) => n + byRel.get(f).bytes, 0);
  console.log(`\n\`models status\` loads ${statusPath.size} files, ${kb(total)} (plus bin/clawdia.js):`);
  for (const f of statusPath)
    console.log(
      `  ${f.padEnd(36)} ${kb(byRel.get(f).bytes).padStart(9)}  ${Object.keys(byRel.get(f).inputs)
        .map((i) => i.replace(/^.*node_modules\//, '').replace(/\?.*$/, ''))
        .filter((i, n, a) => a.indexOf(i) === n)
        .slice(0, 6)
        .join(', ')}`,
    );
  console.log(`\nlargest of ${js.length} files:`);
  for (const [f, o] of js.sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8)) console.log(`  ${f.padEnd(36)} ${kb(o.bytes).padStart(9)}`);
}
