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
  /** The dyno's position in its app's list: ties keep it. */
  order: number;
  /** "app dyno": lets one query span both names, e.g. "billwork". */
  key: string;
}

/** Queries remembered per fleet: erasing a key (and typing it again) costs no search. A few
 * dozen: one result can hold every dyno, and what is kept old costs every garbage collection. */
const REMEMBERED_QUERIES = 32;

/**
 * One fleet made searchable: fuzzysort snapshots of the app names and, per app, of its
 * dynos' "app dyno" strings, prepared once per data load (in the background, a few ms at a
 * time, until the first search needs them). fuzzysort narrows a search that extends the
 * last one to the previous matches; results are remembered by query.
 */
export interface FleetIndex {
  readonly apps: App[];
  readonly dynos: Record<string, Dyno[]>;
  readonly appTargets: SnapshotKey<AppTarget>;
  /** Per app (same positions as `apps`): its dynos' targets. */
  readonly dynoTargets: SnapshotKey<DynoTarget>[];
  readonly everything: FilteredFleet;
  readonly remembered: Map<string, FilteredFleet>;
}

export function indexFleet(apps: App[], dynos: Record<string, Dyno[]>): FleetIndex {
  return {
    apps,
    dynos,
    appTargets: fuzzysort.snapshot(apps.map((app, i) => ({ app: i, name: app.name })), { key: 'name' }),
    dynoTargets: apps.map((app) =>
      fuzzysort.snapshot((dynos[app.name] ?? []).map((dyno, order) => ({ dyno, order, key: `${app.name} ${dyno.name}` })), { key: 'key' }),
    ),
    everything: { apps, dynos },
    remembered: new Map(),
  };
}

/** Every match, however weak (fuzzysort's defaults keep the top 10 above 0.5). */
const ALL_MATCHES = { threshold: 0, limit: 0 } as const;
/** Only the best match: fuzzysort still finds them all, but builds a result for one. */
const BEST_MATCH = { threshold: 0, limit: 1 } as const;

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

// Ranking needs each app's best score, not a result per matching dyno: a query that keeps
// all 10,000 dynos builds 100 results, and an app's full list is made when it is first read
// (the selected app's at once; another's when the cursor reaches it).
function search(index: FleetIndex, q: string): FilteredFleet {
  const scores = new Float64Array(index.apps.length).fill(-1);
  for (const hit of fuzzysort.go(q, index.appTargets, ALL_MATCHES)) scores[hit.obj.app] = hit.score;
  index.dynoTargets.forEach((targets, i) => {
    const best = fuzzysort.go(q, targets, BEST_MATCH)[0];
    if (best !== undefined && best.score > (scores[i] ?? -1)) scores[i] = best.score;
  });
  const ranked: number[] = [];
  scores.forEach((score, i) => {
    if (score >= 0) ranked.push(i);
  });
  ranked.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const kept: Record<string, Dyno[]> = {};
  for (const i of ranked) {
    const name = (index.apps[i] as App).name;
    const targets = index.dynoTargets[i] as SnapshotKey<DynoTarget>;
    Object.defineProperty(kept, name, {
      enumerable: true,
      configurable: true,
      get() {
        const list = matchingDynos(targets, q);
        Object.defineProperty(kept, name, { value: list, enumerable: true, configurable: false, writable: false });
        return list;
      },
    });
  }
  return { apps: ranked.map((i) => index.apps[i] as App), dynos: kept };
}

function matchingDynos(targets: SnapshotKey<DynoTarget>, q: string): Dyno[] {
  return fuzzysort
    .go(q, targets, ALL_MATCHES)
    .map((hit) => ({ target: hit.obj, score: hit.score }))
    .sort((a, b) => b.score - a.score || a.target.order - b.target.order)
    .map((h) => h.target.dyno);
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
