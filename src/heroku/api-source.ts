// The fleet as the Platform API lists it, in two rounds. First, together: the account,
// every app the user can access (/users/~/apps, as `heroku apps`) and every pipeline
// coupling the user can see (/pipeline-couplings, mapped to apps by app id). Then each
// app's dynos and exec feature, all apps at once within the client's concurrency bound (a
// refresh: REFRESH_APPS_AT_ONCE at a time).
// One list for the stages instead of one request per app: 50 apps make 2 per-app
// requests each, 100, under the bound of 128, so the second round is one round trip.
import { ApiClient } from './api-client.js';
import type { Credentials } from './auth.js';
import type { Transport } from './http-transport.js';
import { SourceError } from './errors.js';
import type { App, Dyno } from './model.js';
import { badOutput, obj, parseApps, parseDynos, parsePipelineStages, str } from './parse.js';
import type { Fleet, FleetSource } from './source.js';

export interface ApiSourceOptions {
  credentials: Credentials;
  baseUrl: string;
  fetchImpl?: Transport;
  concurrency?: number;
  timeoutMs?: number;
}

const APPS_PATH = '/users/~/apps';
/**
 * A refresh lists this many apps' dynos at a time (two requests each). The first listing asks
 * for every app at once: nothing is on screen until it is in. A refresh runs under the user's
 * keys, and with 100 apps its 200 answers, handled back to back, held a key for up to ~100 ms.
 */
const REFRESH_APPS_AT_ONCE = 12;
const COUPLINGS_PATH = '/pipeline-couplings';

/** Pipeline stage by app id; null when the API would not say (every stage unknown). */
type Stages = Map<string, string | undefined> | null;

interface AppListing {
  app: App;
  dynos: Dyno[] | null;
  error: string | null;
}

export class ApiSource implements FleetSource {
  readonly kind = 'api' as const;
  readonly label = 'Platform API';
  private readonly client: ApiClient;
  private readonly lifetime = new AbortController();
  /** Each app's last dyno list and the pages it was parsed from. */
  private readonly lastDynos = new Map<string, { bodies: unknown[]; appKey: string; dynos: Dyno[] }>();
  private listedOnce = false;

  constructor(options: ApiSourceOptions) {
    this.client = new ApiClient(options);
  }

  async load(signal?: AbortSignal): Promise<Fleet> {
    const s = signal ? AbortSignal.any([signal, this.lifetime.signal]) : this.lifetime.signal;
    // Sent with the account and the apps, but not waited for before the per-app round: a
    // long list (several pages) must not hold back the dynos.
    const stagesPending = this.loadStages(s);
    // Handled here so that a load rejected first by the account or the apps leaves no
    // unhandled rejection behind; it is still awaited (and its error thrown) below.
    stagesPending.catch(() => undefined);
    const [accountBody, appBodies] = await Promise.all([this.client.get('/account', s), this.client.getAll(APPS_PATH, s)]);
    const account = obj(accountBody);
    if (!account) throw badOutput('GET /account', 'expected an account object');
    const apps = parseApps(appBodies, `GET ${APPS_PATH}`);
    const atOnce = this.listedOnce ? REFRESH_APPS_AT_ONCE : apps.length;
    const [listings, stages] = await Promise.all([mapAtMost(apps, atOnce, (app) => this.loadApp(app, s)), stagesPending]);
    this.listedOnce = true;
    const fleet: Fleet = { account: str(account.email), apps: [], dynos: {}, appErrors: {} };
    for (const { app, dynos, error } of listings) {
      fleet.apps.push(withStage(app, stages));
      if (dynos) fleet.dynos[app.name] = dynos;
      if (error !== null) fleet.appErrors[app.name] = error;
    }
    return fleet;
  }

  private async loadApp(app: App, signal: AbortSignal): Promise<AppListing> {
    const base = `/apps/${encodeURIComponent(app.name)}`;
    const [dynos, execEnabled] = await Promise.all([
      this.loadDynos(app, `${base}/dynos`, signal),
      // ps:exec does not exist on Fir (run:inside needs no feature).
      app.generation === 'fir' ? null : this.loadExecFeature(`${base}/features/runtime-heroku-exec`, signal),
    ]);
    return { app: { ...app, execEnabled }, ...dynos };
  }

  /**
   * Every coupling the user can see, by app id. Any failure but a cancel leaves every
   * stage unknown: the guard then relies on --protect and the config file alone, and the
   * listing still succeeds.
   */
  private async loadStages(signal: AbortSignal): Promise<Stages> {
    try {
      return parsePipelineStages(await this.client.getAll(COUPLINGS_PATH, signal), `GET ${COUPLINGS_PATH}`);
    } catch (err) {
      if (!(err instanceof SourceError) || err.kind === 'cancelled') throw err;
      return null;
    }
  }

  private async loadDynos(app: App, path: string, signal: AbortSignal): Promise<Pick<AppListing, 'dynos' | 'error'>> {
    try {
      const bodies = await this.client.getAll(path, signal);
      // The same pages (the client hands back the same objects for the same text) for the same app: the same list.
      const last = this.lastDynos.get(path);
      const appKey = JSON.stringify(app);
      if (last !== undefined && last.appKey === appKey && sameItems(last.bodies, bodies)) return { dynos: last.dynos, error: null };
      const dynos = parseDynos(bodies, app, `GET ${path}`);
      this.lastDynos.set(path, { bodies, appKey, dynos });
      return { dynos, error: null };
    } catch (err) {
      if (!(err instanceof SourceError) || err.kind === 'cancelled') throw err;
      return { dynos: null, error: err.message };
    }
  }

  /** True or false from the feature; null when the API has no such feature here or would not say. */
  private async loadExecFeature(path: string, signal: AbortSignal): Promise<boolean | null> {
    try {
      const enabled = obj(await this.client.get(path, signal))?.enabled;
      return typeof enabled === 'boolean' ? enabled : null;
    } catch (err) {
      if (!(err instanceof SourceError) || err.kind === 'cancelled') throw err;
      return null;
    }
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  closeSync(): void {
    if (!this.lifetime.signal.aborted) this.lifetime.abort();
  }
}

/** The app with its stage: absent when unknown, null when a full list has no coupling for it. */
function withStage(app: App, stages: Stages): App {
  if (stages === null) return app;
  const stage = stages.has(app.id) ? stages.get(app.id) : null;
  return stage === undefined ? app : { ...app, pipelineStage: stage };
}

/** `Promise.all(items.map(task))` with at most `limit` tasks running; after a failure no new one starts. */
async function mapAtMost<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
