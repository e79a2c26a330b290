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
  /** How long an app's pipeline stage is reused before it is asked for again (5 min). */
  pipelineStageTtlMs?: number;
}

// Stages change rarely; asking every refresh would cost a third of the listing's requests
// (rate limit) and, past about 21 apps at the client's bound of 64, a round trip.
const PIPELINE_STAGE_TTL_MS = 5 * 60_000;

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
  private readonly stages = new Map<string, { stage: string | null; at: number }>();
  private readonly stageTtlMs: number;

  constructor(options: ApiSourceOptions) {
    this.client = new ApiClient(options);
    this.stageTtlMs = options.pipelineStageTtlMs ?? PIPELINE_STAGE_TTL_MS;
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
    // All three at once: the pipeline stage costs no extra round trip.
    const [dynos, execEnabled, pipelineStage] = await Promise.all([
      this.loadDynos(app, `${base}/dynos`, signal),
      // ps:exec does not exist on Fir (run:inside needs no feature).
      app.generation === 'fir' ? null : this.loadExecFeature(`${base}/features/runtime-heroku-exec`, signal),
      this.pipelineStage(app.name, `${base}/pipeline-couplings`, signal),
    ]);
    return { app: { ...app, execEnabled, ...(pipelineStage === undefined ? {} : { pipelineStage }) }, ...dynos };
  }

  private async pipelineStage(appName: string, path: string, signal: AbortSignal): Promise<string | null | undefined> {
    const known = this.stages.get(appName);
    if (known !== undefined && Date.now() - known.at < this.stageTtlMs) return known.stage;
    const stage = await this.loadPipelineStage(path, signal);
    // An unknown stage (the API would not say) is asked for again next time.
    if (stage === undefined) this.stages.delete(appName);
    else this.stages.set(appName, { stage, at: Date.now() });
    return stage;
  }

  /**
   * The app's pipeline stage; null when it is in no pipeline (the API answers 404), absent
   * (undefined) when the API would not say: the guard then relies on --protect alone.
   */
  private async loadPipelineStage(path: string, signal: AbortSignal): Promise<string | null | undefined> {
    try {
      const stage = obj(await this.client.get(path, signal))?.stage;
      return typeof stage === 'string' && stage !== '' ? stage : undefined;
    } catch (err) {
      if (!(err instanceof SourceError) || err.kind === 'cancelled') throw err;
      return err.kind === 'not-found' ? null : undefined;
    }
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
