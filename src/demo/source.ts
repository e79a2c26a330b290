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
    return Promise.resolve(this.fleet.snapshot());
  }

  close(): Promise<void> {
    return this.fleet.close();
  }

  closeSync(): void {
    this.fleet.closeSync();
  }
}

export async function createDemoSource(opts?: StartDemoFleetOptions): Promise<DemoSource> {
  return new DemoSource(await startDemoFleet(opts));
}
