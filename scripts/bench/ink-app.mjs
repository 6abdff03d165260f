// The reference for a first frame (SPEC §8): the smallest Ink app anyone would write, unbundled —
// Node resolves ink and react from node_modules at run time, as a plain `node app.mjs` would.
// It draws one frame and exits; `npm run bench` times spawn → first visible text in a pty.
import React from 'react';
import { Box, Text, render } from 'ink';

const h = React.createElement;
render(
  h(
    Box,
    { flexDirection: 'column', borderStyle: 'round', paddingX: 1 },
    h(Text, { bold: true }, 'Hello from Ink'),
    h(Text, { dimColor: true }, 'a minimal app: one frame'),
  ),
);
