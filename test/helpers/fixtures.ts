import type { App, Dyno } from '../../src/heroku/model.js';
import type { Fleet, FleetSource } from '../../src/heroku/source.js';

export function app(overrides: Partial<App> = {}): App {
  const name = overrides.name ?? 'acme-web';
  return {
    id: `id-${name}`,
    name,
    ownerEmail: 'dev@example.com',
    team: null,
    region: 'us',
    space: null,
    stack: 'heroku-24',
    generation: 'cedar',
    processTier: 'production',
    maintenance: false,
    execEnabled: true,
    webUrl: `https://${name}.herokuapp.com/`,
    ...overrides,
  };
}

export function dyno(overrides: Partial<Dyno> = {}): Dyno {
  const name = overrides.name ?? 'web.1';
  const appName = overrides.appName ?? 'acme-web';
  return {
    id: `id-${appName}-${name}`,
    name,
    type: name.split(/[.-]/)[0] ?? 'web',
    state: 'up',
    size: 'Standard-1X',
    command: 'npm start',
    createdAt: new Date(Date.now() - 3_600_000).toISOString(),
    updatedAt: new Date(Date.now() - 3_600_000).toISOString(),
    appName,
    releaseVersion: 42,
    ...overrides,
  };
}

export function fleet(apps: App[], dynos: Dyno[], extra: Partial<Fleet> = {}): Fleet {
  const byApp: Record<string, Dyno[]> = {};
  for (const a of apps) byApp[a.name] = [];
  for (const d of dynos) (byApp[d.appName] ??= []).push(d);
  return { account: 'dev@example.com', apps, dynos: byApp, appErrors: {}, ...extra };
}

/** The standard small fleet the store and component tests share. */
export function sampleFleet(): Fleet {
  return fleet(
    [
      app({ name: 'acme-billing', execEnabled: false }),
      app({ name: 'acme-ml-fir', generation: 'fir' }),
      app({ name: 'acme-web' }),
    ],
    [
      dyno({ appName: 'acme-billing', name: 'web.1' }),
      dyno({ appName: 'acme-billing', name: 'worker.1', state: 'crashed', command: 'node worker.js' }),
      dyno({ appName: 'acme-ml-fir', name: 'web-848cd4f64d-pvpr2' }),
      dyno({ appName: 'acme-web', name: 'web.1' }),
      dyno({ appName: 'acme-web', name: 'web.2' }),
      dyno({ appName: 'acme-web', name: 'worker.1', command: 'node worker.js' }),
    ],
  );
}

/** A source that serves whatever the test sets, and counts its loads. */
export class FakeSource implements FleetSource {
  readonly kind = 'demo' as const;
  readonly label = 'fake fleet';
  loads = 0;
  closed = 0;
  next: Fleet | Error;

  constructor(initial: Fleet | Error = sampleFleet()) {
    this.next = initial;
  }

  async load(): Promise<Fleet> {
    this.loads++;
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
