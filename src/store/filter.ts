import fuzzysort, { type SnapshotKey } from 'fuzzysort';
import type { App, Dyno } from '../heroku/model.js';

/** The apps and dynos left by a filter query, best matches first. */
export interface FilteredFleet {
  apps: App[];
  dynos: Record<string, Dyno[]>;
}

interface AppTarget {
  /** The app's position in the fleet. */
  app: number;
  name: string;
}

interface DynoTarget {
  dyno: Dyno;
  /** The app's position in the fleet. */
  app: number;
  /** This target's position in the index: one app's dynos are next to each other, in their list's order. */
  at: number;
  /** "app dyno": lets one query span both names, e.g. "billwork". */
  key: string;
}

/** Queries remembered per fleet: erasing a key (and typing it again) costs no search. A few
 * dozen: one result can hold every dyno, and what is kept old costs every garbage collection. */
const REMEMBERED_QUERIES = 32;

/**
 * One fleet made searchable: fuzzysort snapshots of the app names and of every dyno's
 * "app dyno" string, prepared once per data load (in the background, a few ms at a time,
 * until the first search needs them). fuzzysort narrows a search that extends the last
 * one to the previous matches; results are remembered by query.
 */
export interface FleetIndex {
  readonly apps: App[];
  readonly dynos: Record<string, Dyno[]>;
  readonly appTargets: SnapshotKey<AppTarget>;
  readonly dynoTargets: SnapshotKey<DynoTarget>;
  readonly dynoCount: number;
  /** App i's dynos are targets firstDyno[i] up to (not including) firstDyno[i + 1]. */
  readonly firstDyno: Uint32Array;
  /** The dynos in target order. */
  readonly dynoList: Dyno[];
  readonly everything: FilteredFleet;
  readonly remembered: Map<string, FilteredFleet>;
}

export function indexFleet(apps: App[], dynos: Record<string, Dyno[]>): FleetIndex {
  const targets: DynoTarget[] = [];
  const firstDyno = new Uint32Array(apps.length + 1);
  apps.forEach((app, i) => {
    firstDyno[i] = targets.length;
    for (const dyno of dynos[app.name] ?? []) targets.push({ dyno, app: i, at: targets.length, key: `${app.name} ${dyno.name}` });
  });
  firstDyno[apps.length] = targets.length;
  return {
    apps,
    dynos,
    appTargets: fuzzysort.snapshot(apps.map((app, i) => ({ app: i, name: app.name })), { key: 'name' }),
    dynoTargets: fuzzysort.snapshot(targets, { key: 'key' }),
    dynoCount: targets.length,
    firstDyno,
    dynoList: targets.map((t) => t.dyno),
    everything: { apps, dynos },
    remembered: new Map(),
  };
}

/** Every match, however weak, best first (fuzzysort's defaults keep the top 10 above 0.5). */
const ALL_MATCHES = { threshold: 0, limit: 0 } as const;

/**
 * Fuzzy filter over app and dyno names. An app stays when its name or one of its
 * dynos matches; its dynos are the ones whose "app dyno" string matches. Apps rank by
 * their best score (their name's or a dyno's), dynos by theirs; ties keep the fleet's order.
 */
export function searchFleet(index: FleetIndex, query: string): FilteredFleet {
  const q = query.trim();
  if (q === '') return index.everything;
  const known = index.remembered.get(q);
  if (known !== undefined) {
    // Most recently used last: the oldest is the first to go.
    index.remembered.delete(q);
    index.remembered.set(q, known);
    return known;
  }
  const result = search(index, q);
  index.remembered.set(q, result);
  if (index.remembered.size > REMEMBERED_QUERIES) index.remembered.delete(index.remembered.keys().next().value ?? '');
  return result;
}

// Scores live in typed arrays indexed by position (-1: no match), so a query that keeps all
// 10,000 dynos allocates a few arrays, not an object per hit.
function search(index: FleetIndex, q: string): FilteredFleet {
  const appScores = new Float64Array(index.apps.length).fill(-1);
  const dynoScores = new Float64Array(index.dynoCount).fill(-1);
  for (const hit of fuzzysort.go(q, index.appTargets, ALL_MATCHES)) appScores[hit.obj.app] = hit.score;
  for (const hit of fuzzysort.go(q, index.dynoTargets, ALL_MATCHES)) {
    const { app, at } = hit.obj;
    dynoScores[at] = hit.score;
    if (hit.score > (appScores[app] ?? -1)) appScores[app] = hit.score;
  }
  const ranked: number[] = [];
  appScores.forEach((score, i) => {
    if (score >= 0) ranked.push(i);
  });
  const byScore = (a: number, b: number): number => (appScores[b] ?? 0) - (appScores[a] ?? 0) || a - b;
  ranked.sort(byScore);
  const byDynoScore = (a: number, b: number): number => (dynoScores[b] ?? 0) - (dynoScores[a] ?? 0) || a - b;
  const keptDynos: Record<string, Dyno[]> = {};
  const apps = ranked.map((i) => {
    const app = index.apps[i] as App;
    const kept: number[] = [];
    let sorted = true;
    for (let at = index.firstDyno[i] ?? 0, end = index.firstDyno[i + 1] ?? 0; at < end; at++) {
      const score = dynoScores[at] ?? -1;
      if (score < 0) continue;
      if (sorted && kept.length > 0 && score > (dynoScores[kept[kept.length - 1] ?? 0] ?? 0)) sorted = false;
      kept.push(at);
    }
    if (!sorted) kept.sort(byDynoScore);
    keptDynos[app.name] = kept.map((at) => index.dynoList[at] as Dyno);
    return app;
  });
  return { apps, dynos: keptDynos };
}

const namePositions = new WeakMap<readonly { name: string }[], Map<string, number>>();

/** Where the app or dyno called `name` is in `list` (-1 when absent), in constant time after the first call. */
export function positionByName(list: readonly { name: string }[], name: string | null): number {
  if (name === null) return -1;
  let map = namePositions.get(list);
  if (map === undefined) {
    map = new Map();
    // The first of equal names wins, as Array.findIndex would.
    for (let i = list.length - 1; i >= 0; i--) map.set((list[i] as { name: string }).name, i);
    namePositions.set(list, map);
  }
  return map.get(name) ?? -1;
}

/** The filter as a plain function, for callers without an index: builds one each call. */
export function filterFleet(apps: App[], dynos: Record<string, Dyno[]>, query: string): FilteredFleet {
  return searchFleet(indexFleet(apps, dynos), query);
}
