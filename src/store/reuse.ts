import type { App, Dyno } from '../heroku/model.js';

/** Whether two plain JSON-like values (primitives, arrays, plain objects) are equal all the way down. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `next`, with every element equal to the one at the same place in `prev` replaced by it; `prev` itself when all are. */
function reuseList<T>(prev: readonly T[] | undefined, next: T[]): T[] {
  if (prev === undefined) return next;
  let all = prev.length === next.length;
  const out = next.map((x, i) => {
    const old = prev[i];
    if (old !== undefined && sameData(old, x)) return old;
    all = false;
    return x;
  });
  return all ? (prev as T[]) : out;
}

export interface FleetData {
  apps: App[];
  dynos: Record<string, Dyno[]>;
  appErrors: Record<string, string>;
}

/**
 * The fleet a refresh brought, sharing every app, dyno list and record that did not change
 * with the one on screen: a refresh that changed nothing changes no identity, so the
 * filter's index, the memoised selectors and the rows stay as they are.
 */
export function reuseUnchanged(prev: FleetData, next: FleetData): FleetData {
  const apps = reuseList(prev.apps, next.apps);
  const dynos: Record<string, Dyno[]> = {};
  let sameDynos = Object.keys(prev.dynos).length === Object.keys(next.dynos).length;
  for (const [name, list] of Object.entries(next.dynos)) {
    dynos[name] = reuseList(prev.dynos[name], list);
    if (dynos[name] !== prev.dynos[name]) sameDynos = false;
  }
  return {
    apps,
    dynos: sameDynos ? prev.dynos : dynos,
    appErrors: sameData(prev.appErrors, next.appErrors) ? prev.appErrors : next.appErrors,
  };
}
