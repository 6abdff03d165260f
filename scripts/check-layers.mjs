// The layering check (ARCHITECTURE.md): which part of the tree may import which, and no import
// cycle among our files. Run by the build (scripts/build.mjs fails on a violation) and on its own:
//
//   node scripts/check-layers.mjs [--root DIR]   prints each violation as file:line and exits 1
//
// It reads the import statements (static, `export … from`, dynamic `import()`) of every file under
// src/ and components/ with a few regular expressions: static imports start a line (the house
// style), comments are blanked first. Type-only imports count for the layers (a type is a
// dependency too) but not for cycles (they vanish at run time).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Layer of a file (a path relative to the root, with /), or null for files outside the checked tree. */
export function layerOf(rel) {
  if (rel === 'src/cli.ts' || rel.startsWith('src/cli/')) return 'cli';
  if (rel === 'src/ports.ts') return 'ports';
  const m = rel.match(/^src\/(commands|app|wizard|ui|adapters|core)\//);
  if (m) return m[1];
  if (rel.startsWith('components/')) return 'components';
  return null;
}

/**
 * Which layers each layer may import (its own included). Today's code plus issue 12's direction:
 * cli → commands → {app, wizard, ui, components}; components → wizard; wizard → app, core;
 * app → ports, core; adapters → ports, core; nothing but cli imports commands, nothing imports cli.
 */
export const MAY_IMPORT = {
  cli: ['cli', 'commands', 'app', 'wizard', 'ui', 'components', 'adapters', 'ports', 'core'],
  commands: ['commands', 'app', 'wizard', 'ui', 'components', 'adapters', 'ports', 'core'],
  ui: ['ui', 'components', 'wizard', 'ports', 'core'],
  components: ['components', 'wizard', 'ports', 'core'],
  wizard: ['wizard', 'app', 'ports', 'core'],
  app: ['app', 'ports', 'core'],
  adapters: ['adapters', 'ports', 'core'],
  ports: ['ports', 'core'],
  core: ['core'],
};

/** Packages core may import besides Node's builtins: pure code, no I/O, small. */
export const CORE_PACKAGES = new Set(['jsonc-parser']);

const BUILTINS = new Set(builtinModules);

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** Blank out comments (keeping line breaks) so an import named in a comment is not read. */
function stripComments(src) {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^([ \t]*)\/\/[^\n]*/gm, (c, indent) => indent + ' '.repeat(c.length - indent.length));
}

/** The imports of one source text: { spec, line, typeOnly }. */
export function importsOf(src) {
  const text = stripComments(src);
  const lineAt = (i) => text.slice(0, i).split('\n').length;
  const out = [];
  // import … from '…' / export … from '…' (a clause may span lines; it holds no `;` or quote).
  for (const m of text.matchAll(/^[ \t]*(import|export)\b(\s+type\b)?([^;'"`]*?)\bfrom\s*['"]([^'"]+)['"]/gm)) {
    const clause = m[3];
    const named = clause.match(/\{([^}]*)\}/);
    const names = named
      ? named[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const allTypes = !!named && !/^\s*[\w$]+\s*,/.test(clause) && names.length > 0 && names.every((s) => s.startsWith('type '));
    out.push({ spec: m[4], line: lineAt(m.index + m[0].indexOf(m[1])), typeOnly: !!m[2] || allTypes });
  }
  // import '…' (side effects only).
  for (const m of text.matchAll(/^[ \t]*import\s*['"]([^'"]+)['"]/gm)) out.push({ spec: m[1], line: lineAt(m.index), typeOnly: false });
  // import('…'): a value at run time, unless it is a type (`typeof import(…)`, `import(…).Type`).
  for (const m of text.matchAll(/(typeof\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)(\.[A-Z])?/g)) {
    // Inside a string on its line (an odd number of one kind of quote before it): not an import.
    const before = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index).replace(/\\./g, '');
    if (["'", '"', '`'].some((q) => before.split(q).length % 2 === 0)) continue;
    out.push({ spec: m[2], line: lineAt(m.index + (m[1]?.length ?? 0)), typeOnly: !!(m[1] || m[3]) });
  }
  return out.sort((a, b) => a.line - b.line);
}

function resolveLocal(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

/** Every violation under root, as "file:line  what": layer rules first, then cycles. */
export function checkLayers(root) {
  const files = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'components'))];
  const rel = (f) => path.relative(root, f).split(path.sep).join('/');
  const problems = [];
  /** file → [{ to, line }]: run-time imports between our files. */
  const graph = new Map();
  for (const file of files) {
    const from = rel(file);
    const layer = layerOf(from);
    const edges = [];
    graph.set(from, edges);
    for (const imp of importsOf(readFileSync(file, 'utf8'))) {
      const where = `${from}:${imp.line}`;
      if (!imp.spec.startsWith('.')) {
        const pkg = imp.spec.startsWith('@') ? imp.spec.split('/').slice(0, 2).join('/') : imp.spec.split('/')[0];
        if (layer === 'core' && !imp.spec.startsWith('node:') && !BUILTINS.has(pkg) && !CORE_PACKAGES.has(pkg)) {
          problems.push(`${where}  core imports the package ${imp.spec}; core is pure: Node builtins and ${[...CORE_PACKAGES].join(', ')} only`);
        }
        continue;
      }
      const target = resolveLocal(file, imp.spec);
      if (!target) {
        problems.push(`${where}  cannot resolve ${imp.spec}`);
        continue;
      }
      const to = rel(target);
      const toLayer = layerOf(to);
      if (layer && !toLayer) problems.push(`${where}  ${layer} imports ${to}, outside src/ and components/`);
      else if (layer && toLayer && !MAY_IMPORT[layer].includes(toLayer)) {
        problems.push(`${where}  ${layer} imports ${toLayer} (${to}); ${layer} may import only ${MAY_IMPORT[layer].join(', ')}`);
      }
      if (!imp.typeOnly) edges.push({ to, line: imp.line });
    }
  }
  for (const cycle of findCycles(graph)) {
    problems.push(`${cycle[0].from}:${cycle[0].line}  import cycle: ${cycle.map((e) => `${e.from}:${e.line} → ${e.to}`).join(', ')}`);
  }
  return problems;
}

/** One cycle per strongly connected component (Tarjan), as the list of edges that close it. */
function findCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v), low.get(to)));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v), index.get(to)));
    }
    if (low.get(v) !== index.get(v)) return;
    const members = new Set();
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      members.add(w);
    } while (w !== v);
    if (members.size > 1 || (graph.get(v) ?? []).some((e) => e.to === v)) components.push(members);
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // Name one concrete cycle per component: the shortest way from its first file back to itself.
  return components.map((members) => {
    const start = [...members].sort()[0];
    const via = new Map();
    const queue = [start];
    while (queue.length && !via.has(start)) {
      const v = queue.shift();
      for (const e of graph.get(v) ?? []) {
        if (!members.has(e.to) || via.has(e.to)) continue;
        via.set(e.to, { from: v, to: e.to, line: e.line });
        queue.push(e.to);
      }
    }
    const edges = [];
    let at = start;
    do {
      const e = via.get(at);
      edges.unshift(e);
      at = e.from;
    } while (at !== start);
    return edges;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const root = at > 0 ? path.resolve(process.argv[at + 1] ?? '.') : path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const problems = checkLayers(root);
  if (problems.length) {
    console.error(`layers: ${problems.length} violation${problems.length === 1 ? '' : 's'} (ARCHITECTURE.md says which part may import which):`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  if (!process.argv.includes('--quiet')) console.log('layers: ok');
}
