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

/** Fleets smaller than this search fast enough cold. */
const WARM_UP_MIN_DYNOS = 2000;
/** How much of the fleet the warm-up searches: each of its searches stays a few ms long, even cold. */
const WARM_UP_DYNOS = 2000;
let warmedUp = false;

/**
 * Until V8 has optimised fuzzysort and the search here, a search costs several times what
 * it costs later: with 10,000 dynos a fresh query's first keys took 10-30 ms of search
 * alone, the same keys later 1-3 ms. So the first time a big fleet is loaded, a copy of part
 * of it (its own index: the real one's remembered queries stay untouched) is searched in
 * the background, one search per step of `schedule` (the store's waits until no key has
 * come for a while), with queries made of its own names (`warmUpQueries`). Once per
 * process: optimised code stays.
 */
export function warmUpSearch(apps: App[], dynos: Record<string, Dyno[]>, schedule: (step: () => void) => void = setImmediate): boolean {
  let total = 0;
  for (const app of apps) total += dynos[app.name]?.length ?? 0;
  if (warmedUp || total < WARM_UP_MIN_DYNOS) return false;
  warmedUp = true;
  const part: App[] = [];
  let taken = 0;
  for (const app of apps) {
    if (taken >= WARM_UP_DYNOS) break;
    part.push(app);
    taken += dynos[app.name]?.length ?? 0;
  }
  const index = indexFleet(part, dynos);
  const queries = warmUpQueries(part, dynos);
  const step = (i: number): void => {
    const q = queries[i];
    if (q === undefined) return;
    const found = searchFleet(index, q);
    const first = found.apps[0];
    if (first !== undefined) void found.dynos[first.name];
    schedule(() => step(i + 1));
  };
  schedule(() => step(0));
  return true;
}

/**
 * What users type, made of the fleet's own names: a name typed a key at a time and erased,
 * its end, initials with digits, a dyno name, "app dyno" whole, and a miss. The more kinds of
 * query, the more of the search V8 has optimised: doubling them halved the worst cold search
 * measured over 10,000 dynos (11-17 ms to 6-10 ms).
 */
function warmUpQueries(apps: App[], dynos: Record<string, Dyno[]>): string[] {
  const middle = apps[Math.floor(apps.length / 2)]?.name ?? 'a';
  const first = apps[0]?.name ?? middle;
  const list = dynos[middle] ?? [];
  const dyno = list[Math.floor(list.length / 2)]?.name ?? 'web.1';
  const typed = (text: string): string[] => {
    const steps: string[] = [];
    for (let i = 1; i <= text.length; i++) steps.push(text.slice(0, i));
    for (let i = text.length - 1; i >= 1; i--) steps.push(text.slice(0, i));
    return steps;
  };
  const digits = (name: string): string => name.replace(/\D/g, '');
  const initials = (name: string): string => `${name[0] ?? ''}${name[Math.floor(name.length / 2)] ?? ''}${digits(name).slice(-1)}`;
  return [
    ...typed(middle.slice(0, 8)),
    ...typed(`${middle[0] ?? ''}${digits(middle).slice(-1)}${dyno[0] ?? ''}${dyno.at(-1) ?? ''}`),
    ...typed(dyno),
    `${middle} ${dyno}`,
    ...typed('zq'),
    ...typed(first.slice(-6)),
    ...typed(initials(first)),
    ...typed(`${first[1] ?? ''}${digits(first)}`),
    ...typed(`${dyno.slice(0, 3)}${digits(first).slice(-2)}`),
    ...typed(`${middle.slice(0, 4)}${digits(middle).slice(-1)}${dyno[0] ?? ''}`),
  ];
}

/** For tests: lets the next big fleet warm the search up again. */
export function resetWarmUp(): void {
  warmedUp = false;
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
