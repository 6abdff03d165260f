// How many terminal rows a screen will take, worked out before it is drawn. Ink clears and
// rewrites the whole terminal on every frame of a live area taller than the terminal (each
// rewrite pushes a copy of the screen into the scrollback and erases what was printed above,
// e.g. the sign-in URL), so a screen that ticks must pick a layout that fits first.
// Pure (no Ink): the same word wrap Ink applies (greedy, on spaces), one column per character.

/** Rows `text` takes when word-wrapped to `width` columns ('' takes one row). */
export function wrappedRows(text: string, width: number): number {
  const w = Math.max(1, width);
  let rows = 0;
  for (const line of text.split('\n')) {
    let n = 1;
    let col = 0;
    for (const word of line.split(' ')) {
      const len = [...word].length;
      const need = col === 0 ? len : col + 1 + len;
      if (need <= w) {
        col = need;
        continue;
      }
      if (col > 0) n++;
      // A word longer than the line is cut into whole lines.
      n += Math.max(0, Math.ceil(len / w) - 1);
      col = len % w || (len > 0 ? w : 0);
    }
    rows += n;
  }
  return rows;
}

/** Rows a list of lines takes (each line wrapped on its own) at `width`. */
export function linesRows(lines: string[], width: number): number {
  return lines.reduce((n, l) => n + wrappedRows(l, width), 0);
}
