// listing50AppsMs: ApiSource.load() measured directly (in this process) against the fake
// API with 50 apps and 100 ms added to every request; roundTripMs: one GET through the
// same client. Extra, table only: the same listing seen end to end (process start to
// the frame whose header says "50 apps").
import { performance } from 'node:perf_hooks';
import { ApiClient } from '../src/heroku/api-client.js';
import { ApiSource } from '../src/heroku/api-source.js';
import type { Credentials } from '../src/heroku/auth.js';
import { FAKE_TOKEN, manyApps, startFakeApi, type FakeApi } from '../test/fakes/fake-api.js';
import { onCleanup, quitDynotty, startDynotty } from './lib/env.js';
import type { Figure, Measurement } from './lib/figures.js';
import { fmtList, median } from './lib/stats.js';

const APPS = 50;
const DYNOS_EACH = 4;
const LATENCY_MS = 100;
const RUNS = 5;
const FRAME_RUNS = 3;

const credentials: Credentials = { token: FAKE_TOKEN, origin: 'HEROKU_API_KEY', login: null };

async function roundTrip(api: FakeApi): Promise<number> {
  const client = new ApiClient({ credentials, baseUrl: api.url });
  const t0 = performance.now();
  await client.get('/account');
  return performance.now() - t0;
}

interface LoadRun {
  ms: number;
  requests: number;
  peakInFlight: number;
}

async function loadOnce(api: FakeApi): Promise<LoadRun> {
  const source = new ApiSource({ credentials, baseUrl: api.url });
  const before = api.requests.length;
  const t0 = performance.now();
  const fleet = await source.load();
  const ms = performance.now() - t0;
  await source.close();
  if (fleet.apps.length !== APPS) throw new Error(`ApiSource.load listed ${fleet.apps.length} apps, not ${APPS}`);
  const dynos = Object.values(fleet.dynos).reduce((n, d) => n + d.length, 0);
  if (dynos !== APPS * DYNOS_EACH) throw new Error(`ApiSource.load listed ${dynos} dynos, not ${APPS * DYNOS_EACH}`);
  const reqs = api.requests.slice(before);
  return { ms, requests: reqs.length, peakInFlight: Math.max(...reqs.map((r) => r.inFlight)) };
}

async function frameOnce(api: FakeApi): Promise<number> {
  const p = startDynotty({ args: ['--source', 'api'], env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
  try {
    const at = await p.waitScreen((lines) => (lines[0] ?? '').includes(`│ ${APPS} apps │`) && lines.some((l) => l.includes('compare ways in: ')), 30_000, `the header saying ${APPS} apps`);
    return at - p.spawnedAt;
  } finally {
    await quitDynotty(p);
  }
}

export const listing: Measurement = {
  name: `listing ${APPS} apps at ${LATENCY_MS} ms per request`,
  async run(log) {
    const api = await startFakeApi({ state: manyApps(APPS, DYNOS_EACH), latencyMs: LATENCY_MS });
    onCleanup(() => api.close());

    await roundTrip(api);
    const trips: number[] = [];
    for (let i = 0; i < RUNS; i++) trips.push(await roundTrip(api));
    log(`one GET /account: ${fmtList(trips)} ms`);

    await loadOnce(api);
    const loads: LoadRun[] = [];
    for (let i = 0; i < RUNS; i++) loads.push(await loadOnce(api));
    const first = loads[0];
    log(`ApiSource.load: ${fmtList(loads.map((l) => l.ms), 0)} ms; ${first?.requests ?? 0} requests, at most ${first?.peakInFlight ?? 0} in flight`);

    await frameOnce(api);
    const frames: number[] = [];
    for (let i = 0; i < FRAME_RUNS; i++) frames.push(await frameOnce(api));
    log(`process start → "${APPS} apps" frame: ${fmtList(frames, 0)} ms`);

    const rt = median(trips);
    const figures: Figure[] = [
      {
        key: 'listing50AppsMs',
        label: `ApiSource.load, ${APPS} apps`,
        value: median(loads.map((l) => l.ms)),
        unit: 'ms',
        detail: `measured directly in-process; ${first?.requests ?? 0} requests, ≤ ${first?.peakInFlight ?? 0} in flight; +${LATENCY_MS} ms each; median of ${RUNS}`,
      },
      { key: 'roundTripMs', label: 'one request (GET /account)', value: rt, unit: 'ms', detail: `same client, same +${LATENCY_MS} ms; median of ${RUNS}` },
      {
        key: 'listing50AppsFrameMs',
        label: `start → frame with ${APPS} apps`,
        value: median(frames),
        unit: 'ms',
        detail: `dynotty --source api end to end; median of ${FRAME_RUNS}`,
      },
    ];
    return figures;
  },
};
