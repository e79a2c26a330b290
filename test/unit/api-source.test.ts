import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, DEMO_APPS } from '../../src/demo/fleet-definition.js';
import { ApiSource } from '../../src/heroku/api-source.js';
import { parseApp, parseDyno } from '../../src/heroku/parse.js';
import type { ApiSourceOptions } from '../../src/heroku/api-source.js';
import type { Credentials, TokenOrigin } from '../../src/heroku/auth.js';
import { SourceError } from '../../src/heroku/errors.js';
import { httpTransport, type Transport } from '../../src/heroku/http-transport.js';
import type { App, Dyno } from '../../src/heroku/model.js';
import { isOneOff } from '../../src/heroku/model.js';
import type { Fleet } from '../../src/heroku/source.js';
import { FAKE_TOKEN, demoLikeFleet, dynoJson, manyApps, pipelineRef, startFakeApi, uuidFrom } from '../fakes/fake-api.js';
import type { FailRule, FakeApi, FakeApiOptions } from '../fakes/fake-api.js';

const WRONG_TOKEN = 'hrku-wrong-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const seen: SourceError[] = [];
const servers: FakeApi[] = [];

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function creds(origin: TokenOrigin = 'netrc', token = FAKE_TOKEN): Credentials {
  return { token, origin, login: 'dev@example.com' };
}

async function setup(options: FakeApiOptions = {}, source: Partial<ApiSourceOptions> = {}): Promise<{ api: FakeApi; source: ApiSource }> {
  const api = await startFakeApi(options);
  servers.push(api);
  return { api, source: new ApiSource({ credentials: creds(), baseUrl: api.url, ...source }) };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SourceError, `expected a SourceError, got ${String(err)}`);
    seen.push(err);
    return err;
  }
  assert.fail('expected the load to fail');
}

function perAppRequests(api: FakeApi): FakeApi['requests'] {
  return api.requests.filter((r) => r.path.startsWith('/apps/'));
}

test('the demo-like fleet lists exactly as the demo defines it', async () => {
  const now = Date.now();
  const { api, source } = await setup({ state: demoLikeFleet(now) });
  assert.equal(source.kind, 'api');
  assert.equal(source.label, 'Platform API');
  const fleet = await source.load();

  const expectedApps: App[] = DEMO_APPS.map((def) => ({
    ...def.app,
    id: uuidFrom('app', def.app.name),
    webUrl: api.state.apps.find((a) => a.name === def.app.name)?.web_url ?? null,
    // Fir has no ps:exec, so its feature is not asked for.
    execEnabled: def.app.generation === 'fir' ? null : def.app.execEnabled,
    // No app of the fleet is in the coupling list: none is in a pipeline.
    pipelineStage: null,
  }));
  assert.equal(fleet.account, DEMO_ACCOUNT);
  assert.deepEqual(fleet.apps, expectedApps);
  assert.deepEqual(fleet.appErrors, {});

  for (const def of DEMO_APPS) {
    const expected: Dyno[] = def.dynos
      .map((d) => {
        const created = new Date(now - d.ageMinutes * 60_000).toISOString();
        return {
          id: uuidFrom('dyno', def.app.name, d.name),
          name: d.name,
          type: d.type,
          state: d.behaviour === 'crash' ? 'crashed' : 'up',
          size: d.size,
          command: d.command,
          createdAt: created,
          updatedAt: created,
          appName: def.app.name,
          releaseVersion: def.releaseVersion,
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(fleet.dynos[def.app.name], expected, def.app.name);
  }
  // The API says Private-M for the Shield app; the source shows Shield-M, as `heroku ps` does.
  assert.equal(api.state.dynos['acme-vault']?.[0]?.size, 'Private-M');
  assert.equal(fleet.dynos['acme-vault']?.[0]?.size, 'Shield-M');
  assert.ok(fleet.dynos['acme-storefront']?.some((d) => isOneOff(d) && d.name === 'run.4821'));
});

test('the fleet comes from /account, /users/~/apps, /pipeline-couplings and per app dynos + exec feature (none for Fir)', async () => {
  const { api, source } = await setup();
  await source.load();
  const paths = api.requests.map((r) => `${r.method} ${r.path}`).sort();
  assert.deepEqual(paths, [
    'GET /account',
    'GET /apps/acme-billing/dynos',
    'GET /apps/acme-billing/features/runtime-heroku-exec',
    'GET /apps/acme-ml-fir/dynos',
    'GET /apps/acme-storefront/dynos',
    'GET /apps/acme-storefront/features/runtime-heroku-exec',
    'GET /apps/acme-vault/dynos',
    'GET /apps/acme-vault/features/runtime-heroku-exec',
    'GET /apps/sideproject-eco/dynos',
    'GET /apps/sideproject-eco/features/runtime-heroku-exec',
    'GET /pipeline-couplings',
    'GET /users/~/apps',
  ]);
  for (const r of api.requests) {
    assert.equal(r.headers.accept, 'application/vnd.heroku+json; version=3.sdk');
    assert.equal(r.auth, 'valid');
    assert.equal(r.authScheme, 'Bearer');
  }
});

test('fetchImpl, when given, carries every request', async () => {
  let calls = 0;
  const fetchImpl: typeof fetch = (input, init) => {
    calls++;
    return fetch(input, init);
  };
  const { api, source } = await setup({}, { fetchImpl });
  await source.load();
  assert.equal(calls, api.requests.length);
  assert.ok(calls >= 11);
});

test('paging: 7 apps at 2 a page are all listed, in 4 requests for the list', async () => {
  const { api, source } = await setup({ state: manyApps(7, 3), pageSize: 2 });
  const fleet = await source.load();
  assert.deepEqual(
    fleet.apps.map((a) => a.name),
    Array.from({ length: 7 }, (_, i) => `load-app-000${i + 1}`),
  );
  assert.equal(api.requests.filter((r) => r.path === '/users/~/apps').length, 4);
  for (const app of fleet.apps) assert.deepEqual(fleet.dynos[app.name]?.map((d) => d.name), ['web.1', 'web.2', 'web.3']);
  // 3 dynos at 2 a page: 2 requests per app.
  assert.equal(api.requests.filter((r) => /^\/apps\/[^/]+\/dynos$/.test(r.path)).length, 14);
});

/** The client's transport as it calls it, counting what it has asked for and not yet been answered. */
function countingFetch(): { fetchImpl: Transport; calls: Array<{ path: string; outstanding: number; answeredBefore: number }> } {
  const calls: Array<{ path: string; outstanding: number; answeredBefore: number }> = [];
  let outstanding = 0;
  let answered = 0;
  const fetchImpl: Transport = async (input, init) => {
    outstanding++;
    calls.push({ path: new URL(input).pathname, outstanding, answeredBefore: answered });
    try {
      return await httpTransport(input, init);
    } finally {
      outstanding--;
      answered++;
    }
  };
  return { fetchImpl, calls };
}

test('50 apps list in two rounds: account, apps and pipeline couplings, then every app at once', async () => {
  const { fetchImpl, calls } = countingFetch();
  const { api, source } = await setup({ state: manyApps(50, 2), latencyMs: 100 }, { fetchImpl });
  const fleet = await source.load();
  assert.equal(fleet.apps.length, 50);
  assert.equal(Object.keys(fleet.dynos).length, 50);
  assert.ok(fleet.apps.every((a) => a.execEnabled !== null), 'every exec feature asked for');
  assert.equal(api.requests.length, 103);

  // Round one: the account, the apps list and the coupling list asked for together, before any answer.
  assert.deepEqual(calls.slice(0, 3).map((c) => c.path).sort(), ['/account', '/pipeline-couplings', '/users/~/apps']);
  assert.deepEqual(calls.slice(0, 3).map((c) => c.answeredBefore), [0, 0, 0]);
  // Round two: all 100 per-app requests (dynos and exec feature) asked for before any is answered.
  const perApp = calls.slice(3);
  assert.equal(perApp.length, 100);
  assert.ok(perApp.every((c) => c.path.startsWith('/apps/')));
  assert.equal(new Set(perApp.map((c) => c.answeredBefore)).size, 1, 'no answer came between two per-app requests');
  // The coupling list may still be out when they go (it holds back no app): 100 or 101.
  assert.ok((perApp.at(-1)?.outstanding ?? 0) >= 100, 'all 100 out at once');
});

test('the default concurrency bound holds across all apps', async () => {
  // 80 apps make 160 per-app requests: more than the bound of 128, so the bound is reached and holds.
  const { fetchImpl, calls } = countingFetch();
  const { source } = await setup({ state: manyApps(80, 1), latencyMs: 20 }, { fetchImpl });
  const fleet = await source.load();
  assert.equal(fleet.apps.length, 80);
  assert.equal(Math.max(...calls.map((c) => c.outstanding)), 128);
});

test('a refresh lists a dozen apps at a time; the first listing, all at once; both the same fleet', async () => {
  const { fetchImpl, calls } = countingFetch();
  const { source } = await setup({ state: manyApps(60, 3), latencyMs: 15 }, { fetchImpl });
  const first = await source.load();
  const firstPeak = Math.max(...calls.map((c) => c.outstanding));
  assert.ok(firstPeak >= 120, `the first listing had ${firstPeak} requests out at once`);
  calls.length = 0;
  const again = await source.load();
  const perApp = calls.filter((c) => c.path.startsWith('/apps/'));
  assert.equal(perApp.length, 120, 'every app asked again');
  // 12 apps' two requests each, and the coupling list that may still be out.
  assert.ok(Math.max(...calls.map((c) => c.outstanding)) <= 25, `refresh peak ${Math.max(...calls.map((c) => c.outstanding))}`);
  assert.ok(Math.max(...perApp.map((c) => c.outstanding)) >= 20, 'but a dozen apps do go together');
  assert.deepEqual(again, first);
});

test('a low rate limit serialises the per-app requests', async () => {
  const state = manyApps(6, 1);
  state.rateLimit = { remaining: 5, budget: 5, perRequest: 0, retryAfterSeconds: 1 };
  const { api, source } = await setup({ state, latencyMs: 20 });
  const fleet = await source.load();
  assert.equal(fleet.apps.length, 6);
  const perApp = perAppRequests(api);
  // Dynos and exec feature for each of the 6 apps.
  assert.equal(perApp.length, 12);
  assert.deepEqual(perApp.map((r) => r.inFlight), Array(12).fill(1));
});

test('a 429 on the apps list is waited out and retried', async () => {
  const { api, source } = await setup({ failNext: [{ path: /^\/users\/~\/apps/, status: 429, headers: { 'Retry-After': '1' } }] });
  const fleet = await source.load();
  assert.equal(fleet.apps.length, 5);
  assert.deepEqual(api.requests.filter((r) => r.path === '/users/~/apps').map((r) => r.status), [429, 200]);
});

test('a 404 on one app marks only that app', async () => {
  const { source } = await setup({ failNext: [{ path: /^\/apps\/acme-billing\/dynos/, status: 404 }] });
  const fleet = await source.load();
  assert.deepEqual(Object.keys(fleet.appErrors), ['acme-billing']);
  assert.equal(fleet.appErrors['acme-billing'], "GET /apps/acme-billing/dynos: Couldn't find that app.");
  assert.equal(fleet.dynos['acme-billing'], undefined);
  assert.equal(fleet.apps.length, 5);
  assert.equal(fleet.dynos['acme-storefront']?.length, 4);
});

test('a 5xx or a timeout on one app marks only that app', async () => {
  const { source } = await setup({ failNext: [{ path: /^\/apps\/acme-vault\/dynos/, status: 503 }], hang: /^\/apps\/sideproject-eco\/dynos/ }, { timeoutMs: 300 });
  const fleet = await source.load();
  assert.deepEqual(Object.keys(fleet.appErrors).sort(), ['acme-vault', 'sideproject-eco']);
  assert.match(fleet.appErrors['acme-vault'] ?? '', /HTTP 503.*status\.heroku\.com/);
  assert.match(fleet.appErrors['sideproject-eco'] ?? '', /no answer from the Heroku API within 300 ms/);
  assert.equal(fleet.dynos['acme-billing']?.length, 2);
});

test('a missing exec feature (404) leaves execEnabled unknown, without an app error', async () => {
  const state = demoLikeFleet();
  state.features['acme-storefront'] = {};
  const { source } = await setup({ state, failNext: [{ path: /acme-billing\/features/, status: 500 }] });
  const fleet = await source.load();
  assert.equal(fleet.apps.find((a) => a.name === 'acme-storefront')?.execEnabled, null);
  assert.equal(fleet.apps.find((a) => a.name === 'acme-billing')?.execEnabled, null);
  assert.equal(fleet.apps.find((a) => a.name === 'sideproject-eco')?.execEnabled, false);
  assert.deepEqual(fleet.appErrors, {});
});

test('401 on /account with HEROKU_API_KEY rejects the load with the CLI\'s message', async () => {
  const { api } = await setup();
  const source = new ApiSource({ credentials: creds('HEROKU_API_KEY', WRONG_TOKEN), baseUrl: api.url });
  const err = await failure(source.load());
  assert.equal(err.kind, 'invalid-token');
  assert.equal(err.problem, 'The token provided to HEROKU_API_KEY is invalid.');
  assert.equal(err.hint, 'unset it, or set a valid one: heroku authorizations:create');
});

test('403 or 5xx on the apps list rejects the load', async () => {
  const { source } = await setup({
    failNext: [
      { path: /^\/users/, status: 403, body: { id: 'forbidden', message: 'Your account has been suspended.' } },
      { path: /^\/users/, status: 502 },
    ],
  });
  const forbidden = await failure(source.load());
  assert.equal(forbidden.kind, 'forbidden');
  assert.equal(forbidden.attempted, 'GET /users/~/apps');
  assert.equal(forbidden.problem, 'Your account has been suspended.');
  const server = await failure(source.load());
  assert.equal(server.kind, 'server');
});

test('an HTML page instead of the apps list is bad output', async () => {
  const { source } = await setup({ failNext: [{ path: /^\/users/, status: 200, body: '<html>Sign in to the Wi-Fi</html>' }] });
  const err = await failure(source.load());
  assert.equal(err.kind, 'bad-output');
  assert.equal(err.problem, 'expected JSON, got text/html (HTTP 200)');
});

test('an apps list that is not an array, or an app with no name, is bad output', async () => {
  const { source } = await setup({
    failNext: [
      { path: /^\/users/, status: 200, body: { apps: [] } },
      { path: /^\/users/, status: 200, body: [{ id: 'x', name: 'fine-app' }, { id: 'y' }] },
    ],
  });
  assert.equal((await failure(source.load())).kind, 'bad-output');
  const noName = await failure(source.load());
  assert.equal(noName.kind, 'bad-output');
  assert.equal(noName.problem, 'app #2 has no name');
});

test('a malformed dyno list marks only its app', async () => {
  const state = demoLikeFleet();
  state.dynos['acme-billing'] = [{ ...dynoJson({ app: 'acme-billing', name: 'web.1' }), name: 42 as unknown as string }];
  const { source } = await setup({ state, failNext: [{ path: /^\/apps\/acme-vault\/dynos/, status: 200, body: [null] }] });
  const fleet = await source.load();
  assert.deepEqual(fleet.dynos['acme-billing']?.map((d) => d.name), ['42']);
  assert.equal(fleet.appErrors['acme-vault'], 'GET /apps/acme-vault/dynos: dyno #1 is not an object');
});

test('connection resets reject the load as unreachable', async () => {
  const { source } = await setup({ down: true });
  assert.equal((await failure(source.load())).kind, 'unreachable');
});

test('aborting the signal rejects quickly as cancelled', async () => {
  const { source } = await setup({ hang: /dynos/ });
  const controller = new AbortController();
  const started = Date.now();
  const pending = failure(source.load(controller.signal));
  setTimeout(() => controller.abort(), 100);
  const err = await pending;
  assert.equal(err.kind, 'cancelled');
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
});

test('close() cancels a load in progress and later loads', async () => {
  const { source } = await setup({ hang: /^\/account/ });
  const pending = failure(source.load());
  await source.close();
  assert.equal((await pending).kind, 'cancelled');
  assert.equal((await failure(source.load())).kind, 'cancelled');
  await source.close();
});

test('parseApp: generation as a string or an object, missing is cedar; odd types coerced', () => {
  const base = { id: 'a1', name: 'acme-web' };
  assert.equal(parseApp({ ...base, generation: 'fir' }, 0, 'x').generation, 'fir');
  assert.equal(parseApp({ ...base, generation: { id: 'g', name: 'fir' } }, 0, 'x').generation, 'fir');
  assert.equal(parseApp({ ...base, generation: { id: 'g', name: 'cedar' } }, 0, 'x').generation, 'cedar');
  assert.equal(parseApp(base, 0, 'x').generation, 'cedar');
  const app = parseApp({ ...base, id: 123, team: { name: 7 }, space: { name: 'vault', shield: 'yes' }, maintenance: 'true', process_tier: null, owner: 'nobody' }, 0, 'x');
  assert.equal(app.id, '123');
  assert.equal(app.team, '7');
  assert.deepEqual(app.space, { name: 'vault', shield: false });
  assert.equal(app.maintenance, false);
  assert.equal(app.processTier, null);
  assert.equal(app.ownerEmail, null);
  assert.equal(app.region, null);
});

test('parseDyno: unknown states kept, untrusted text kept raw, names give a type when missing', () => {
  const app = parseApp({ id: 'a1', name: 'acme-web', space: { name: 's', shield: true } }, 0, 'x');
  const dyno = parseDyno({ id: 'd1', name: 'worker-5b9d7c6f4-k2x8q', state: 'hibernating', size: 'Private-L', command: 'echo \x1b[2Jhi', release: { version: '12' } }, 0, app, 'x');
  assert.equal(dyno.state, 'hibernating');
  assert.equal(dyno.type, 'worker');
  assert.equal(dyno.size, 'Shield-L');
  assert.equal(dyno.command, 'echo \x1b[2Jhi');
  assert.equal(dyno.releaseVersion, 12);
  assert.equal(dyno.appName, 'acme-web');
  assert.equal(dyno.createdAt, null);
  assert.throws(() => parseDyno({ name: 'web.1' }, 3, app, 'GET /apps/acme-web/dynos'), (err: unknown) => err instanceof SourceError && err.problem === 'dyno #4 has no id');
});

test('no error message, hint or attempted text ever holds a token', () => {
  assert.ok(seen.length >= 10, `only ${seen.length} errors were checked`);
  for (const err of seen) {
    for (const text of [err.message, err.problem, err.hint ?? '', err.attempted, String(err.stack)]) {
      assert.ok(!text.includes(FAKE_TOKEN) && !text.includes(WRONG_TOKEN), `token in: ${text}`);
    }
  }
});

function couplingRequests(api: FakeApi): { list: number; perApp: number } {
  return {
    list: api.requests.filter((r) => r.path === '/pipeline-couplings').length,
    perApp: api.requests.filter((r) => /^\/apps\/[^/]+\/pipeline-couplings/.test(r.path)).length,
  };
}

function stageOf(fleet: Fleet, name: string): string | null | undefined {
  const app = fleet.apps.find((a) => a.name === name);
  assert.ok(app, `${name} listed`);
  return app.pipelineStage;
}

test('pipeline stages from one coupling list: production, staging, and null for an app in none', async () => {
  const state = demoLikeFleet();
  state.pipelineCouplings = {
    'acme-storefront': { stage: 'production', pipeline: pipelineRef('acme-shop') },
    'acme-billing': { stage: 'staging', pipeline: pipelineRef('acme-shop') },
    'acme-ml-fir': { stage: 'development', pipeline: pipelineRef('ml') },
  };
  const { api, source } = await setup({ state });
  const fleet = await source.load();
  assert.equal(stageOf(fleet, 'acme-storefront'), 'production');
  assert.equal(stageOf(fleet, 'acme-billing'), 'staging');
  assert.equal(stageOf(fleet, 'acme-ml-fir'), 'development');
  assert.equal(stageOf(fleet, 'sideproject-eco'), null, 'absent from the list: in no pipeline');
  assert.equal(stageOf(fleet, 'acme-vault'), null);
  assert.deepEqual(couplingRequests(api), { list: 1, perApp: 0 });
  assert.equal(api.requests.find((r) => r.path === '/pipeline-couplings')?.headers.range, 'id ..; max=1000', 'asked for in pages, as every list');
});

test('stages are matched by app id: a coupling of an app not listed changes nothing, one with no stage leaves its app unknown', async () => {
  const state = demoLikeFleet();
  const storefront = state.apps.find((a) => a.name === 'acme-storefront');
  const billing = state.apps.find((a) => a.name === 'acme-billing');
  assert.ok(storefront && billing);
  const coupling = (appId: string, stage: unknown): unknown => ({
    id: uuidFrom('coupling', appId),
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    stage,
    app: { id: appId },
    pipeline: { id: uuidFrom('pipeline', 'p') },
  });
  const body = [coupling(storefront.id, 'production'), coupling(uuidFrom('app', 'someone-elses-app'), 'staging'), coupling(billing.id, null)];
  const { source } = await setup({ state, failNext: [{ path: /^\/pipeline-couplings/, status: 200, body }] });
  const fleet = await source.load();
  assert.equal(stageOf(fleet, 'acme-storefront'), 'production');
  assert.ok(!('pipelineStage' in (fleet.apps.find((a) => a.name === 'acme-billing') ?? {})), 'no stage given: unknown');
  assert.equal(stageOf(fleet, 'sideproject-eco'), null);
  assert.deepEqual(fleet.appErrors, {});
});

test('a failed coupling list leaves every stage unknown and the listing whole', async () => {
  const state = demoLikeFleet();
  state.pipelineCouplings = { 'acme-storefront': { stage: 'production', pipeline: pipelineRef('acme-shop') } };
  const noApp = [{ id: 'c1', stage: 'production', pipeline: { id: 'p1' } }];
  const failures: FailRule[][] = [[{ path: /^\/pipeline-couplings/, status: 503 }], [{ path: /^\/pipeline-couplings/, status: 403 }], [{ path: /^\/pipeline-couplings/, status: 200, body: noApp }]];
  for (const failNext of failures) {
    const { source } = await setup({ state, failNext });
    const fleet = await source.load();
    const what = `${failNext[0]?.status ?? ''}${failNext[0]?.body ? ' a coupling with no app' : ''}`;
    assert.equal(fleet.apps.length, 5, what);
    assert.ok(fleet.apps.every((a) => !('pipelineStage' in a)), `${what}: every stage unknown`);
    assert.deepEqual(fleet.appErrors, {}, `${what}: marks no app`);
    assert.equal(fleet.dynos['acme-storefront']?.length, 4, what);
  }
});

test('the coupling list holds back no app: the per-app round goes out while it is unanswered', async () => {
  const events: { kind: 'send' | 'end'; path: string }[] = [];
  const fetchImpl: Transport = async (input, init) => {
    const path = new URL(input).pathname;
    events.push({ kind: 'send', path });
    try {
      return await httpTransport(input, init);
    } finally {
      events.push({ kind: 'end', path });
    }
  };
  const { source } = await setup({ hang: /^\/pipeline-couplings/ }, { fetchImpl, timeoutMs: 400 });
  const fleet = await source.load();
  assert.ok(fleet.apps.every((a) => !('pipelineStage' in a)), 'no answer in time: every stage unknown');
  const listEnded = events.findIndex((e) => e.kind === 'end' && e.path === '/pipeline-couplings');
  assert.ok(listEnded > 0);
  for (const app of fleet.apps) {
    const dynosSent = events.findIndex((e) => e.kind === 'send' && e.path === `/apps/${app.name}/dynos`);
    assert.ok(dynosSent >= 0 && dynosSent < listEnded, `${app.name}: dynos asked for before the coupling list gave up`);
  }
});

test('the coupling list pages like every list', async () => {
  const state = manyApps(7, 1);
  state.pipelineCouplings = Object.fromEntries(state.apps.map((a, i) => [a.name, { stage: i % 2 === 0 ? 'production' : 'staging', pipeline: pipelineRef(`p${i}`) }]));
  const { api, source } = await setup({ state, pageSize: 2 });
  const fleet = await source.load();
  assert.equal(api.requests.filter((r) => r.path === '/pipeline-couplings').length, 4, '7 couplings at 2 a page');
  assert.deepEqual(
    fleet.apps.map((a) => a.pipelineStage),
    state.apps.map((_, i) => (i % 2 === 0 ? 'production' : 'staging')),
  );
});

test('every load asks for the coupling list once, so a changed stage shows on the refresh', async () => {
  const state = demoLikeFleet();
  state.pipelineCouplings = { 'acme-storefront': { stage: 'staging', pipeline: pipelineRef('acme-shop') } };
  const { api, source } = await setup({ state });
  assert.equal(stageOf(await source.load(), 'acme-storefront'), 'staging');
  state.pipelineCouplings = { 'acme-storefront': { stage: 'production', pipeline: pipelineRef('acme-shop') } };
  assert.equal(stageOf(await source.load(), 'acme-storefront'), 'production');
  assert.deepEqual(couplingRequests(api), { list: 2, perApp: 0 });
});

test('a cancel while the coupling list is out cancels the load', async () => {
  const { source } = await setup({ hang: /^\/pipeline-couplings/ });
  const controller = new AbortController();
  const pending = failure(source.load(controller.signal));
  setTimeout(() => controller.abort(), 100);
  assert.equal((await pending).kind, 'cancelled');
});

test('a refresh that gets the same pages back keeps the same dyno lists; a changed app gets a new one', async () => {
  const { api, source } = await setup({ state: manyApps(3, 4) });
  const first = await source.load();
  const second = await source.load();
  for (const name of Object.keys(first.dynos)) assert.equal(second.dynos[name], first.dynos[name], name);
  const changed = api.state.dynos['load-app-0002'];
  assert.ok(changed?.[1]);
  changed[1] = { ...changed[1], state: 'crashed' };
  const third = await source.load();
  assert.equal(third.dynos['load-app-0001'], first.dynos['load-app-0001']);
  assert.notEqual(third.dynos['load-app-0002'], first.dynos['load-app-0002']);
  assert.equal(third.dynos['load-app-0002']?.find((d) => d.name === 'web.2')?.state, 'crashed');
});
