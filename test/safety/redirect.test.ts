// A credential goes to the API host and nowhere else (issue 9 §3). The base URL is a loopback server
// that answers every request with a redirect (301/302/303/307/308) to a second loopback server; the
// second records every request and answers 200 like the API would (so a followed redirect "passes").
// From paste-api-key, paste-token and `models status --probe`: the second server never sees a
// request (so never an x-api-key or Authorization header), the command exits 1 saying where the
// redirect pointed, and the state dir is byte-identical. Plain-http base URLs to another host are
// refused unless --allow-insecure-base-url, whose warning reaches stderr in --json and
// --non-interactive runs too.
//
// Every redirect status goes through the real validator (the one place that sees the HTTP status:
// adapters/validator.ts) in process, for an API key and a token; through the built CLI each status
// reaches two of the four commands in turn, so every command meets at least two statuses
// (issue 12: the 20 runs of a validating CLI became 10).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidator } from '../../src/adapters/validator.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { baseEnv, configPath, makeSecret, runCli, snapshot, storePath, writeJson, type RunResult } from '../support/cli.js';
import { freshState } from './helpers.js';

const REDIRECTS = [301, 302, 303, 307, 308] as const;

interface Recorder {
  url: string;
  port: number;
  seen: IncomingHttpHeaders[];
  server: Server;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const close = (s: Server) =>
  new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });

/** The other host: records every request's headers, answers like the API (a model list, a message). */
async function startRecorder(): Promise<Recorder> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_other_host' });
    res.end(
      req.url?.startsWith('/v1/models')
        ? JSON.stringify({
            data: [{ type: 'model', id: 'claude-haiku-4-5', display_name: 'Haiku', created_at: '2025-10-01T00:00:00Z' }],
            has_more: false,
            first_id: null,
            last_id: null,
          })
        : JSON.stringify({
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-haiku-4-5',
            content: [{ type: 'text', text: 'Hi' }],
            stop_reason: 'max_tokens',
            stop_sequence: null,
            usage: { input_tokens: 8, output_tokens: 1 },
          }),
    );
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen, server };
}

/** The base URL: every request answered with `status` and a Location on the recorder (same path). */
async function startRedirector(status: number, target: string): Promise<{ url: string; hits: number[]; server: Server }> {
  const hits: number[] = [];
  const server = createServer((req, res) => {
    hits.push(status);
    req.resume();
    res.writeHead(status, { location: `${target}${req.url ?? '/'}`, 'content-type': 'text/plain' });
    res.end('moved');
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, hits, server };
}

let other: Recorder;
beforeAll(async () => {
  other = await startRecorder();
});
afterAll(async () => {
  await close(other.server);
});

function seeded(): { state: string; key: string; token: string } {
  const state = freshState();
  const key = makeSecret('api');
  const token = makeSecret('oat');
  writeJson(configPath(state), {
    agents: { list: [{ id: 'main', default: true }] },
    auth: { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'api_key' }, 'anthropic:claude-cli': { provider: 'anthropic', mode: 'oauth' } } },
  });
  writeJson(storePath(state), {
    version: 1,
    profiles: {
      'anthropic:default': { type: 'api_key', provider: 'anthropic', key },
      'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token, expires: Date.now() + 30 * 86_400_000 },
    },
  });
  return { state, key, token };
}

const credentialHeaders = (seen: IncomingHttpHeaders[]) => seen.filter((h) => h['x-api-key'] !== undefined || h.authorization !== undefined);

describe('a redirect from the base URL is a verdict of its own; the credential never follows it', () => {
  it('every status, through the validator in process: an API key and a token, verdict redirected, nothing sent to the other host', async () => {
    for (const status of REDIRECTS) {
      const redirector = await startRedirector(status, other.url);
      try {
        other.seen.length = 0;
        const validator = createValidator({ get: (n) => (n === 'ANTHROPIC_BASE_URL' ? redirector.url : undefined) });
        for (const [kind, secret] of [
          ['api_key', makeSecret('api')],
          ['token', makeSecret('oat')],
        ] as const) {
          const o = await validator.validate({ kind, secret, timeoutMs: 10_000 });
          expect(o, `${status} ${kind}`).toMatchObject({ verdict: 'redirected', httpStatus: status });
          expect(o.message).toContain(`answered a redirect to 127.0.0.1:${other.port}; nothing was sent there`);
          expect(JSON.stringify(o)).not.toContain(secret.slice(20, 40));
        }
        expect(redirector.hits.length, `${status}`).toBeGreaterThanOrEqual(2);
        expect(other.seen).toEqual([]);
      } finally {
        await close(redirector.server);
      }
    }
  });

  type Cmd = 'paste-api-key' | 'paste-token' | 'status --probe' | 'status --probe --json';
  const CMDS: Cmd[] = ['paste-api-key', 'paste-token', 'status --probe', 'status --probe --json'];
  /** Status i goes through commands i and i+1 (mod 4): every command meets two or three statuses. */
  const cmdsFor = (i: number): Cmd[] => [CMDS[i % CMDS.length]!, CMDS[(i + 1) % CMDS.length]!];

  REDIRECTS.forEach((status, i) => {
    it(`${status}: ${cmdsFor(i).join(' and ')} send nothing to the other host, exit 1, write nothing`, async () => {
      const redirector = await startRedirector(status, other.url);
      try {
        other.seen.length = 0;
        const { state } = seeded();
        const before = snapshot(state);
        const env = baseEnv(state, { ANTHROPIC_BASE_URL: redirector.url });
        const argv: Record<Cmd, () => Promise<RunResult>> = {
          'paste-api-key': () =>
            runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--profile-id', 'anthropic:new-key'], { env, stdin: makeSecret('api') }),
          'paste-token': () =>
            runCli(['models', 'auth', 'paste-token', '--provider', 'anthropic', '--profile-id', 'anthropic:new-token'], { env, stdin: makeSecret('oat') }),
          'status --probe': () => runCli(['models', 'status', '--probe'], { env }),
          'status --probe --json': () => runCli(['models', 'status', '--probe', '--json'], { env }),
        };
        const cmds = cmdsFor(i);
        const runs = await Promise.all(cmds.map((c) => argv[c]()));
        expect(redirector.hits.length).toBeGreaterThanOrEqual(cmds.length); // every command did reach the base URL
        expect(credentialHeaders(other.seen)).toEqual([]);
        expect(other.seen).toEqual([]);
        for (const r of runs) {
          expect(r.code, r.stderr).toBe(1);
          expect(r.stderr).toContain(`answered a redirect to 127.0.0.1:${other.port}; nothing was sent there`);
        }
        expect(snapshot(state)).toEqual(before);
        // The probe says so about each profile, and never that the API judged the credential.
        const probe = runs[cmds.indexOf('status --probe --json')];
        if (probe) {
          for (const p of JSON.parse(probe.stdout).auth.profiles) {
            expect(p.probe.verdict).toBe('redirected');
            expect(p.problem ?? '').not.toMatch(/answered 4\d\d/);
          }
        }
      } finally {
        await close(redirector.server);
      }
    });
  });

  it('every command met at least two statuses', () => {
    for (const c of CMDS) expect(REDIRECTS.filter((_, i) => cmdsFor(i).includes(c)).length, c).toBeGreaterThanOrEqual(2);
  });

  it('--save-unverified does not keep a credential whose check was redirected', async () => {
    const redirector = await startRedirector(307, other.url);
    try {
      other.seen.length = 0;
      const { state } = seeded();
      const before = snapshot(state);
      const env = baseEnv(state, { ANTHROPIC_BASE_URL: redirector.url });
      const r = await runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--profile-id', 'anthropic:x', '--save-unverified', '--json'], {
        env,
        stdin: makeSecret('api'),
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(other.seen).toEqual([]);
      expect(snapshot(state)).toEqual(before);
    } finally {
      await close(redirector.server);
    }
  });
});

describe('plain http to another host', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi({ defaultBehavior: 'valid' });
  });
  afterAll(async () => {
    await api.close();
  });

  // 0.0.0.0 reaches this machine on Linux but is not loopback by the rule (127.0.0.0/8, ::1,
  // localhost): it stands for a remote plain-http gateway without leaving the host.
  const remote = () => `http://0.0.0.0:${api.port}`;

  it('is refused before anything is read or sent, by every command that sends a credential (exit 1)', async () => {
    const { state } = seeded();
    const before = snapshot(state);
    api.reset();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: remote(), ANTHROPIC_API_KEY: makeSecret('api') });
    const runs = await Promise.all([
      runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic'], { env, stdin: makeSecret('api') }),
      runCli(['models', 'auth', 'paste-token', '--provider', 'anthropic', '--json'], { env, stdin: makeSecret('oat') }),
      runCli(['models', 'auth', 'sync-claude-cli'], { env }),
      runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--json'], { env }),
      runCli(['models', 'status', '--probe'], { env }),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`ANTHROPIC_BASE_URL=http://0.0.0.0:${api.port} is plain http to a host that is not this machine`);
      expect(r.stderr).toContain('--allow-insecure-base-url');
    }
    expect(api.requests).toEqual([]);
    expect(snapshot(state)).toEqual(before);
    // Reading is not sending: status without --probe still works.
    expect((await runCli(['models', 'status'], { env })).code).toBe(0);
  });

  it('--allow-insecure-base-url sends it, with a warning on stderr in --json and --non-interactive runs', async () => {
    const { state } = seeded();
    api.reset();
    const env = baseEnv(state, { ANTHROPIC_BASE_URL: remote() });
    const paste = await runCli(
      ['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--profile-id', 'anthropic:k2', '--json', '--allow-insecure-base-url'],
      { env, stdin: makeSecret('api') },
    );
    expect(paste.code, paste.stderr).toBe(0);
    expect(paste.stderr).toMatch(
      /^warning: ANTHROPIC_BASE_URL=http:\/\/0\.0\.0\.0:\d+ is plain http to another host: the credential crosses the network unencrypted/m,
    );
    expect(JSON.parse(paste.stdout).verdict).toBe('valid');
    const onboard = await runCli(['onboard', '--non-interactive', '--auth-choice', 'api-key', '--token-stdin', '--allow-insecure-base-url', '--yes'], {
      env,
      stdin: makeSecret('api'),
    });
    expect(onboard.code, onboard.stderr).toBe(0);
    expect(onboard.stderr).toMatch(/^warning: ANTHROPIC_BASE_URL=.* plain http to another host/m);
    const probe = await runCli(['models', 'status', '--probe', '--json', '--allow-insecure-base-url'], { env });
    expect(probe.code, probe.stderr).toBe(0);
    expect(probe.stderr).toMatch(/^warning: ANTHROPIC_BASE_URL=/m);
    expect(api.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('loopback stays allowed without the flag (127.0.0.0/8, localhost), with no warning', async () => {
    const { state } = seeded();
    for (const base of [api.url, `http://localhost:${api.port}`]) {
      const r = await runCli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--profile-id', 'anthropic:lo', '--yes'], {
        env: baseEnv(state, { ANTHROPIC_BASE_URL: base }),
        stdin: makeSecret('api'),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('plain http');
    }
  });
});
