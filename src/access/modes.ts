// The access modes and which of them an app shows.
import type { App } from '../heroku/model.js';
import type { AccessMode, AccessModeId } from './model.js';

export const RUN: AccessMode = { id: 'run', title: 'heroku run bash', key: 'r' };
export const EXEC: AccessMode = { id: 'exec', title: 'heroku ps:exec', key: 'x' };
// Shares `x` with exec: on a Fir app, `x` means run:inside.
export const RUN_INSIDE: AccessMode = { id: 'run-inside', title: 'heroku run:inside', key: 'x' };

export const MODES: Readonly<Record<AccessModeId, AccessMode>> = {
  run: RUN,
  exec: EXEC,
  'run-inside': RUN_INSIDE,
};

/** The comparison columns. Fir still lists exec, marked unavailable, so the user learns why. */
export function modesFor(app: Pick<App, 'generation'>): AccessMode[] {
  return app.generation === 'fir' ? [RUN, EXEC, RUN_INSIDE] : [RUN, EXEC];
}

/** The mode a picker key starts for this app, or null when the key starts none. */
export function modeForKey(app: Pick<App, 'generation'>, key: string): AccessModeId | null {
  if (key === RUN.key) return 'run';
  if (key === EXEC.key) return app.generation === 'fir' ? 'run-inside' : 'exec';
  return null;
}
