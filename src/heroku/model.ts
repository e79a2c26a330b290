// The Heroku data dynotty works with: plain typed values, whatever the source
// (the heroku CLI's --json output, the Platform API, or the demo fleet).

export type Generation = 'cedar' | 'fir';

/** Known dyno states; the API may send others, which are kept as they come. */
export type KnownDynoState =
  | 'starting'
  | 'up'
  | 'down'
  | 'crashed'
  | 'idle'
  | 'created'
  | 'provisioning'
  | 'complete';
export type DynoState = KnownDynoState | (string & {});

export interface Space {
  name: string;
  shield: boolean;
}

export interface App {
  id: string;
  name: string;
  ownerEmail: string | null;
  team: string | null;
  region: string | null;
  space: Space | null;
  stack: string | null;
  generation: Generation;
  /** e.g. `eco`, `basic`, `production`; null when the source does not say. */
  processTier: string | null;
  maintenance: boolean;
  /**
   * Whether the `runtime-heroku-exec` feature is on: true, false, or null when
   * the source cannot tell (the CLI's `apps --json` does not include it).
   */
  execEnabled: boolean | null;
  webUrl: string | null;
  /**
   * The app's stage in its pipeline (`production`, `staging`, `development`, `review`, or
   * another the API sends). Null: in no pipeline; absent: the source cannot tell (the CLI's
   * `apps --json` does not say, and `heroku pipelines:info` per app is too slow).
   */
  pipelineStage?: string | null;
}

export interface Dyno {
  id: string;
  /** `web.1`, `worker.2`, one-off `run.4821`; on Fir `web-848cd4f64d-pvpr2`. */
  name: string;
  /** `web`, `worker`, `run`, ... */
  type: string;
  state: DynoState;
  /** `Eco`, `Basic`, `Standard-1X`, ..., `Shield-M` */
  size: string;
  command: string;
  createdAt: string | null;
  updatedAt: string | null;
  appName: string;
  releaseVersion: number | null;
}

/** One-off dynos come from `heroku run` and are not part of the formation. */
export function isOneOff(dyno: Pick<Dyno, 'type' | 'name'>): boolean {
  return dyno.type === 'run' || /^run[.-]/.test(dyno.name);
}
