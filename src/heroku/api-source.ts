// The fleet as the Platform API lists it: the account, every app the user can
// access (/users/~/apps, as `heroku apps`), then each app's dynos and exec feature,
// all apps at once within the client's concurrency bound.
import { ApiClient } from './api-client.js';
import type { Credentials } from './auth.js';
import type { Transport } from './http-transport.js';
import { SourceError } from './errors.js';
import type { App, Dyno } from './model.js';
import { badOutput, obj, parseApps, parseDynos, str } from './parse.js';
import type { Fleet, FleetSource } from './source.js';

export interface ApiSourceOptions {
  credentials: Credentials;
  baseUrl: string;
  fetchImpl?: Transport;
  concurrency?: number;
  timeoutMs?: number;
}

const APPS_PATH = '/users/~/apps';

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

  constructor(options: ApiSourceOptions) {
    this.client = new ApiClient(options);
  }

  async load(signal?: AbortSignal): Promise<Fleet> {
    const s = signal ? AbortSignal.any([signal, this.lifetime.signal]) : this.lifetime.signal;
    const [accountBody, appBodies] = await Promise.all([this.client.get('/account', s), this.client.getAll(APPS_PATH, s)]);
    const account = obj(accountBody);
    if (!account) throw badOutput('GET /account', 'expected an account object');
    const apps = parseApps(appBodies, `GET ${APPS_PATH}`);
    const listings = await Promise.all(apps.map((app) => this.loadApp(app, s)));
    const fleet: Fleet = { account: str(account.email), apps: [], dynos: {}, appErrors: {} };
    for (const { app, dynos, error } of listings) {
      fleet.apps.push(app);
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

  private async loadDynos(app: App, path: string, signal: AbortSignal): Promise<Pick<AppListing, 'dynos' | 'error'>> {
    try {
      const bodies = await this.client.getAll(path, signal);
      return { dynos: parseDynos(bodies, app, `GET ${path}`), error: null };
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
