import type { App, Dyno } from '../heroku/model.js';

/** The ways to get a shell, each delegated to the heroku CLI. */
export type AccessModeId = 'run' | 'exec' | 'run-inside';

export interface AccessMode {
  id: AccessModeId;
  /** The command as users know it: `heroku run bash`. */
  title: string;
  /** The picker key that starts it. */
  key: string;
}

/** ok: go ahead; caution: works, but read the reason first; unavailable: will not work. */
export type Verdict = 'ok' | 'caution' | 'unavailable';

export interface Availability {
  mode: AccessModeId;
  verdict: Verdict;
  /** Short, specific to this app and dyno: "dyno is crashed", "Fir app: use run:inside". */
  reason: string;
}

/** What the rules look at: the app, and the selected dyno (null when the app has none). */
export interface AccessTarget {
  app: App;
  dyno: Dyno | null;
}
