// Production build: one ESM bundle for the CLI with code splitting, so Ink/React, the SDK,
// execa, conf and @inquirer/prompts live in chunks loaded only by the commands that need them.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quiet = process.argv.includes('--quiet');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
mkdirSync(path.join(root, 'dist'), { recursive: true });
const empty = path.join(root, 'scripts', 'empty.js');
const started = performance.now();
await build({
  entryPoints: { cli: path.join(root, 'src/cli.ts') },
  outdir: path.join(root, 'dist'),
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
  banner: {
    // Some CJS deps bundled into ESM call require(); give them one.
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: quiet ? 'error' : 'warning',
});
writeFileSync(path.join(root, 'dist', 'package.json'), '{"type":"module"}\n');
if (!quiet) console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
