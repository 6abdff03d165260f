// The pure parts of `--remote`: the ssh argv, the remote command line, version checks, how each
// ssh/remote outcome is worded (which side, why, nothing written), redaction of what the far side
// says, and the remote wizard's reducer.
import { describe, expect, it } from 'vitest';
import { sshArgs, sshCommandWords } from '../../src/adapters/ssh.js';
import { pasteCommand } from '../../src/app/remote.js';
import {
  checkDestination,
  classify,
  parseVersion,
  redactRemote,
  RemoteError,
  shellQuote,
  versionAtLeast,
  type RemoteTarget,
} from '../../src/app/remote-words.js';
import { CancelledError, UsageError } from '../../src/core/errors.js';
import type { SshResult } from '../../src/ports.js';
import {
  initialRemote,
  reduceRemote,
  remoteMethodChoices,
  type RemoteEvent,
  type RemoteFlowOptions,
  type RemoteFlowState,
} from '../../src/wizard/remote-flow.js';
import { makeSecret } from '../support/cli.js';

const t: RemoteTarget = { dest: 'gw', command: 'clawdia', batch: false };
const res = (o: Partial<SshResult>): SshResult => ({
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  cancelled: false,
  notFound: false,
  ms: 1,
  ...o,
});

describe('ssh argv', () => {
  it('splits CLAWDIA_SSH_COMMAND like a shell would (quotes group), default ssh', () => {
    expect(sshCommandWords(undefined)).toEqual(['ssh']);
    expect(sshCommandWords(`ssh -F "/tmp/my dir/cfg" -o 'ProxyJump bastion'`)).toEqual(['ssh', '-F', '/tmp/my dir/cfg', '-o', 'ProxyJump bastion']);
  });
  it('no pty, BatchMode only without a terminal, the destination after --, the command as one word', () => {
    const a = sshArgs(['ssh', '-F', 'cfg'], { dest: 'gw', command: 'clawdia --version', batch: false });
    expect(a.slice(0, 3)).toEqual(['-F', 'cfg', '-T']);
    expect(a).not.toContain('BatchMode=yes');
    expect(a.slice(-3)).toEqual(['--', 'gw', 'clawdia --version']);
    expect(sshArgs(['ssh'], { dest: 'gw', command: 'x', batch: true })).toContain('BatchMode=yes');
  });
  it('a destination that ssh would read as an option, or a credential, is a usage error', () => {
    expect(() => checkDestination('-oProxyCommand=sh')).toThrow(UsageError);
    expect(() => checkDestination('gw extra')).toThrow(UsageError);
    expect(() => checkDestination(makeSecret('oat'))).toThrow(/not a credential/);
    expect(checkDestination(' admin@gw ')).toBe('admin@gw');
  });
  it('the paste command line carries flags, quoted, and never the secret', () => {
    const c = pasteCommand(
      { ...t, command: 'node ~/c/bin/clawdia.js' },
      { kind: 'token', agent: 'ops', profileId: 'anthropic:work', expiresInMs: 86_400_000, timeoutMs: 5000, skipValidation: false, saveUnverified: true },
    );
    expect(c).toBe(
      'node ~/c/bin/clawdia.js models auth paste-token --provider anthropic --token-stdin --json --agent ops --timeout 5000 --profile-id anthropic:work --expires-in 86400000 --save-unverified',
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('versions', () => {
  it('reads `clawdia --version` and compares with the minimum', () => {
    expect(parseVersion('0.2.0\n')).toEqual([0, 2, 0]);
    expect(parseVersion('bash: clawdia: command not found')).toBeNull();
    expect(versionAtLeast([0, 1, 9], '0.2.0')).toBe(false);
    expect(versionAtLeast([0, 2, 0], '0.2.0')).toBe(true);
    expect(versionAtLeast([1, 0, 0], '0.2.0')).toBe(true);
  });
});

describe('classify: which side failed, why, and that nothing was written here', () => {
  const kind = (r: SshResult, phase: 'connect' | 'send' = 'connect', target = t) => {
    const e = classify(r, target, phase);
    return e instanceof RemoteError ? [e.side, e.kind, e.message] : e instanceof CancelledError ? ['local', 'cancelled', e.message] : null;
  };
  it.each([
    [
      'host key changed',
      res({
        exitCode: 255,
        stderr:
          '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key for gw has changed and you have requested strict checking.\nHost key verification failed.\n',
      }),
      'ssh',
      'host-key',
    ],
    ['login refused', res({ exitCode: 255, stderr: 'root@127.0.0.1: Permission denied (publickey).\n' }), 'ssh', 'login-refused'],
    ['unreachable', res({ exitCode: 255, stderr: 'ssh: connect to host gw port 22: Connection refused\n' }), 'ssh', 'unreachable'],
    ['clawdia missing', res({ exitCode: 127, stderr: 'bash: line 1: clawdia: command not found\n' }), 'remote', 'not-installed'],
    ['usage error there', res({ exitCode: 2, stderr: "error: unknown option '--token-stdin'\n" }), 'remote', 'remote-usage'],
    ['stopped there', res({ exitCode: 129 }), 'remote', 'remote-stopped'],
    ['timeout', res({ exitCode: null, timedOut: true }), 'ssh', 'timeout'],
  ])('%s', (_n, r, side, k) => {
    const [s, kk, msg] = kind(r)!;
    expect([s, kk]).toEqual([side, k]);
    expect(msg).toContain('nothing was written on this machine');
  });
  it('a connection lost while sending says the gateway stops without writing', () => {
    const [side, k, msg] = kind(res({ exitCode: 255, stderr: 'Connection to 127.0.0.1 closed by remote host.\n' }), 'send')!;
    expect([side, k]).toEqual(['ssh', 'connection-lost']);
    expect(msg).toMatch(/lost while the gateway was handling the credential .*stops without writing/);
  });
  it('in BatchMode, a refused login says ssh could not ask', () => {
    expect(kind(res({ exitCode: 255, stderr: 'Permission denied (publickey,password).\n' }), 'connect', { ...t, batch: true })![2]).toContain('BatchMode=yes');
  });
  it("the gateway's refusal keeps its words (redacted) and whether --save-unverified may keep it", () => {
    const tok = makeSecret('oat');
    const e = classify(
      res({
        exitCode: 1,
        stderr: `Checking ${tok} …\nerror: The API answered 403. Nothing was stored.\nhint: Check the account. To keep it anyway, add --save-unverified.\n`,
      }),
      t,
      'send',
      tok,
    ) as RemoteError;
    expect(e.kind).toBe('refused');
    expect(e.message).toBe('gw did not store it: The API answered 403. Nothing was stored.');
    expect(e.canSaveUnverified).toBe(true);
    expect(e.details.join('\n')).not.toContain(tok.slice(20));
  });
  it('a cancelled run is a CancelledError; success is no error', () => {
    expect(classify(res({ exitCode: null, cancelled: true }), t, 'send')).toBeInstanceOf(CancelledError);
    expect(classify(res({ exitCode: 0 }), t, 'send')).toBeNull();
  });
});

describe('redactRemote', () => {
  it('masks sk-ant-… shapes, the sent secret whatever its shape, and escape sequences', () => {
    const key = makeSecret('api');
    const odd = 'not-shaped-like-a-key-but-secret-1234567890';
    const out = redactRemote(`a ${key} b ${odd} \u001b[31mred\u001b[0m \u001b]0;title\u0007`, odd);
    expect(out).not.toContain(key.slice(15));
    expect(out).not.toContain(odd);
    expect(out).toContain('red');
    expect(out).not.toContain('\u001b');
  });
});

describe('the remote wizard (reduceRemote)', () => {
  const opts = (o: Partial<RemoteFlowOptions> = {}): RemoteFlowOptions => ({
    mode: 'onboard',
    dest: 'gw',
    version: '0.2.0',
    agent: 'main',
    profiles: [],
    activeProfile: null,
    claudeFound: true,
    setupTokenTimeoutMs: 60_000,
    ...o,
  });
  const run = (s: RemoteFlowState, ...events: RemoteEvent[]) => events.reduce((acc, e) => reduceRemote(acc, e, 1000), s);

  it('offers A, B, C; D (Claude Code login) is shown disabled with the gateway-side alternative; B disabled without claude', () => {
    const c = remoteMethodChoices(initialRemote(opts(), 0));
    expect(c.map((x) => [x.key, !!x.disabled])).toEqual([
      ['A', false],
      ['B', false],
      ['C', false],
      ['D', true],
    ]);
    expect(c[3]!.hints.join(' ')).toContain('sync-claude-cli');
    expect(remoteMethodChoices(initialRemote(opts({ claudeFound: false }), 0))[1]!.disabled).toBe(true);
  });
  it('a pasted token of the wrong shape stays on the input with a notice; a good one goes to sending', () => {
    let s = run(initialRemote(opts(), 0), { type: 'method-chosen', method: 'paste-token' });
    expect(s.step).toBe('enter-credential');
    s = run(s, { type: 'credential-submitted', raw: makeSecret('api') });
    expect(s.step).toBe('enter-credential');
    expect(s.notice?.tone).toBe('error');
    const tok = makeSecret('oat');
    s = run(s, { type: 'credential-submitted', raw: tok.slice(0, 60) + '\n' + tok.slice(60) });
    expect(s.step).toBe('sending');
    expect(s.credential?.secret).toBe(tok);
  });
  it('refused with a verdict that may be kept: keep-anyway resends with saveUnverified; a transport failure offers send-again', () => {
    let s = run(initialRemote(opts(), 0), { type: 'method-chosen', method: 'api-key' }, { type: 'credential-submitted', raw: makeSecret('api') });
    s = run(s, { type: 'send-failed', failure: { message: 'offline', details: [], refused: true, canSaveUnverified: true } });
    expect(s.step).toBe('refused');
    s = run(s, { type: 'keep-anyway' });
    expect([s.step, s.saveUnverified]).toEqual(['sending', true]);
    s = run(s, { type: 'send-failed', failure: { message: 'lost', details: [], refused: false, canSaveUnverified: false } });
    expect(s.step).toBe('send-failed');
    expect(run(s, { type: 'keep-anyway' }).step).toBe('send-failed');
    expect(run(s, { type: 'send-again' }).step).toBe('sending');
    const back = run(s, { type: 'other-method' });
    expect([back.step, back.credential, back.notice?.text]).toEqual(['choose-method', null, 'lost']);
    expect(run(s, { type: 'quit' })).toMatchObject({ step: 'failed', exitCode: 1 });
  });
  it('setup-token mode: straight to the child; its failure ends the command; Esc at the first step cancels (130)', () => {
    const s = initialRemote(opts({ mode: 'setup-token' }), 0);
    expect(s.step).toBe('running-setup-token');
    expect(run(s, { type: 'setup-finished', result: { ok: false, failure: 'exit_code', message: 'x', exitCode: 1 } })).toMatchObject({
      step: 'failed',
      exitCode: 1,
    });
    expect(run(initialRemote(opts(), 0), { type: 'went-back' })).toMatchObject({ step: 'cancelled', exitCode: 130 });
    const tok = makeSecret('oat');
    const done = run(s, { type: 'setup-finished', result: { ok: true, token: tok, expiresInMs: 1000 } });
    expect([done.step, done.credential?.expiresInMs]).toEqual(['sending', 1000]);
  });
});

describe('the report after a --remote save', () => {
  it("names the agent in its next step even for main: the remote's default agent is not known here", async () => {
    const { reportText } = await import('../../src/commands/remote-report.js');
    for (const agent of ['main', 'work']) {
      const saved = {
        agent,
        profileId: 'anthropic:default',
        type: 'api_key',
        fingerprint: 'sk-ant-api…abcd',
        verdict: 'valid',
        requestId: null,
        expiresAt: null,
        activeProfile: 'anthropic:default',
      };
      const lines = reportText({ dest: 'gw', command: 'clawdia', version: '0.2.0', saved, status: null, statusError: null, warnings: [] }, 0);
      expect(lines.at(-1)).toBe(`Nothing was written on this machine. Next: ssh gw clawdia models status --agent ${agent}`);
    }
  });
});
