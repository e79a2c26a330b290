// What each access mode can do for one app and dyno, and why not when it cannot.
// Order of checks: generation and space, then dyno presence, one-off, state, then
// feature and tier. Unavailable reasons come before cautions for the same mode.
import { isOneOff } from '../heroku/model.js';
import type { Dyno } from '../heroku/model.js';
import { truncateToWidth, sanitize } from '../text/sanitize.js';
import type { AccessModeId, AccessTarget, Availability, Verdict } from './model.js';

/** Reasons must fit a narrow column. */
export const MAX_REASON = 40;

const STARTING_STATES: ReadonlySet<string> = new Set(['starting', 'created', 'provisioning']);

function verdict(mode: AccessModeId, v: Verdict, reason: string): Availability {
  return { mode, verdict: v, reason: truncateToWidth(reason, MAX_REASON) };
}

function isShield(target: AccessTarget): boolean {
  return target.app.space?.shield === true;
}

function dynoLabel(dyno: Dyno): string {
  return sanitize(dyno.name);
}

/** Whether a live dyno in this state can take a shell: null when it can. */
function stateProblem(mode: AccessModeId, dyno: Dyno): Availability | null {
  if (dyno.state === 'up') return null;
  // Not accepting connections yet, but about to: worth trying, with a warning.
  if (STARTING_STATES.has(dyno.state)) return verdict(mode, 'caution', 'dyno is starting');
  const state = sanitize(String(dyno.state)).trim();
  return verdict(mode, 'unavailable', state === '' ? 'dyno state unknown' : `dyno is ${state}`);
}

function runAvailability(target: AccessTarget): Availability {
  // A new dyno is made, so the selected dyno's state does not matter; nor does
  // maintenance mode, which only affects the router.
  if (isShield(target)) return verdict('run', 'caution', 'Shield space: keystrokes are logged');
  return verdict('run', 'ok', 'starts a new one-off dyno');
}

function execAvailability(target: AccessTarget): Availability {
  const { app, dyno } = target;
  if (app.generation === 'fir') return verdict('exec', 'unavailable', 'Fir app: use run:inside');
  if (isShield(target)) return verdict('exec', 'unavailable', 'Shield space: exec restricted');
  if (dyno === null) return verdict('exec', 'unavailable', 'no dyno selected');
  // Inferred from the exec buildpack: one-offs do not run the exec agent.
  if (isOneOff(dyno)) return verdict('exec', 'unavailable', 'one-off dyno: exec not supported');
  const problem = stateProblem('exec', dyno);
  if (problem !== null) return problem;
  // The restart of every dyno outweighs the Eco doubt, which outweighs "unknown".
  if (app.execEnabled === false) {
    return verdict('exec', 'caution', 'exec not enabled: restarts all dynos');
  }
  if (dyno.size.toLowerCase() === 'eco') {
    return verdict('exec', 'caution', 'exec on Eco dynos not confirmed');
  }
  if (app.execEnabled === null) {
    return verdict('exec', 'caution', 'exec may need enabling (restarts dynos)');
  }
  return verdict('exec', 'ok', `live dyno ${dynoLabel(dyno)}`);
}

function runInsideAvailability(target: AccessTarget): Availability {
  const { app, dyno } = target;
  if (app.generation !== 'fir') return verdict('run-inside', 'unavailable', 'Cedar app: use ps:exec');
  // run:inside goes through the run API, not the exec buildpack: one-offs are not ruled out.
  if (dyno === null) return verdict('run-inside', 'unavailable', 'no dyno selected');
  const problem = stateProblem('run-inside', dyno);
  if (problem !== null) return problem;
  if (isShield(target)) {
    return verdict('run-inside', 'caution', 'Shield: needs ssh key (heroku keys:add)');
  }
  return verdict('run-inside', 'ok', `live dyno ${dynoLabel(dyno)}`);
}

export function availability(mode: AccessModeId, target: AccessTarget): Availability {
  switch (mode) {
    case 'run':
      return runAvailability(target);
    case 'exec':
      return execAvailability(target);
    case 'run-inside':
      return runInsideAvailability(target);
  }
}

/**
 * Always `run`. Enter is the key pressed without reading, so it gets the mode that
 * works on every app (Cedar, Fir, Shield: never unavailable, whatever the dyno's
 * state) and cannot harm production: a fresh isolated dyno with config vars set,
 * gone on exit. Entering a live dyno shares its CPU and memory, and on an app
 * without exec enabled restarts every dyno; that stays a deliberate `x`.
 */
export function recommendedMode(_target: AccessTarget): AccessModeId {
  return 'run';
}
