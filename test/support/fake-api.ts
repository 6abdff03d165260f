// A loopback stand-in for the Anthropic API that speaks its real wire format (status codes, error
// bodies, `request-id`, auth rules), so the real validator and the built CLI can be tested against
// it. What it answers is decided per credential: a registry secret → behavior, plus a default for
// every other secret.
//
// Standalone, for manual runs (Node ≥ 23.6 strips the types; nothing here needs a build):
//   npx node test/support/fake-api.ts --port 8787 --default valid [--retry-after 30]
// then `ANTHROPIC_BASE_URL=http://127.0.0.1:8787 npm start --silent -- …`.
//
// Secrets never leave this module in clear: recorded requests carry the credential headers as
// fingerprints (same format as src/core/credentials.ts fingerprint()), so a test that prints
// `requests` prints no secret.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAKE_BEHAVIORS = [
  /** 200 with a real body. */
  'valid',
  /** 401 authentication_error ("invalid x-api-key" / "Invalid bearer token"). */
  'invalid',
  /** 403 permission_error. */
  'forbidden',
  /** 400 invalid_request_error: only authorized for use with Claude Code. */
  'claude_code_only',
  /** 400 invalid_request_error: credit balance too low (every request). */
  'billing',
  /** An account without credit as the real API treats it: GET /v1/models (free) answers 200, a message 400 "credit balance is too low". */
  'no_credit',
  /** 429 rate_limit_error with `retry-after` (see `retryAfter`). */
  'rate_limited',
  /** 529 overloaded_error. */
  'overloaded',
  /** 500 api_error. */
  'server_error',
  /** Never answers (the socket stays open until close()). */
  'hang',
  /** POST /v1/messages: 404 not_found_error "model: <id>" for the first model this credential tries, 200 after. */
  'model_not_found_first',
  /** POST /v1/messages: 404 not_found_error "model: <id>" for every model. */
  'model_not_found_all',
  /** POST /v1/messages: 400 invalid_request_error about the model for the first model tried, 200 after. */
  'model_bad_request_first',
  /** Destroys the connection without an answer on the first request of this credential, then `valid`. */
  'reset_once',
  /** Destroys the connection without an answer, every time. */
  'reset',
] as const;

export type FakeBehavior = (typeof FAKE_BEHAVIORS)[number];

export interface FakeModel {
  id: string;
  display_name: string;
  created_at: string;
}

export const DEFAULT_FAKE_MODELS: readonly FakeModel[] = [
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-01T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
];

export interface BehaviorOptions {
  /** `retry-after` for `rate_limited`: seconds, or any string (an HTTP date). Default 30. */
  retryAfter?: number | string;
  /** Wait this long before answering (any behavior but `hang`). */
  delayMs?: number;
}

export interface FakeApiOptions extends BehaviorOptions {
  /** For secrets not in the registry. Default `invalid`. */
  defaultBehavior?: FakeBehavior;
  /** Initial registry: secret → behavior. */
  behaviors?: Record<string, FakeBehavior>;
  /** What GET /v1/models lists. Default DEFAULT_FAKE_MODELS. */
  models?: readonly FakeModel[];
  /** Default 0 (a free port). */
  port?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/models?limit=1000`. */
  path: string;
  /** Lower-cased names; `x-api-key` and `authorization` values are fingerprinted, never the secret. */
  headers: Record<string, string>;
  /** How a credential was sent. */
  auth: 'x-api-key' | 'bearer' | 'none';
  /** The credential's fingerprint, or null when none was sent. */
  credential: string | null;
  /** The parsed JSON body of a POST (the validator's bodies hold no secret), else undefined. */
  body?: unknown;
  /** What was answered: the status, or `hang` / `reset`. */
  answered?: number | 'hang' | 'reset';
}

export interface FakeApi {
  /** `http://127.0.0.1:<port>` — use as ANTHROPIC_BASE_URL. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Register how `secret` is answered; `'default'` sets the behavior for every unregistered secret. */
  setBehavior(secret: string | 'default', behavior: FakeBehavior, opts?: BehaviorOptions): void;
  /** Replace the model list of GET /v1/models. */
  setModels(models: readonly FakeModel[]): void;
  /** Forget recorded requests and per-credential counters (model_not_found_first, reset_once). */
  reset(): void;
  /** Stop listening and destroy every open connection (hanging ones included). */
  close(): Promise<void>;
}

interface Rule {
  behavior: FakeBehavior;
  opts: BehaviorOptions;
}

const OAUTH_BETA = 'oauth-2025-04-20';
/** The API's words for an account without credit (400 invalid_request_error). */
const LOW_CREDIT = 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.';

/** Same shape as src/core/credentials.ts fingerprint(); inlined so this file runs standalone. */
function redact(value: string): string {
  const m = /^sk-ant-[a-z]+\d*-/.exec(value);
  const prefix = m ? m[0] : value.startsWith('sk-ant-') ? 'sk-ant-' : '';
  const safe = value.length >= 40 && value.length - prefix.length >= 24;
  return `${prefix || '(unrecognized)'}…${safe ? value.slice(-4) : ''} (${value.length} chars)`;
}

function randomId(prefix: string): string {
  return prefix + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x');
}

export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const registry = new Map<string, Rule>();
  for (const [secret, behavior] of Object.entries(options.behaviors ?? {})) registry.set(secret, { behavior, opts: {} });
  let fallback: Rule = {
    behavior: options.defaultBehavior ?? 'invalid',
    opts: { retryAfter: options.retryAfter, delayMs: options.delayMs },
  };
  let models: readonly FakeModel[] = options.models ?? DEFAULT_FAKE_MODELS;
  const requests: RecordedRequest[] = [];
  /** Requests seen per secret, for the `…_first` / `…_once` behaviors. */
  const seen = new Map<string, number>();
  const messagesSeen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, rec: RecordedRequest, status: number, body: unknown, extra: Record<string, string> = {}) => {
    const requestId = randomId('req_');
    const payload = body && typeof body === 'object' && (body as { type?: unknown }).type === 'error' ? { ...body, request_id: requestId } : body;
    rec.answered = status;
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...extra });
    res.end(JSON.stringify(payload));
  };
  const error = (res: ServerResponse, rec: RecordedRequest, status: number, type: string, message: string, extra?: Record<string, string>) =>
    send(res, rec, status, { type: 'error', error: { type, message } }, { 'x-should-retry': String(status === 429 || status >= 500), ...extra });

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const apiKeyHeader = headers['x-api-key'];
    const authorization = headers['authorization'];
    const bearer = authorization && /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '').trim() : undefined;
    if (apiKeyHeader !== undefined) headers['x-api-key'] = redact(apiKeyHeader);
    if (authorization !== undefined) headers['authorization'] = bearer !== undefined ? `Bearer ${redact(bearer)}` : '(redacted)';
    // Like the real API, x-api-key wins when both are sent.
    const auth: RecordedRequest['auth'] = apiKeyHeader ? 'x-api-key' : bearer ? 'bearer' : 'none';
    const secret = apiKeyHeader || bearer || '';
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers, auth, credential: secret ? redact(secret) : null };
    requests.push(rec);

    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
        rec.body = body;
      } catch {
        return error(res, rec, 400, 'invalid_request_error', 'There was an issue with the request body: the body is not valid JSON.');
      }
    }

    const route =
      req.method === 'GET' && url.pathname === '/v1/models' ? 'models' : req.method === 'POST' && url.pathname === '/v1/messages' ? 'messages' : null;
    if (!route) return error(res, rec, 404, 'not_found_error', 'Not Found');

    // Authentication, as the real API does it.
    if (auth === 'none') return error(res, rec, 401, 'authentication_error', 'x-api-key header is required');
    if (auth === 'x-api-key' && !secret.startsWith('sk-ant-api')) return error(res, rec, 401, 'authentication_error', 'invalid x-api-key');
    if (auth === 'bearer' && secret.startsWith('sk-ant-oat')) {
      const betas = (headers['anthropic-beta'] ?? '').split(',').map((b) => b.trim());
      if (!betas.includes(OAUTH_BETA)) return error(res, rec, 401, 'authentication_error', 'OAuth authentication is currently not supported.');
    }
    if (auth === 'bearer' && !secret.startsWith('sk-ant-oat') && !secret.startsWith('sk-ant-api')) {
      return error(res, rec, 401, 'authentication_error', 'Invalid bearer token');
    }

    const rule = registry.get(secret) ?? fallback;
    const count = (seen.get(secret) ?? 0) + 1;
    seen.set(secret, count);

    if (rule.behavior === 'hang') {
      rec.answered = 'hang';
      return;
    }
    if (rule.behavior === 'reset' || (rule.behavior === 'reset_once' && count === 1)) {
      rec.answered = 'reset';
      req.socket.destroy();
      return;
    }
    const delay = rule.opts.delayMs ?? fallback.opts.delayMs ?? 0;
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, delay);
        timers.add(t);
      });
      if (res.destroyed || req.socket.destroyed) return;
    }

    switch (rule.behavior) {
      case 'invalid':
        return error(res, rec, 401, 'authentication_error', auth === 'x-api-key' ? 'invalid x-api-key' : 'Invalid bearer token');
      case 'forbidden':
        return error(res, rec, 403, 'permission_error', 'Your API key does not have permission to use the specified resource.');
      case 'claude_code_only':
        return error(
          res,
          rec,
          400,
          'invalid_request_error',
          'This credential is only authorized for use with Claude Code and cannot be used for other API requests.',
        );
      case 'billing':
        return error(res, rec, 400, 'invalid_request_error', LOW_CREDIT);
      case 'no_credit':
        if (route === 'messages') return error(res, rec, 400, 'invalid_request_error', LOW_CREDIT);
        break;
      case 'rate_limited': {
        const retryAfter = rule.opts.retryAfter ?? fallback.opts.retryAfter ?? 30;
        return error(res, rec, 429, 'rate_limit_error', 'This request would exceed your organization’s rate limit. Please try again later.', {
          'retry-after': String(retryAfter),
        });
      }
      case 'overloaded':
        return error(res, rec, 529, 'overloaded_error', 'Overloaded');
      case 'server_error':
        return error(res, rec, 500, 'api_error', 'Internal server error');
      case 'valid':
      case 'reset_once':
      case 'model_not_found_first':
      case 'model_not_found_all':
      case 'model_bad_request_first':
        break;
    }

    if (route === 'models') {
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 20) || 20));
      const page = models.slice(0, limit).map((m) => ({ type: 'model', ...m }));
      return send(res, rec, 200, {
        data: page,
        has_more: models.length > page.length,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
      });
    }

    const msg = body as { model?: unknown; max_tokens?: unknown; messages?: unknown } | undefined;
    if (!msg || typeof msg !== 'object') return error(res, rec, 400, 'invalid_request_error', 'messages: Field required');
    if (typeof msg.model !== 'string') return error(res, rec, 400, 'invalid_request_error', 'model: Field required');
    if (typeof msg.max_tokens !== 'number') return error(res, rec, 400, 'invalid_request_error', 'max_tokens: Field required');
    if (!Array.isArray(msg.messages) || msg.messages.length === 0) return error(res, rec, 400, 'invalid_request_error', 'messages: Field required');
    const modelAttempt = (messagesSeen.get(secret) ?? 0) + 1;
    messagesSeen.set(secret, modelAttempt);
    if (rule.behavior === 'model_not_found_all' || (rule.behavior === 'model_not_found_first' && modelAttempt === 1)) {
      return error(res, rec, 404, 'not_found_error', `model: ${msg.model}`);
    }
    if (rule.behavior === 'model_bad_request_first' && modelAttempt === 1) {
      return error(res, rec, 400, 'invalid_request_error', `The model ${msg.model} is not available for this credential.`);
    }
    return send(res, rec, 200, {
      id: randomId('msg_'),
      type: 'message',
      role: 'assistant',
      model: msg.model,
      content: [{ type: 'text', text: 'H' }],
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: { input_tokens: 8, output_tokens: 1 },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json', 'request-id': randomId('req_') });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } }));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setBehavior(secret, behavior, opts = {}) {
      if (secret === 'default') fallback = { behavior, opts };
      else registry.set(secret, { behavior, opts });
    },
    setModels(next) {
      models = next;
    },
    reset() {
      requests.length = 0;
      seen.clear();
      messagesSeen.clear();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function parseArgs(argv: string[]): FakeApiOptions {
  const opts: FakeApiOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg === '--port' && next !== undefined) opts.port = Number(argv[++i]);
    else if (arg === '--default' && next !== undefined) opts.defaultBehavior = argv[++i] as FakeBehavior;
    else if (arg === '--retry-after' && next !== undefined) opts.retryAfter = argv[++i];
    else if (arg === '--delay' && next !== undefined) opts.delayMs = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}; use --port N --default <${FAKE_BEHAVIORS.join('|')}> --retry-after S --delay MS`);
  }
  if (opts.defaultBehavior && !FAKE_BEHAVIORS.includes(opts.defaultBehavior)) throw new Error(`unknown behavior ${opts.defaultBehavior}`);
  return opts;
}

if (import.meta.main) {
  let cliOptions: FakeApiOptions;
  try {
    cliOptions = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const api = await startFakeApi(cliOptions);
  process.stdout.write(`fake Anthropic API on ${api.url} (every secret: ${cliOptions.defaultBehavior ?? 'invalid'})\n`);
  const stop = () => void api.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
