#!/usr/bin/env node
// Tiny entry: check the Node version before anything that would throw on an old Node
// (execa, ink and conf are ESM that need Node >= 22), then load the bundle.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `clawdia needs Node.js 22 or newer; this is Node.js ${process.versions.node}.\n` +
      'hint: install Node 22+ (e.g. from nodejs.org or your package manager), or run it through npm in a clone: npm start --silent -- <command>\n',
  );
  process.exit(1);
}
if (process.env.CLAWDIA_DEBUG === '1' && typeof process.setSourceMapsEnabled === 'function') {
  process.setSourceMapsEnabled(true);
}
await import('../dist/cli.js');
