// Import for its effect, before rendering with ink-testing-library: the terminal size Ink would
// find in a process without a terminal (100 columns from the library's stdout, 24 rows), given up
// front. That stdout has columns but no rows, so on every render Ink asks `terminal-size`, which
// tries /dev/tty, then runs `tput cols` and `tput lines` (two processes per frame, ≈ 2/3 of a
// component test file's time); from a terminal it got that terminal's height instead.
process.env.COLUMNS = '100';
process.env.LINES = '24';

export {};
