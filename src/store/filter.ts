import fuzzysort from 'fuzzysort';
import type { App, Dyno } from '../heroku/model.js';

/** The apps and dynos left by a filter query, best matches first. */
export interface FilteredFleet {
  apps: App[];
  dynos: Record<string, Dyno[]>;
}

interface DynoTarget {
  dyno: Dyno;
  /** "app dyno": lets one query span both names, e.g. "billwork". */
  key: string;
}

const everything = (apps: App[], dynos: Record<string, Dyno[]>): FilteredFleet => ({ apps, dynos });

/**
 * Fuzzy filter over app and dyno names. An app stays when its name or one of its
 * dynos matches; its dynos are the ones whose "app dyno" string matches.
 */
export function filterFleet(apps: App[], dynos: Record<string, Dyno[]>, query: string): FilteredFleet {
  const q = query.trim();
  if (q === '') return everything(apps, dynos);
  const ranked: { app: App; score: number }[] = [];
  const keptDynos: Record<string, Dyno[]> = {};
  for (const app of apps) {
    const appScore = fuzzysort.single(q, app.name)?.score ?? 0;
    const targets: DynoTarget[] = (dynos[app.name] ?? []).map((dyno) => ({ dyno, key: `${app.name} ${dyno.name}` }));
    const hits = fuzzysort.go(q, targets, { key: 'key', threshold: 0, limit: 0 });
    if (appScore === 0 && hits.length === 0) continue;
    keptDynos[app.name] = hits.map((h) => h.obj.dyno);
    ranked.push({ app, score: Math.max(appScore, hits[0]?.score ?? 0) });
  }
  ranked.sort((a, b) => b.score - a.score);
  return { apps: ranked.map((r) => r.app), dynos: keptDynos };
}
