// `npm run bench`: whole processes, side by side on the same Node (SPEC §8).
//
// Every row is a real process started from here: `node -e 0` (the floor), a minimal unbundled Ink app
// (the floor for a first frame), the built `clawdia` (bin/clawdia.js → dist/). Rounds are
// interleaved — each round runs every row once, in a fresh random order — after warm-up rounds, so
// drift on the machine (another process, CPU frequency, page cache) lands on all rows alike.
//
// What is measured, exactly:
// - time: from just before spawn() to the child's exit (pipes drained), on performance.now();
//   for the pty rows, from just before the pty spawn to the first output chunk that leaves visible
//   text once escape sequences are stripped (the first frame), after which the child is killed.
// - peak RSS: for processes that exit by themselves, the kernel's own figure — ru_maxrss from
//   wait4(), as printed by GNU time (`/usr/bin/time -f %M`) — in separate runs, so the wrapper never
//   adds to the times above. For the pty rows, VmHWM from /proc/<pid>/status read at the moment the
//   first frame arrives (the process is still alive then): the peak up to the first frame.
//
// Each measured process gets a small, fixed environment: no NODE_EXTRA_CA_CERTS (when set, Node
// reads the CA file at every start), no NODE_OPTIONS, no CI (Ink draws only the last frame under any
// CI variable), no npm_* variables, a temp HOME, and a state dir seeded here with secrets made at
// run time. Optional peers (`gh`, `openclaw`) run only if installed, with your own HOME.
//
//   node scripts/bench.mjs [--rounds N] [--warmup N] [--rss-runs N] [--only a,b] [--show] [--readme] [--json]
//   --show prints the screen each pty row saw at its first frame.
//   rows: floor, ink, version, status, status-cold, status500, wizard, wizard-cold, gh, openclaw
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(ROOT, 'bin', 'clawdia.js');
const INK_APP = path.join(ROOT, 'scripts', 'bench', 'ink-app.mjs');
const NODE = process.execPath;

const opts = parseArgs(process.argv.slice(2));
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(`bench: this is Node ${process.versions.node}; run it as \`npm run bench\` (npm runs the project's Node 24).\n`);
  process.exit(1);
}
if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
  process.stderr.write('bench: dist/ is missing; run `npm run bench` (it builds first).\n');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Seeded state: 3 agents × 4 profiles; and the same with the default agent holding 500 profiles.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clawdia-bench-'));
fs.chmodSync(tmp, 0o700);
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

function secret(kind) {
  const prefix = kind === 'api' ? 'sk-ant-api03-' : `sk-ant-${kind}01-`;
  return (
    prefix +
    randomBytes(81)
      .toString('base64url')
      .slice(0, 108 - prefix.length - 2) +
    'AA'
  );
}

const HOUR = 3600_000;
const now = Date.now();
function profile(i) {
  switch (i % 4) {
    case 0:
      return { type: 'api_key', provider: 'anthropic', key: secret('api') };
    case 1:
      return { type: 'token', provider: 'anthropic', token: secret('oat'), expires: now + 300 * 24 * HOUR };
    case 2:
      return { type: 'oauth', provider: 'anthropic', access: secret('oat'), refresh: secret('ort'), expires: now + 5 * HOUR, email: `user${i}@example.com` };
    default:
      return { type: 'api_key', provider: 'anthropic', key: secret('api') };
  }
}
const FOUR = ['anthropic:default', 'anthropic:claude-cli', 'anthropic:oauth', 'anthropic:work'];
function store(ids) {
  const profiles = {};
  const usageStats = {};
  const validation = {};
  ids.forEach((id, i) => {
    profiles[id] = profile(i);
    usageStats[id] = { lastUsed: now - i * 1000, errorCount: i % 3 === 0 ? 1 : 0, ...(i % 7 === 3 ? { cooldownUntil: now + 10 * 60_000 } : {}) };
    validation[id] = { at: now - HOUR, verdict: i % 11 === 5 ? 'invalid' : 'valid', requestId: `req_${randomBytes(12).toString('hex')}` };
  });
  return { version: 1, profiles, order: { anthropic: [...ids] }, lastGood: { anthropic: ids[0] }, usageStats, validation };
}
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
}
function seed(name, mainIds) {
  const dir = path.join(tmp, name);
  const agents = { main: mainIds, work: FOUR, ops: FOUR };
  const declared = {};
  for (const ids of Object.values(agents))
    ids.forEach((id, i) => {
      declared[id] = { provider: 'anthropic', mode: profile(i).type === 'api_key' ? 'api_key' : 'oauth' };
    });
  writeJson(path.join(dir, 'clawdia.json'), {
    agents: { defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } }, list: [{ id: 'main', default: true }, { id: 'work' }, { id: 'ops' }] },
    auth: { profiles: declared },
  });
  for (const [agent, ids] of Object.entries(agents)) writeJson(path.join(dir, 'agents', agent, 'agent', 'auth-profiles.json'), store(ids));
  return dir;
}
const state4 = seed('state-4', FOUR);
const state500 = seed(
  'state-500',
  Array.from({ length: 500 }, (_, i) => (i < 4 ? FOUR[i] : `anthropic:p${String(i).padStart(3, '0')}`)),
);
const home = path.join(tmp, 'home');
fs.mkdirSync(home, { mode: 0o700 });

/** The fixed environment of every measured clawdia/node process. */
function cleanEnv(extra = {}) {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color', ...extra };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}
/** Peers run as you would run them: your environment, minus what skews a start. */
function peerEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k === 'NODE_EXTRA_CA_CERTS' || k === 'NODE_OPTIONS' || k === 'CI' || k.startsWith('CI_') || k.startsWith('npm_')) delete env[k];
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Rows.

const clawdiaEnv = (state) => cleanEnv({ CLAWDIA_STATE_DIR: state, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' });
function statusCheck(expected) {
  return (r) => {
    const j = JSON.parse(r.stdout);
    if (j.schemaVersion !== 1 || j.auth?.profiles?.length !== expected) throw new Error(`expected ${expected} profiles, got ${j.auth?.profiles?.length}`);
  };
}
function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const f = path.join(dir || '.', cmd);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch {
      // not here
    }
  }
  return null;
}

const ROWS = [
  { id: 'floor', label: '`node -e 0` (floor)', kind: 'proc', cmd: NODE, args: ['-e', '0'], env: cleanEnv() },
  { id: 'ink', label: 'minimal Ink app, unbundled: first frame (pty)', kind: 'pty', cmd: NODE, args: [INK_APP], env: cleanEnv() },
  {
    id: 'version',
    label: '`clawdia --version`',
    kind: 'proc',
    cmd: NODE,
    args: [BIN, '--version'],
    env: clawdiaEnv(state4),
    check: (r) => assertMatch(r.stdout, /^\d+\.\d+\.\d+/),
  },
  {
    id: 'status',
    label: '`clawdia models status --json` (3 agents × 4 profiles)',
    kind: 'proc',
    cmd: NODE,
    args: [BIN, 'models', 'status', '--json'],
    env: clawdiaEnv(state4),
    check: statusCheck(4),
  },
  {
    id: 'status-cold',
    label: '`clawdia models status --json` (3×4), compile cache off: a first run',
    kind: 'proc',
    cmd: NODE,
    args: [BIN, 'models', 'status', '--json'],
    env: { ...clawdiaEnv(state4), NODE_DISABLE_COMPILE_CACHE: '1' },
    check: statusCheck(4),
  },
  {
    id: 'status500',
    label: '`clawdia models status --json` (one agent with 500 profiles)',
    kind: 'proc',
    cmd: NODE,
    args: [BIN, 'models', 'status', '--json'],
    env: clawdiaEnv(state500),
    check: statusCheck(500),
  },
  { id: 'wizard', label: '`clawdia onboard`: first frame (pty)', kind: 'pty', cmd: NODE, args: [BIN, 'onboard'], env: clawdiaEnv(state4) },
  {
    id: 'wizard-cold',
    label: '`clawdia onboard`: first frame (pty), compile cache off: a first run',
    kind: 'pty',
    cmd: NODE,
    args: [BIN, 'onboard'],
    env: { ...clawdiaEnv(state4), NODE_DISABLE_COMPILE_CACHE: '1' },
  },
];
const gh = which('gh');
if (gh)
  ROWS.push({
    id: 'gh',
    optional: true,
    label: 'optional peer: `gh auth status`',
    kind: 'proc',
    cmd: gh,
    args: ['auth', 'status'],
    env: peerEnv(),
    anyExit: true,
  });
const openclaw = which('openclaw');
if (openclaw)
  ROWS.push({
    id: 'openclaw',
    optional: true,
    label: 'optional peer: `openclaw models status --json`',
    kind: 'proc',
    cmd: openclaw,
    args: ['models', 'status', '--json'],
    env: peerEnv(),
    anyExit: true,
  });

const TARGETS = {
  version: { of: 'floor', max: 1.15, text: '≤ 1.15× floor' },
  status: { of: 'floor', max: 1.6, rssMB: 60, text: '≤ 1.6× floor, ≤ 60 MB' },
  status500: { of: 'status', max: 2, text: '≤ 2× the 4-profile time' },
  wizard: { of: 'ink', max: 0.75, text: '≤ 0.75× the Ink app' },
};

function assertMatch(s, re) {
  if (!re.test(s)) throw new Error(`unexpected output ${JSON.stringify(s.slice(0, 200))}`);
}

// ---------------------------------------------------------------------------------------------
// Measuring.

function runProc(row) {
  return new Promise((resolve, reject) => {
    const out = [];
    const err = [];
    const t0 = performance.now();
    const child = spawn(row.cmd, row.args, { env: row.env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let ms = 0;
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('exit', () => (ms = performance.now() - t0));
    child.on('close', (code, signal) => {
      const r = { ms, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (!row.anyExit && code !== 0) return reject(new Error(`${row.label} exited ${code ?? signal}: ${r.stderr.slice(0, 500)}`));
      try {
        row.check?.(r);
      } catch (e) {
        return reject(new Error(`${row.label}: ${e.message}`));
      }
      resolve(r);
    });
  });
}

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((f) => {
  try {
    return spawnSync(f, ['-f', '%M', 'true'], { encoding: 'utf8' }).stderr.trim().match(/^\d+$/) !== null;
  } catch {
    return false;
  }
});

/** Peak RSS in KiB: ru_maxrss of the exited child, via GNU time (in its own run, not a timed one). */
function rssProc(row) {
  const outFile = path.join(tmp, `rss-${process.pid}.txt`);
  const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', outFile, row.cmd, ...row.args], { env: row.env, cwd: tmp, stdio: ['ignore', 'ignore', 'ignore'] });
  if (!row.anyExit && r.status !== 0) throw new Error(`${row.label} exited ${r.status} under ${GNU_TIME}`);
  const kb = Number(fs.readFileSync(outFile, 'utf8').trim().split('\n').pop());
  return Number.isFinite(kb) ? kb : null;
}

let ptyMod;
let xtermMod;
async function loadPty() {
  try {
    ptyMod ??= (await import('@lydell/node-pty')).default;
    xtermMod ??= (await import('@xterm/headless')).default;
    return true;
  } catch {
    return false;
  }
}

// CSI … final, OSC … BEL/ST, two-byte escapes.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

function vmHWM(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Spawn in a pseudo-terminal (a headless xterm answers the terminal's queries), time to the first visible text. */
function runPty(row) {
  return new Promise((resolve, reject) => {
    const cols = 100;
    const rows = 30;
    const term = new xtermMod.Terminal({ cols, rows, allowProposedApi: true });
    let raw = '';
    let frame = null;
    const t0 = performance.now();
    const child = ptyMod.spawn(row.cmd, row.args, { name: 'xterm-256color', cols, rows, cwd: tmp, env: row.env });
    const answers = term.onData((d) => {
      if (!frame) child.write(d);
    });
    const timer = setTimeout(() => {
      frame ??= { ms: NaN };
      child.kill('SIGKILL');
    }, 15_000);
    const snapshot = () => {
      const buf = term.buffer.active;
      const lines = [];
      for (let y = 0; y < rows; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
      return lines.join('\n').replace(/\n+$/, '');
    };
    let frameScreen = '';
    child.onData((d) => {
      raw += d;
      const first = !frame && /\S/.test(raw.replace(ESCAPES, ''));
      if (first) {
        frame = { ms: performance.now() - t0, rssKb: vmHWM(child.pid) };
        // SIGTERM, not SIGKILL: clawdia cancels and exits normally, which is when Node writes the
        // compile cache of the chunks it loaded (as after any real wizard run).
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }
      term.write(d, first ? () => (frameScreen = snapshot()) : undefined);
    });
    child.onExit(({ exitCode, signal }) => {
      clearTimeout(timer);
      answers.dispose();
      // Let xterm finish drawing what arrived.
      term.write('', () => {
        const screen = frameScreen || snapshot();
        term.dispose();
        if (!frame || Number.isNaN(frame.ms))
          return reject(new Error(`${row.label}: no visible output (exit ${exitCode}${signal ? ', signal ' + signal : ''})\n${screen}`));
        if (/^\s*(error|hint):/m.test(screen)) return reject(new Error(`${row.label}: the first frame is an error:\n${screen}`));
        resolve({ ms: frame.ms, rssKb: frame.rssKb, screen });
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Run: warm-up rounds, then interleaved rounds in a fresh random order each time.

const rows = ROWS.filter((r) => !opts.only || opts.only.includes(r.id));
const results = new Map(rows.map((r) => [r.id, { row: r, ms: [], rssKb: [], error: null, screen: '' }]));
if (rows.some((r) => r.kind === 'pty') && !(await loadPty())) {
  for (const r of rows)
    if (r.kind === 'pty') results.get(r.id).error = 'needs the devDependencies @lydell/node-pty and @xterm/headless (npm install in a clone)';
}

const started = performance.now();
const log = (s) => {
  if (!opts.json) process.stderr.write(s);
};
log(`bench: Node ${process.version} (${NODE}); ${opts.warmup} warm-up + ${opts.rounds} interleaved rounds of ${rows.length} rows\n`);
for (let round = -opts.warmup; round < opts.rounds; round++) {
  for (const row of shuffle(rows.slice())) {
    const res = results.get(row.id);
    if (res.error) continue;
    try {
      const r = row.kind === 'pty' ? await runPty(row) : await runProc(row);
      if (round < 0) continue;
      res.ms.push(r.ms);
      if (r.rssKb) res.rssKb.push(r.rssKb);
      if (r.screen) res.screen = r.screen;
    } catch (e) {
      res.error = e.message;
    }
  }
  log(round < 0 ? 'w' : '.');
}
log('\n');
if (GNU_TIME) {
  for (let i = 0; i < opts.rssRuns; i++) {
    for (const row of rows) {
      const res = results.get(row.id);
      if (row.kind !== 'proc' || res.error) continue;
      try {
        const kb = rssProc(row);
        if (kb) res.rssKb.push(kb);
      } catch (e) {
        res.error = e.message;
      }
    }
  }
}
const elapsed = (performance.now() - started) / 1000;

// ---------------------------------------------------------------------------------------------
// Report.

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stat = (id) => {
  const r = results.get(id);
  return r && !r.error && r.ms.length ? median(r.ms) : NaN;
};
const fmtMs = (ms) => (Number.isNaN(ms) ? '–' : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`);
const fmtRange = (xs) => (xs.length ? `${fmtMs(Math.min(...xs)).replace(' ms', '')}–${fmtMs(Math.max(...xs))}` : '–');
const NAMES = { floor: 'floor', ink: 'Ink app', status: '4-profile' };

const table = [];
const verdicts = [];
for (const row of rows) {
  const r = results.get(row.id);
  const med = stat(row.id);
  const rssMB = r.rssKb.length ? median(r.rssKb) / 1024 : NaN;
  const t = TARGETS[row.id];
  let ratio = '';
  let target = '';
  if (row.id !== 'floor' && !r.error) {
    const base = t?.of ?? (row.kind === 'pty' && row.id !== 'ink' ? 'ink' : 'floor');
    const b = base === row.id ? NaN : stat(base);
    if (!Number.isNaN(b)) ratio = `${(med / b).toFixed(2)}× ${NAMES[base]}`;
    if (t && !Number.isNaN(b)) {
      const ok = med / b <= t.max && (t.rssMB === undefined || (!Number.isNaN(rssMB) && rssMB <= t.rssMB));
      verdicts.push(ok);
      target = `${t.text} ${ok ? '✓' : '✗'}`;
    } else if (t) target = `${t.text} (no ${NAMES[t.of]} row)`;
  }
  if (row.id === 'status' && gh && !r.error && !Number.isNaN(stat('gh'))) ratio += ` (${(med / stat('gh')).toFixed(2)}× gh)`;
  table.push([row.label, r.error ? 'failed' : fmtMs(med), r.error ? '' : fmtRange(r.ms), Number.isNaN(rssMB) ? '–' : `${rssMB.toFixed(1)} MB`, ratio, target]);
}
if (!gh) table.push(['optional peer: `gh auth status`', 'not installed', '', '', '', '']);
if (!openclaw) table.push(['optional peer: `openclaw models status --json`', 'not installed', '', '', '', '']);

const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
const date = new Date().toISOString().slice(0, 10);
const header = `${date} · ${os.type()} ${os.arch()}, ${os.availableParallelism()} CPUs (\`nproc\`: ${nproc()}), ${cpu} · Node ${process.version} · ${opts.rounds} interleaved rounds after ${opts.warmup} warm-up`;
const md = [`| what | median | min–max | peak RSS | ratio | target |`, `|---|--:|--:|--:|---|---|`, ...table.map((cells) => `| ${cells.join(' | ')} |`)].join(
  '\n',
);
const notes = [
  `Time: spawn → exit (pty rows: spawn → first visible text). Peak RSS: ru_maxrss via ${GNU_TIME ? '`' + GNU_TIME + ' -f %M`' : '(GNU time not found: not measured)'} in ${opts.rssRuns} separate runs (pty rows: VmHWM at the first frame). NODE_EXTRA_CA_CERTS unset for every process.`,
  `Medians of whole processes on a shared machine: expect a few percent of noise between runs; min–max shows the spread of this run.`,
];

if (opts.json) {
  process.stdout.write(
    JSON.stringify(
      {
        date,
        node: process.version,
        nproc: nproc(),
        cpu,
        rounds: opts.rounds,
        rows: [...results.values()].map((r) => ({ id: r.row.id, label: r.row.label, ms: r.ms, rssKb: r.rssKb, error: r.error })),
      },
      null,
      2,
    ) + '\n',
  );
} else {
  process.stdout.write(`\n${header}\n\n${md}\n\n${notes.join('\n')}\n`);
  for (const r of results.values()) if (r.error) process.stdout.write(`\n${r.row.label} failed: ${r.error}\n`);
  if (opts.show) for (const r of results.values()) if (r.screen) process.stdout.write(`\n${r.row.label} — the screen at the first frame:\n${r.screen}\n`);
  process.stdout.write(
    `\n${verdicts.filter(Boolean).length}/${Object.keys(TARGETS).filter((k) => results.has(k)).length} targets met · ${elapsed.toFixed(1)} s\n`,
  );
}

if (opts.readme) {
  const file = path.join(ROOT, 'README.md');
  const section = [
    '## Performance',
    '',
    'Measured by `npm run bench` (`scripts/bench.mjs`): whole processes, side by side on the same Node, interleaved rounds after warm-up; targets from SPEC §8. The table below is written by `npm run bench -- --readme` from that run, not by hand.',
    '',
    header,
    '',
    md,
    '',
    ...notes,
    '',
    'What keeps it there:',
    '',
    '- `bin/clawdia.js` answers `--version` itself, without loading the bundle, and writes it with one `write(2)`.',
    '- The build (`scripts/build.mjs`, esbuild, code splitting) hands bundled code its `node:*` builtins through `require()`: an ESM `import` of a builtin makes Node build a facade that reads every export, which creates the std streams (`node:process`) or loads dozens of internal modules (`node:util`, `node:fs`). Builtins Node has not loaded yet (child_process, fs/promises, os, tty, …) load on first use.',
    '- `models status` is one chunk plus a few small shared ones: commander, the adapters and the status command are static imports of the entry; Ink/React, the SDK, execa and @inquirer/prompts are reachable only through dynamic imports, and the build fails if that changes (`node scripts/build.mjs --analyze` lists what status loads).',
    '- Only the branch of the command tree that argv selects is built; the streams (`process.stdin/stdout`) are created on first use, and plain output goes to fd 1 directly.',
    '- Strict JSON is parsed with `JSON.parse`; jsonc-parser only for comments, trailing commas and error positions.',
    '- A V8 compile cache for the bundle (Node 22.1+) in `<temp dir>/clawdia-compile-cache-<uid>` (0700, used only if it is this user\'s; never the shared default); `NODE_DISABLE_COMPILE_CACHE=1` turns it off (the "compile cache off" row).',
    '',
  ].join('\n');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  // Only the `## Performance` section is ours: replace it up to the next `## ` heading, or append.
  const start = text.search(/^## Performance[ \t]*$/m);
  let next;
  if (start === -1) next = (text.length ? text.replace(/\n*$/, '\n\n') : '') + section;
  else {
    const rest = text.slice(start + 1);
    const end = rest.search(/^## /m);
    next = text.slice(0, start) + section + (end === -1 ? '' : '\n' + rest.slice(end));
  }
  fs.writeFileSync(file, next);
  process.stdout.write(`wrote the Performance section of ${path.relative(process.cwd(), file) || file}\n`);
}

if (rows.some((r) => results.get(r.id).error)) process.exitCode = 1;

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { rounds: 25, warmup: 3, rssRuns: 5, only: null, readme: false, json: false, show: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${a} needs a whole number`);
      return n;
    };
    if (a === '--rounds') o.rounds = Math.max(1, num());
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--rss-runs') o.rssRuns = num();
    else if (a === '--only') o.only = String(argv[++i] ?? '').split(',');
    else if (a === '--readme') o.readme = true;
    else if (a === '--json') o.json = true;
    else if (a === '--show') o.show = true;
    else {
      process.stderr.write(
        `bench: unknown option ${a}\nusage: node scripts/bench.mjs [--rounds N] [--warmup N] [--rss-runs N] [--only floor,ink,version,status,status-cold,status500,wizard,wizard-cold] [--show] [--readme] [--json]\n`,
      );
      process.exit(2);
    }
  }
  return o;
}

function shuffle(xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function nproc() {
  try {
    return spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || String(os.availableParallelism());
  } catch {
    return String(os.availableParallelism());
  }
}
