// `--remote` end to end over a real OpenSSH: a real `sshd` on a loopback port (throwaway host key,
// authorized_keys for a throwaway client key), the system `ssh` with a test ssh_config, and a
// second state dir as "the gateway", whose clawdia is this worktree's bin run by that sshd. The
// token is minted with the fixture `claude` (or piped), travels on ssh's stdin, is validated
// against the loopback fake API by the gateway's clawdia and lands in the gateway's store. Checks:
// nothing in either side's argv or environment (ps and /proc samples while it runs), nor in ssh's
// debug log; and every failure (host key, login, missing or old clawdia, an invalid verdict, a cut
// connection, Ctrl-C) ends with its own message and nothing written on either side.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { BIN, baseEnv, findLeaks, makeSecret, readChecks, readJson, runCli, snapshot, storePath, tempState, type RunResult } from '../support/cli.js';
import { bracketedPaste, DOWN, ENTER } from '../support/pty.js';
import { plainText, startWizard } from './wizard-support.js';

const SSHD = '/usr/sbin/sshd';
const haveSshd = fs.existsSync(SSHD) && fs.existsSync('/usr/bin/ssh') && fs.existsSync('/usr/bin/ssh-keygen');
if (!haveSshd) {
  console.log(`remote.test.ts: SKIPPED — ${SSHD} (Debian openssh-server) is not installed; .ci/run installs it with apt-get when it can.`);
}

let api: FakeApi;
let dir: string;
let sshd: ChildProcess;
let sshdLog = '';
let sshConfig: string;
let gateways = 0;
const PASSPHRASE = 'open sesame';
/** The gateway's live check may take long on a loaded machine (this one saw load averages of 40): no false "offline". */
const SLOW_OK = ['--timeout', '60000'];
/** How long the fake API holds the answer in the mid-flight tests. */
const HELD_MS = 20_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

/** Every process now, from /proc: pid, parent, argv joined by spaces. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(e), ppid, args });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The gateway's clawdia (started by sshd): node + bin + paste-*, with --token-stdin and no --remote (the laptop's has --remote; ssh's argv starts with ssh). */
const isRemotePaste = (p: Proc) =>
  p.args.startsWith(`${process.execPath} ${BIN} models auth paste-`) && p.args.includes('--token-stdin') && !p.args.includes('--remote');
const isSshPaste = (p: Proc) => /^(\S*\/)?ssh /.test(p.args) && p.args.includes('paste-');

/** The process has exited (or is a zombie waiting for its new parent to reap it). */
function gone(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
}

function environ(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}

/** Sample `ps -eo args` and the environment of ssh and the gateway's clawdia while `running` is pending. */
function sampleWhile(running: Promise<unknown>): { samples: string[]; environs: string[]; sawRemote: () => boolean; sawSsh: () => boolean } {
  const samples: string[] = [];
  const environs: string[] = [];
  let remote = false;
  let ssh = false;
  let done = false;
  void running.finally(() => (done = true));
  const tick = () => {
    if (done) return;
    try {
      samples.push(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }));
    } catch {
      // ps missing: /proc below still counts
    }
    for (const p of processes()) {
      samples.push(p.args);
      if (isRemotePaste(p)) {
        remote = true;
        environs.push(environ(p.pid));
      }
      if (isSshPaste(p)) {
        ssh = true;
        environs.push(environ(p.pid));
      }
    }
    setTimeout(tick, 25);
  };
  tick();
  return { samples, environs, sawRemote: () => remote, sawSsh: () => ssh };
}

function localEnv(state: string, extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv(state, { CLAWDIA_SSH_COMMAND: `ssh -F ${sshConfig}`, ...extra });
}

/**
 * A fresh "gateway": its own state dir, and the command line that runs this worktree's clawdia
 * there. sshd starts remote commands with a clean environment, so the gateway's settings ride in
 * the command line; its Node is the one running the tests. Each test has its own, so the tests
 * can run side by side.
 */
function newGateway(opts: { wrapper?: boolean } = {}): { state: string; args: string[] } {
  const state = path.join(dir, `gateway-${++gateways}`);
  const env = `env CLAWDIA_STATE_DIR=${state} ANTHROPIC_BASE_URL=${api.url}`;
  if (!opts.wrapper) return { state, args: ['--remote-command', `${env} ${process.execPath} ${BIN}`] };
  // A wrapper script that does not exec: clawdia's parent is this shell, which outlives the connection.
  const wrapper = path.join(dir, `wrapper-${gateways}.sh`);
  fs.writeFileSync(wrapper, `#!/bin/sh\n${process.execPath} ${BIN} "$@"\nexit $?\n`, { mode: 0o755 });
  return { state, args: ['--remote-command', `${env} /bin/sh ${wrapper}`] };
}

/** sshd's session process above a gateway command (`sshd: user@notty`; comm sshd or sshd-session). */
function sshdSession(pid: number): number {
  let p = pid;
  for (let i = 0; i < 16; i++) {
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (comm.startsWith('sshd')) return p;
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  throw new Error(`no sshd above ${pid}`);
}

function expectNothingWritten(localState: string, gateway: string, gatewayBefore: Record<string, string>): void {
  expect(fs.existsSync(localState)).toBe(false);
  expect(snapshot(gateway)).toEqual(gatewayBefore);
}

// Side by side: each test has its own gateway, local state, token and (where processes are looked for) agent id.
describe.skipIf(!haveSshd).concurrent('--remote over a real sshd', () => {
  beforeAll(async () => {
    api = await startFakeApi({ defaultBehavior: 'valid' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clawdia-ssh-'));
    const key = (name: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(dir, name)]);
    key('host_key');
    key('other_host_key');
    key('client_key');
    key('stranger_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-C', 'locked', '-f', path.join(dir, 'locked_key')]);
    fs.writeFileSync(
      path.join(dir, 'authorized_keys'),
      fs.readFileSync(path.join(dir, 'client_key.pub'), 'utf8') + fs.readFileSync(path.join(dir, 'locked_key.pub'), 'utf8'),
    );
    fs.mkdirSync(path.join(dir, 'gateway-home'), { mode: 0o700 });
    const port = await freePort();
    // sshd as root wants its privilege-separation directory.
    if (process.getuid?.() === 0 && !fs.existsSync('/run/sshd')) fs.mkdirSync('/run/sshd', { mode: 0o755 });
    fs.writeFileSync(
      path.join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${path.join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'LogLevel VERBOSE',
        // The gateway's own home: a throwaway dir, so nothing of this machine's user is read there
        // (their Claude Code login, or a ~/.bashrc that bash sources for every ssh command).
        `SetEnv HOME=${path.join(dir, 'gateway-home')}`,
      ].join('\n') + '\n',
    );
    const hostKey = fs.readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim();
    const otherKey = fs.readFileSync(path.join(dir, 'other_host_key.pub'), 'utf8').trim();
    fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
    fs.writeFileSync(path.join(dir, 'wrong_known_hosts'), `[127.0.0.1]:${port} ${otherKey}\n`);
    fs.writeFileSync(path.join(dir, 'empty_known_hosts'), '');
    const user = os.userInfo().username;
    const host = (alias: string, known: string, identity: string, strict = 'yes') =>
      [
        `Host ${alias}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  User ${user}`,
        `  IdentityFile ${path.join(dir, identity)}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${path.join(dir, known)}`,
        '  GlobalKnownHostsFile /dev/null',
        `  StrictHostKeyChecking ${strict}`,
        '  PasswordAuthentication no',
        '  KbdInteractiveAuthentication no',
        '  IdentityAgent none',
      ].join('\n');
    sshConfig = path.join(dir, 'ssh_config');
    fs.writeFileSync(
      sshConfig,
      [
        host('gw', 'known_hosts', 'client_key'),
        host('gw-badkey', 'wrong_known_hosts', 'client_key'),
        host('gw-stranger', 'known_hosts', 'stranger_key'),
        host('gw-locked', 'known_hosts', 'locked_key'),
        host('gw-new', 'empty_known_hosts', 'client_key', 'ask'),
      ].join('\n') + '\n',
    );
    sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr!.setEncoding('utf8').on('data', (d: string) => (sshdLog += d));
    await until('sshd to listen', () => sshdLog.includes('Server listening') || sshd.exitCode !== null, 10_000);
    if (sshd.exitCode !== null) throw new Error(`sshd did not start:\n${sshdLog}`);
    expect(await canConnect(port)).toBe(true);
  }, 30_000);

  afterAll(async () => {
    // sshd removes its pid file on the way out: wait for that before emptying its dir (a removal
    // racing it stopped half-way and left the dir behind).
    const stopped = sshd && sshd.exitCode === null && sshd.signalCode === null ? new Promise((r) => sshd.once('exit', r)) : undefined;
    sshd?.kill('SIGTERM');
    await stopped;
    await api?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });

  it('onboard --remote: a token minted here with `claude setup-token` lands validated in the gateway store, seen on stdin only', async () => {
    const local = tempState();
    const tok = makeSecret('oat');
    // Hold the gateway's live check for a moment, so the samples catch both sides mid-flight.
    api.setBehavior(tok, 'valid', { delayMs: 700 });
    const debugLog = path.join(dir, 'ssh-debug.log');
    // The stand-in `claude` reads the token it "mints" from a file: no process's environment holds it.
    const tokenFile = path.join(dir, 'minted-by-the-fixture');
    fs.writeFileSync(tokenFile, tok, { mode: 0o600 });
    const gw = newGateway();
    const p = startWizard(local, ['onboard', '--remote', 'gw', ...gw.args, ...SLOW_OK], {
      api: 'http://127.0.0.1:9',
      env: { CLAUDE_FIXTURE_TOKEN_FILE: tokenFile, CLAWDIA_SSH_COMMAND: `ssh -F ${sshConfig} -vvv -E ${debugLog}` },
      cols: 120,
    });
    try {
      const s = await p.waitFor('How should agent main on gw authenticate', 30_000);
      expect(s).toContain('clawdia 0.2.0');
      expect(s).toContain("Reuse Claude Code's login — not over --remote");
      p.write(DOWN + ENTER);
      await p.waitFor('2. Paste the code the page shows you', 20_000);
      p.write('abc#def' + ENTER);
      const watch = sampleWhile(p.exited);
      await p.waitFor('Nothing was written on this machine', 45_000);
      expect((await p.exited).exitCode).toBe(0);
      const out = plainText(p.output());
      expect(out).toContain('Saved anthropic:claude-cli for agent main on gw');
      expect(out).toMatch(/Now on gw, agent main:\s+anthropic:claude-cli\s+setup-token\s+sk-ant-oat01-…/);
      const stored = readJson(storePath(gw.state));
      expect(stored.profiles['anthropic:claude-cli'].token).toBe(tok);
      expect(readChecks(gw.state)['anthropic:claude-cli'].verdict).toBe('valid');
      // Both sides were caught running, and neither argv nor environment ever held the token.
      expect(watch.sawSsh()).toBe(true);
      expect(watch.sawRemote()).toBe(true);
      expect(findLeaks(watch.samples.join('\n'), [tok])).toEqual([]);
      expect(findLeaks(watch.environs.join('\n'), [tok])).toEqual([]);
      // ssh's own debug output (-vvv) logs no payload.
      const debug = fs.readFileSync(debugLog, 'utf8');
      expect(debug).toContain('debug3');
      expect(findLeaks(debug, [tok])).toEqual([]);
      expect(findLeaks(out, [tok])).toEqual([]);
      // Nothing on this machine's disk: no local state, and no file under the test's home or temp dirs holds it.
      expect(fs.existsSync(local)).toBe(false);
      const here = path.dirname(local);
      expect(
        findLeaks(
          Object.values(snapshot(here))
            .map((b) => Buffer.from(b, 'base64').toString('utf8'))
            .join('\n'),
          [tok],
        ),
      ).toEqual([]);
      expect(sshdLog.length).toBeGreaterThan(0);
      expect(findLeaks(sshdLog, [tok])).toEqual([]);
    } finally {
      p.dispose();
    }
  }, 90_000);

  it('setup-token --remote: the gateway refuses (403), "keep it anyway" sends it again with --save-unverified', async () => {
    const local = tempState();
    const tok = makeSecret('oat');
    api.setBehavior(tok, 'forbidden');
    const tokenFile = path.join(dir, `minted-${Date.now()}`);
    fs.writeFileSync(tokenFile, tok, { mode: 0o600 });
    const gw = newGateway();
    const p = startWizard(local, ['models', 'auth', 'setup-token', '--remote', 'gw', ...gw.args, '--agent', 'bot', ...SLOW_OK], {
      api: 'http://127.0.0.1:9',
      env: { CLAUDE_FIXTURE_TOKEN_FILE: tokenFile, CLAWDIA_SSH_COMMAND: `ssh -F ${sshConfig}` },
      cols: 120,
    });
    try {
      await p.waitFor('2. Paste the code the page shows you', 30_000);
      p.write('abc#def' + ENTER);
      const s = await p.waitFor('gw did not store the credential', 45_000);
      expect(s).toContain('403');
      expect(s).toContain('Keep it anyway on gw (marked unverified)');
      expect(fs.existsSync(storePath(gw.state, 'bot'))).toBe(false);
      p.write(ENTER);
      await p.waitFor('Nothing was written on this machine', 45_000);
      expect((await p.exited).exitCode).toBe(0);
      const stored = readJson(storePath(gw.state, 'bot'));
      expect(stored.profiles['anthropic:claude-cli'].token).toBe(tok);
      expect(readChecks(gw.state, 'bot')['anthropic:claude-cli'].verdict).toBe('forbidden');
      expect(findLeaks(p.output(), [tok])).toEqual([]);
      expect(fs.existsSync(local)).toBe(false);
    } finally {
      p.dispose();
    }
  }, 90_000);

  it('paste-token --remote --json: the token from stdin, the gateway outcome and its status as JSON', async () => {
    const local = tempState();
    const tok = makeSecret('oat');
    const gw = newGateway();
    const r = await runCli(['models', 'auth', 'paste-token', '--remote', 'gw', ...gw.args, '--agent', 'ops', '--json', ...SLOW_OK], {
      env: localEnv(local),
      stdin: tok,
      timeoutMs: 50_000,
    });
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ remote: { destination: 'gw', version: '0.2.0' }, agent: 'ops', profileId: 'anthropic:claude-cli', verdict: 'valid' });
    expect(j.status.agent).toBe('ops');
    expect(j.status.auth.profiles.map((p: { profileId: string; state: string }) => [p.profileId, p.state])).toEqual([['anthropic:claude-cli', 'ok']]);
    expect(readJson(storePath(gw.state, 'ops')).profiles['anthropic:claude-cli'].token).toBe(tok);
    expect(findLeaks(r.stdout + r.stderr, [tok])).toEqual([]);
    expect(fs.existsSync(local)).toBe(false);
  }, 60_000);

  const failing: Array<{ name: string; args: (gw: string[]) => string[]; expectMsg: RegExp; hint?: RegExp; setup?: (tok: string) => void }> = [
    {
      name: 'a wrong host key',
      args: (gw) => ['--remote', 'gw-badkey', ...gw],
      expectMsg: /ssh refused gw-badkey's host key \(Host key for .* has changed.*\); nothing was sent, nothing was written on this machine/,
      hint: /ssh-keygen -R/,
    },
    {
      name: 'a refused login',
      args: (gw) => ['--remote', 'gw-stranger', ...gw],
      expectMsg: /gw-stranger refused the login \(.*Permission denied.*\).*nothing was sent/,
      hint: /ssh-add -l/,
    },
    {
      name: 'no clawdia on the gateway',
      args: () => ['--remote', 'gw', '--remote-command', 'clawdia-not-installed-here'],
      expectMsg: /clawdia is not installed on gw: `clawdia-not-installed-here` was not found there/,
      hint: /npm install && npm link/,
    },
    {
      name: 'a clawdia too old on the gateway',
      args: () => ['--remote', 'gw', '--remote-command', "sh -c 'echo 0.1.0' sh"],
      expectMsg: /gw runs clawdia 0\.1\.0; --remote needs 0\.2\.0 or newer there/,
      hint: /Update clawdia on gw/,
    },
    {
      name: 'an invalid verdict from the gateway (the API answers 401)',
      args: (gw) => ['--remote', 'gw', ...gw],
      setup: (tok) => api.setBehavior(tok, 'invalid'),
      expectMsg: /gw did not store it: .*401.*Nothing was stored\./,
    },
  ];
  for (const f of failing) {
    it(`${f.name}: its own message, exit 1, nothing written on either side`, async () => {
      const local = tempState();
      const tok = makeSecret('oat');
      f.setup?.(tok);
      const gw = newGateway();
      const before = snapshot(gw.state);
      const r = await runCli(['models', 'auth', 'paste-token', ...f.args(gw.args), ...SLOW_OK], { env: localEnv(local), stdin: tok, timeoutMs: 50_000 });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(f.expectMsg);
      if (f.hint) expect(r.stderr).toMatch(f.hint);
      expect(r.stdout).toBe('');
      expect(findLeaks(r.stdout + r.stderr, [tok])).toEqual([]);
      expectNothingWritten(local, gw.state, before);
    }, 60_000);
  }

  async function midFlight(
    agent: string,
    act: (remote: Proc, local: ChildProcess) => void,
    wrapper = false,
  ): Promise<{ r: RunResult; remote: Proc; tok: string; local: string; gateway: string; before: Record<string, string> }> {
    const local = tempState();
    const tok = makeSecret('oat');
    // The API would say `valid` after a while: a gateway command that outlived its connection would
    // then store it. It has to notice the drop first (its own --timeout is longer still).
    api.setBehavior(tok, 'valid', { delayMs: HELD_MS });
    const gw = newGateway({ wrapper });
    const before = snapshot(gw.state);
    let child: ChildProcess | undefined;
    const running = new Promise<RunResult>((resolve, reject) => {
      child = spawn(process.execPath, [BIN, 'models', 'auth', 'paste-token', '--remote', 'gw', ...gw.args, '--agent', agent, '--timeout', '120000'], {
        env: localEnv(local),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      child.stdin!.end(tok);
    });
    // The gateway's clawdia is up and waiting for the API (which hangs on this token). Generous
    // waits: this machine's load varies a lot; a run that ended early fails with its own words.
    let early: RunResult | undefined;
    void running.then((r) => (early = r));
    const alive = <T>(v: T) => {
      if (early) throw new Error(`clawdia ended before the gateway's check started (exit ${early.code}):\n${early.stderr}`);
      return v;
    };
    // The request first (a look at the fake API's list), then the process that sent it, which waits
    // for the answer: one walk of /proc rather than one every 20 ms until the gateway's clawdia starts.
    await until(
      'the live check to reach the API',
      () => alive(api.requests.some((q) => q.answered === undefined && q.credential?.endsWith(`${tok.slice(-4)} (108 chars)`))),
      40_000,
    );
    const remote = await until(
      'the gateway paste-token to run',
      () => alive(processes().find((p) => isRemotePaste(p) && p.args.includes(`--agent ${agent}`))),
      10_000,
    );
    act(remote, child!);
    const r = await running;
    return { r, remote, tok, local, gateway: gw.state, before };
  }

  it('a cut connection (the sshd session killed mid-check, clawdia behind a wrapper that outlives it): "connection lost", the gateway stops without writing, nothing here', async () => {
    const { r, remote, tok, local, gateway, before } = await midFlight(
      'cut',
      (remote) => {
        const session = sshdSession(remote.pid);
        expect(session).not.toBe(remote.ppid); // the wrapper shell sits in between
        process.kill(session, 'SIGKILL');
      },
      true,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /The connection to gw was lost while the gateway was handling the credential.*the gateway's clawdia stops without writing when its connection drops; nothing was written on this machine/,
    );
    // The orphaned gateway command noticed and stopped (it would otherwise wait for the API, then write).
    await until('the gateway paste-token to stop', () => gone(remote.pid), HELD_MS / 2);
    expect(findLeaks(r.stderr, [tok])).toEqual([]);
    // Past the moment the API answers: still nothing there.
    expectNothingWritten(local, gateway, before);
  }, 90_000);

  it('Ctrl-C (SIGINT) stops both sides: exit 130, the gateway command is gone, nothing written', async () => {
    const { r, remote, local, gateway, before } = await midFlight('ctrlc', (_remote, child) => child.kill('SIGINT'));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Cancelled.');
    await until('the gateway paste-token to stop', () => gone(remote.pid), HELD_MS / 2);
    // Past the moment the API answers: still nothing there.
    expectNothingWritten(local, gateway, before);
  }, 90_000);

  it("ssh's own questions reach the terminal (a key passphrase, asked for each connection) while no screen reads it", async () => {
    const local = tempState();
    const tok = makeSecret('oat');
    const gw = newGateway();
    const p = startWizard(local, ['models', 'auth', 'paste-token', '--remote', 'gw-locked', ...gw.args, ...SLOW_OK], {
      api: 'http://127.0.0.1:9',
      env: { CLAWDIA_SSH_COMMAND: `ssh -F ${sshConfig}` },
    });
    const asked = () => (plainText(p.output()).match(/Enter passphrase for key/g) ?? []).length;
    try {
      await until('ssh to ask for the passphrase (check)', () => asked() >= 1, 30_000);
      p.write(PASSPHRASE + ENTER);
      await p.waitFor('Setup-token for agent main on gw-locked', 30_000);
      p.write(bracketedPaste(tok));
      await p.waitFor('(108 chars)');
      p.write(ENTER);
      await until('ssh to ask again (send)', () => asked() >= 2, 30_000);
      p.write(PASSPHRASE + ENTER);
      await until('ssh to ask again (status)', () => asked() >= 3, 30_000);
      p.write(PASSPHRASE + ENTER);
      await p.waitFor('Nothing was written on this machine', 30_000);
      expect((await p.exited).exitCode).toBe(0);
      expect(readJson(storePath(gw.state)).profiles['anthropic:claude-cli'].token).toBe(tok);
      const out = plainText(p.output());
      expect(out).not.toContain(PASSPHRASE);
      expect(findLeaks(out, [tok])).toEqual([]);
      expect(fs.existsSync(local)).toBe(false);
    } finally {
      p.dispose();
    }
  }, 90_000);

  it('no terminal at all (a new session, no /dev/tty): BatchMode, and the host-key question ssh would ask becomes a clear error', async () => {
    const local = tempState();
    const gw = newGateway();
    const r = await new Promise<RunResult>((resolve, reject) => {
      // detached: setsid, so the child has no controlling terminal even when the tests run in one.
      const child = spawn(process.execPath, [BIN, 'models', 'auth', 'paste-token', '--remote', 'gw-new', ...gw.args], {
        env: localEnv(local),
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      child.stdin!.end(makeSecret('oat'));
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('no terminal: BatchMode');
    expect(r.stderr).toMatch(
      /ssh refused gw-new's host key \(.*\) \(no terminal here: ssh ran with BatchMode=yes, so it could not ask .* a new host key\); nothing was sent/,
    );
    expect(fs.readFileSync(path.join(dir, 'empty_known_hosts'), 'utf8')).toBe('');
    expect(fs.existsSync(local)).toBe(false);
    expect(fs.existsSync(gw.state)).toBe(false);
  }, 60_000);

  it('usage: a destination that looks like an option, and claude-cli over --remote, are refused (exit 2) before any ssh', async () => {
    const local = tempState();
    const a = await runCli(['models', 'auth', 'paste-token', '--remote', '-oProxyCommand=touch /tmp/x'], { env: localEnv(local), stdin: 'x' });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--remote takes an ssh destination');
    const b = await runCli(['onboard', '--remote', 'gw', '--non-interactive', '--auth-choice', 'claude-cli'], { env: localEnv(local), stdin: '' });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('sync-claude-cli');
    expect(fs.existsSync(local)).toBe(false);
  }, 30_000);
});
