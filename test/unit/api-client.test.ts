import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { API_ACCEPT, ApiClient } from '../../src/heroku/api-client.js';
import type { ApiClientOptions } from '../../src/heroku/api-client.js';
import type { Credentials, TokenOrigin } from '../../src/heroku/auth.js';
import { SourceError } from '../../src/heroku/errors.js';
import { FAKE_TOKEN, manyApps, startFakeApi } from '../fakes/fake-api.js';
import type { FakeApi, FakeApiOptions } from '../fakes/fake-api.js';

const WRONG_TOKEN = 'hrku-wrong-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const seen: SourceError[] = [];
const servers: FakeApi[] = [];

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function creds(origin: TokenOrigin = 'netrc', token = FAKE_TOKEN): Credentials {
  return { token, origin, login: null };
}

async function setup(options: FakeApiOptions = {}, client: Partial<ApiClientOptions> = {}): Promise<{ api: FakeApi; client: ApiClient }> {
  const api = await startFakeApi(options);
  servers.push(api);
  return { api, client: new ApiClient({ credentials: creds(), baseUrl: api.url, ...client }) };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SourceError, `expected a SourceError, got ${String(err)}`);
    seen.push(err);
    return err;
  }
  assert.fail('expected the request to fail');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('requests carry the sdk Accept header, a Bearer token and a dynotty User-Agent', async () => {
  const { api, client } = await setup();
  const account = (await client.get('/account')) as { email: string };
  assert.equal(account.email, 'demo@dynotty.dev');
  const [req] = api.requests;
  assert.ok(req);
  assert.equal(req.headers.accept, API_ACCEPT);
  assert.equal(req.headers.accept, 'application/vnd.heroku+json; version=3.sdk');
  assert.equal(req.auth, 'valid');
  assert.equal(req.authScheme, 'Bearer');
  assert.match(req.headers['user-agent'] ?? '', /^dynotty\/\d+\.\d+\.\d+/);
  assert.equal(req.headers.authorization, undefined, 'the fake records no Authorization value');
});

test('getAll follows Next-Range: 7 apps at 2 a page take 4 requests', async () => {
  const { api, client } = await setup({ state: manyApps(7, 1), pageSize: 2 });
  const apps = (await client.getAll('/users/~/apps')) as Array<{ name: string }>;
  assert.equal(apps.length, 7);
  assert.deepEqual(new Set(apps.map((a) => a.name)).size, 7);
  const pages = api.requests.filter((r) => r.path === '/users/~/apps');
  assert.equal(pages.length, 4);
  assert.deepEqual(pages.map((r) => r.status), [206, 206, 206, 200]);
  assert.equal(pages[0]?.headers.range, 'id ..; max=1000');
  for (const p of pages.slice(1)) assert.match(p.headers.range ?? '', /^id \][0-9a-f-]+\.\.; max=2$/);
});

test('getAll: a list that fits is one request answered 200', async () => {
  const { api, client } = await setup({ state: manyApps(7, 1) });
  assert.equal((await client.getAll('/apps')).length, 7);
  assert.equal(api.requests.length, 1);
  assert.equal(api.requests[0]?.status, 200);
});

test('requests one after another reuse one kept-alive connection', async () => {
  const { api, client } = await setup({ latencyMs: 5 });
  for (let i = 0; i < 5; i++) await client.get('/account');
  assert.equal(api.requests.length, 5);
  // undici pools a socket again a moment after its body is read, so the second request may open one more.
  assert.ok(api.connections <= 2, `${api.connections} connections for 5 requests`);
});

test('concurrency is bounded', async () => {
  const { api, client } = await setup({ latencyMs: 40 }, { concurrency: 3 });
  await Promise.all(Array.from({ length: 12 }, () => client.get('/account')));
  const peak = Math.max(...api.requests.map((r) => r.inFlight));
  assert.ok(peak <= 3, `peak ${peak}`);
  assert.ok(peak >= 2, `peak ${peak}: requests should overlap`);
});

test('a low RateLimit-Remaining serialises requests', async () => {
  const state = manyApps(1, 1);
  state.rateLimit = { remaining: 3, budget: 3, perRequest: 0, retryAfterSeconds: 1 };
  const { api, client } = await setup({ state, latencyMs: 30 }, { concurrency: 8 });
  await client.get('/account');
  await Promise.all(Array.from({ length: 8 }, () => client.get('/account')));
  const later = api.requests.slice(1);
  assert.equal(later.length, 8);
  assert.deepEqual(later.map((r) => r.inFlight), Array(8).fill(1));
});

test('with plenty of rate limit left, the same requests overlap', async () => {
  const { api, client } = await setup({ latencyMs: 30 }, { concurrency: 8 });
  await client.get('/account');
  await Promise.all(Array.from({ length: 8 }, () => client.get('/account')));
  assert.ok(Math.max(...api.requests.map((r) => r.inFlight)) > 1);
});

test('429 with Retry-After: waits, then retries once and succeeds', async () => {
  const { api, client } = await setup({ failNext: [{ path: /^\/account$/, status: 429, headers: { 'Retry-After': '1' } }] });
  const started = Date.now();
  const account = (await client.get('/account')) as { email: string };
  const elapsed = Date.now() - started;
  assert.equal(account.email, 'demo@dynotty.dev');
  assert.deepEqual(api.requests.map((r) => r.status), [429, 200]);
  assert.ok(elapsed >= 900, `waited only ${elapsed} ms`);
});

test('429 twice: rate-limited, after a wait capped by retryAfterCapMs', async () => {
  const rule = { path: /^\/account$/, status: 429, headers: { 'Retry-After': '60' } };
  const { api, client } = await setup({ failNext: [rule, rule] }, { retryAfterCapMs: 150 });
  const started = Date.now();
  const err = await failure(client.get('/account'));
  const elapsed = Date.now() - started;
  assert.equal(err.kind, 'rate-limited');
  assert.equal(err.attempted, 'GET /account');
  assert.match(err.problem, /rate limit/);
  assert.match(err.hint ?? '', /wait a minute/);
  assert.equal(api.requests.length, 2);
  assert.ok(elapsed >= 140 && elapsed < 2000, `elapsed ${elapsed}`);
});

test('a spent budget answers 429 until Retry-After has passed, then refills', async () => {
  const state = manyApps(1, 1);
  state.rateLimit = { remaining: 1, budget: 50, perRequest: 1, retryAfterSeconds: 1 };
  const { api, client } = await setup({ state });
  await client.get('/account');
  assert.equal(state.rateLimit.remaining, 0);
  await client.get('/account');
  assert.deepEqual(api.requests.map((r) => r.status), [200, 429, 200]);
  assert.equal(state.rateLimit.remaining, 49);
});

test('401 with HEROKU_API_KEY: the CLI\'s message and how to fix it', async () => {
  const { client: _unused, api } = await setup();
  const client = new ApiClient({ credentials: creds('HEROKU_API_KEY', WRONG_TOKEN), baseUrl: api.url });
  const err = await failure(client.get('/apps/acme-storefront/dynos'));
  assert.equal(err.kind, 'invalid-token');
  assert.equal(err.attempted, 'GET /apps/acme-storefront/dynos');
  assert.equal(err.problem, 'The token provided to HEROKU_API_KEY is invalid.');
  assert.equal(err.hint, 'unset it, or set a valid one: heroku authorizations:create');
  assert.equal(api.requests[0]?.auth, 'invalid');
});

test('401 with a stored token: run heroku login', async () => {
  const { api } = await setup();
  const client = new ApiClient({ credentials: creds('netrc', WRONG_TOKEN), baseUrl: api.url });
  const err = await failure(client.get('/account'));
  assert.equal(err.kind, 'invalid-token');
  assert.equal(err.problem, 'Invalid credentials provided.');
  assert.equal(err.hint, 'run heroku login');
});

test('403 forbidden and 403 two_factor', async () => {
  const { client } = await setup({
    failNext: [
      { path: /dynos/, status: 403, body: { id: 'forbidden', message: 'You do not have access to the app acme-billing.' } },
      { path: /dynos/, status: 403, body: { id: 'two_factor', message: 'A second authentication factor is required.' } },
    ],
  });
  const forbidden = await failure(client.get('/apps/acme-billing/dynos'));
  assert.equal(forbidden.kind, 'forbidden');
  assert.equal(forbidden.problem, 'You do not have access to the app acme-billing.');
  const twoFactor = await failure(client.get('/apps/acme-billing/dynos'));
  assert.equal(twoFactor.kind, 'forbidden');
  assert.equal(twoFactor.problem, 'A second authentication factor is required.');
  assert.match(twoFactor.hint ?? '', /second factor/);
});

test('404: the API\'s message', async () => {
  const { client } = await setup();
  const err = await failure(client.get('/apps/no-such-app/dynos'));
  assert.equal(err.kind, 'not-found');
  assert.equal(err.attempted, 'GET /apps/no-such-app/dynos');
  assert.equal(err.problem, "Couldn't find that app.");
  assert.equal(err.hint, null);
});

test('5xx: server error with the status page hint, JSON or HTML body', async () => {
  const { client } = await setup({
    failNext: [
      { status: 503, body: { id: 'service_unavailable', message: 'Service unavailable, please try again later.' } },
      { status: 500, body: '<html><body><h1>Application error</h1></body></html>' },
    ],
  });
  const unavailable = await failure(client.get('/apps/x/dynos'));
  assert.equal(unavailable.kind, 'server');
  assert.equal(unavailable.attempted, 'GET /apps/x/dynos');
  assert.equal(unavailable.problem, 'Heroku answered HTTP 503: Service unavailable, please try again later.');
  assert.equal(unavailable.hint, 'Heroku may be having trouble: see status.heroku.com, retry with R');
  const html = await failure(client.get('/apps/x/dynos'));
  assert.equal(html.kind, 'server');
  assert.equal(html.problem, 'Heroku answered HTTP 500');
});

test('a success with an HTML body is bad output that says what came back', async () => {
  const { client } = await setup({ failNext: [{ status: 200, body: '<!DOCTYPE html><title>Captive portal</title>' }] });
  const err = await failure(client.get('/account'));
  assert.equal(err.kind, 'bad-output');
  assert.equal(err.problem, 'expected JSON, got text/html (HTTP 200)');
});

test('JSON that does not parse, and a list that is not an array, are bad output', async () => {
  const { client } = await setup({
    failNext: [
      { status: 200, body: '{"id": ', headers: { 'Content-Type': 'application/json' } },
      { path: /apps/, status: 200, body: { id: 'not', name: 'a list' } },
    ],
  });
  const broken = await failure(client.get('/account'));
  assert.equal(broken.kind, 'bad-output');
  assert.match(broken.problem, /does not parse as JSON/);
  const notList = await failure(client.getAll('/users/~/apps'));
  assert.equal(notList.kind, 'bad-output');
  assert.equal(notList.problem, 'expected a JSON array, got an object');
});

test('a hanging request times out', async () => {
  const { client } = await setup({ hang: /dynos/ }, { timeoutMs: 200 });
  const started = Date.now();
  const err = await failure(client.get('/apps/acme-storefront/dynos'));
  assert.equal(err.kind, 'timeout');
  assert.equal(err.problem, 'no answer from the Heroku API within 200 ms');
  assert.ok(Date.now() - started < 2000);
});

test('a server that resets connections is unreachable', async () => {
  const { client } = await setup({ down: true });
  const err = await failure(client.get('/account'));
  assert.equal(err.kind, 'unreachable');
  assert.match(err.problem, /^could not reach 127\.0\.0\.1:\d+/);
  assert.match(err.hint ?? '', /network/);
});

test('a closed port is unreachable (ECONNREFUSED)', async () => {
  const port = await freePort();
  const client = new ApiClient({ credentials: creds(), baseUrl: `http://127.0.0.1:${port}` });
  const err = await failure(client.get('/account'));
  assert.equal(err.kind, 'unreachable');
  assert.equal(err.problem, `could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
});

test('aborting the outer signal rejects quickly as cancelled, in flight or queued', async () => {
  const { client } = await setup({ hang: /dynos/ }, { concurrency: 1 });
  const controller = new AbortController();
  const started = Date.now();
  const inFlight = failure(client.get('/apps/a/dynos', controller.signal));
  const queued = failure(client.get('/apps/b/dynos', controller.signal));
  setTimeout(() => controller.abort(), 50);
  const [a, b] = await Promise.all([inFlight, queued]);
  assert.equal(a.kind, 'cancelled');
  assert.equal(b.kind, 'cancelled');
  assert.equal(b.attempted, 'GET /apps/b/dynos');
  assert.ok(Date.now() - started < 1000);
  const already = await failure(client.get('/account', AbortSignal.abort()));
  assert.equal(already.kind, 'cancelled');
});

test('aborting during a 429 pause cancels the wait', async () => {
  const { client } = await setup({ failNext: [{ status: 429, headers: { 'Retry-After': '5' } }] });
  const controller = new AbortController();
  const started = Date.now();
  const pending = failure(client.get('/account', controller.signal));
  setTimeout(() => controller.abort(), 100);
  assert.equal((await pending).kind, 'cancelled');
  assert.ok(Date.now() - started < 1500);
});

test('API messages are sanitised and never echo the token', async () => {
  const { client } = await setup({
    failNext: [{ status: 404, body: { id: 'not_found', message: `No app \x1b[2J\x1b]0;pwned\x07for token ${FAKE_TOKEN}` } }],
  });
  const err = await failure(client.get('/apps/x'));
  assert.equal(err.problem, 'No app for token [REDACTED]');
});

test('send(): POST creates a one-off with a rendezvous attach_url; PATCH toggles a feature', async () => {
  const { api, client } = await setup({ rendezvousPort: 5999 });
  const dyno = (await client.send('POST', '/apps/acme-storefront/dynos', { command: 'bash', attach: true, size: 'standard-2x', env: { TERM: 'xterm', COLUMNS: 80 } })) as {
    name: string;
    attach_url: string;
    size: string;
    state: string;
  };
  assert.match(dyno.name, /^run\.\d{4}$/);
  assert.equal(dyno.size, 'Standard-2X');
  assert.equal(dyno.state, 'starting');
  const run = api.state.runs[0];
  assert.ok(run);
  assert.equal(dyno.attach_url, `rendezvous://127.0.0.1:5999/${run.secret}`);
  assert.equal(run.command, 'bash');
  assert.deepEqual(run.env, { TERM: 'xterm', COLUMNS: 80 });
  assert.equal(api.requests[0]?.headers['content-type'], 'application/json');
  const feature = (await client.send('PATCH', '/apps/acme-billing/features/runtime-heroku-exec', { enabled: true })) as { enabled: boolean };
  assert.equal(feature.enabled, true);
  assert.equal(api.state.features['acme-billing']?.['runtime-heroku-exec'], true);
});

test('fake API: plain version=3 sends generation as an object, 3.sdk as a string', async () => {
  const { api } = await setup();
  const get = async (accept: string): Promise<{ generation: unknown }> => {
    const res = await fetch(`${api.url}/apps/acme-ml-fir`, { headers: { Authorization: `Bearer ${FAKE_TOKEN}`, Accept: accept } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.ok(Number(res.headers.get('ratelimit-remaining')) > 0);
    return (await res.json()) as { generation: unknown };
  };
  assert.equal((await get('application/vnd.heroku+json; version=3.sdk')).generation, 'fir');
  const plain = (await get('application/vnd.heroku+json; version=3')).generation as { id: string; name: string };
  assert.equal(plain.name, 'fir');
  assert.match(plain.id, /^[0-9a-f-]{36}$/);
});

test('fake API: name ranges, unknown endpoints, missing Accept version, restarts', async () => {
  const { api } = await setup({ state: manyApps(5, 3), pageSize: 2 });
  const call = (path: string, init: RequestInit = {}, accept = 'application/vnd.heroku+json; version=3'): Promise<Response> =>
    fetch(`${api.url}${path}`, { ...init, headers: { Authorization: `Bearer ${FAKE_TOKEN}`, Accept: accept, ...(init.headers as Record<string, string>) } });
  const first = await call('/apps', { headers: { Range: 'name ..; max=2' } });
  assert.equal(first.status, 206);
  assert.equal(first.headers.get('next-range'), 'name ]load-app-0002..; max=2');
  assert.equal(first.headers.get('content-range'), 'name load-app-0001..load-app-0002; max=2');
  const last = await call('/apps', { headers: { Range: 'name ]load-app-0004..; max=2' } });
  assert.equal(last.status, 200);
  assert.deepEqual(((await last.json()) as Array<{ name: string }>).map((a) => a.name), ['load-app-0005']);
  const unknown = await call('/apps/load-app-0001/releases');
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { id: string }).id, 'not_found');
  const noVersion = await call('/account', {}, 'application/json');
  assert.equal(noVersion.status, 400);
  assert.equal(((await noVersion.json()) as { id: string }).id, 'missing_version');
  const restart = await call('/apps/load-app-0001/dynos/web.2', { method: 'DELETE' });
  assert.equal(restart.status, 202);
  const dyno = (await (await call('/apps/load-app-0001/dynos/web.2')).json()) as { state: string };
  assert.equal(dyno.state, 'up');
});

test('no error message, hint or attempted text ever holds a token', () => {
  assert.ok(seen.length >= 15, `only ${seen.length} errors were checked`);
  for (const err of seen) {
    for (const text of [err.message, err.problem, err.hint ?? '', err.attempted, String(err.stack)]) {
      assert.ok(!text.includes(FAKE_TOKEN), `token in: ${text}`);
      assert.ok(!text.includes(WRONG_TOKEN), `token in: ${text}`);
    }
  }
});
