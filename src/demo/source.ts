// The demo fleet behind the same interface as the heroku CLI and API sources.
import type { Fleet, FleetSource } from '../heroku/source.js';
import type { DemoFleet, StartDemoFleetOptions } from './fleet.js';
import { startDemoFleet } from './fleet.js';

export class DemoSource implements FleetSource {
  readonly kind = 'demo' as const;
  readonly label = 'demo fleet';

  /** The running fleet, for the session layer (dyno folders, env, run dirs). */
  constructor(readonly fleet: DemoFleet) {}

  load(signal?: AbortSignal): Promise<Fleet> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.fleet.failure !== null) return Promise.reject(startFailure(this.fleet.failure));
    return Promise.resolve(this.fleet.snapshot());
  }

  close(): Promise<void> {
    return this.fleet.close();
  }

  closeSync(): void {
    this.fleet.closeSync();
  }
}

/** What the listing and a session say when the fleet's folders or processes could not be made. */
export function startFailure(err: unknown): Error {
  return new Error(`The demo fleet could not start: ${err instanceof Error ? err.message : String(err)}`);
}

export async function createDemoSource(opts?: StartDemoFleetOptions): Promise<DemoSource> {
  return new DemoSource(await startDemoFleet(opts));
}
