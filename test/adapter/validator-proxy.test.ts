// HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (SPEC §9: Node's fetch ignores them by default).
// Its own file: switching the proxy on is process-wide, and vitest runs each file in its own process.
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createValidator } from '../../src/adapters/validator.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';

let api: FakeApi;
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];
const tunnels = new Set<Socket>();

beforeAll(async () => {
  api = await startFakeApi({ defaultBehavior: 'valid' });
  // A minimal forward proxy: Node's fetch tunnels through CONNECT (even to http:// targets);
  // plain absolute-form requests are forwarded too.
  proxy = createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    proxied.push(`${req.method} ${target.pathname}`);
    const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client, head) => {
    proxied.push(`CONNECT ${req.url}`);
    // Every host is the fake API: `fake-api.test` resolves only here, so a request that reached
    // the fake through this name went through the proxy.
    const port = Number((req.url ?? '').split(':').at(-1));
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream).add(client as Socket);
    upstream.on('close', () => client.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of tunnels) socket.destroy();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await api.close();
});

const key = () => 'sk-ant-api03-' + randomBytes(72).toString('base64url').slice(0, 95);
const envOf = (vars: Record<string, string>) => ({ get: (n: string) => vars[n] });

it('goes through HTTPS_PROXY / HTTP_PROXY from the Env port', async () => {
  // Plain http to a host that is not loopback: sent only with --allow-insecure-base-url (issue 9 §3).
  const base = `http://fake-api.test:${api.port}`;
  const env = envOf({ ANTHROPIC_BASE_URL: base, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl });
  const refused = await createValidator(env).validate({ kind: 'api_key', secret: key(), timeoutMs: 5000 });
  expect(refused).toMatchObject({ verdict: 'offline', reason: 'insecure_base_url' });
  expect(proxied).toEqual([]);
  const o = await createValidator(env, { allowInsecureBaseUrl: true }).validate({ kind: 'api_key', secret: key(), timeoutMs: 5000 });
  expect(o).toMatchObject({ verdict: 'valid', baseUrl: base });
  expect(proxied).toEqual([`CONNECT fake-api.test:${api.port}`]);
  expect(api.requests).toHaveLength(1);
});

it('a redirect answered through the proxy is not followed either (the fetch with redirect: manual keeps the proxy)', async () => {
  proxied.length = 0;
  const target = createServer((req, res) => {
    res.writeHead(308, { location: `http://elsewhere.test:1${req.url ?? '/'}` });
    res.end();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  try {
    const port = (target.address() as AddressInfo).port;
    const env = envOf({ ANTHROPIC_BASE_URL: `http://fake-api.test:${port}`, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl });
    const o = await createValidator(env, { allowInsecureBaseUrl: true }).validate({ kind: 'token', secret: key().replace('api03', 'oat01'), timeoutMs: 5000 });
    expect(o).toMatchObject({ verdict: 'redirected', httpStatus: 308 });
    expect(o.message).toContain('answered a redirect to elsewhere.test:1; nothing was sent there');
    expect(proxied).toEqual([`CONNECT fake-api.test:${port}`]);
  } finally {
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});

it('loopback and NO_PROXY hosts go direct', async () => {
  proxied.length = 0;
  const env = { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: 'example.internal' };
  const direct = await createValidator(envOf({ ...env, ANTHROPIC_BASE_URL: api.url })).validate({ kind: 'api_key', secret: key(), timeoutMs: 5000 });
  expect(direct.verdict).toBe('valid');
  expect(proxied).toEqual([]);
});
