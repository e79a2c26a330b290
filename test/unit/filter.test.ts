import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fuzzysort from 'fuzzysort';
import type { App, Dyno } from '../../src/heroku/model.js';
import { indexFleet, positionByName, resetWarmUp, searchFleet, warmUpSearch, type FilteredFleet } from '../../src/store/filter.js';
import { app, dyno } from '../helpers/fixtures.js';

/** A fleet shaped like the bench's (apps of many similar dynos), with a few odd names. */
function bigFleet(apps: number, dynosEach: number): { apps: App[]; dynos: Record<string, Dyno[]> } {
  const list: App[] = [];
  const dynos: Record<string, Dyno[]> = {};
  for (let i = 1; i <= apps; i++) {
    const name = i % 10 === 0 ? `billing-${i}` : `load-app-${String(i).padStart(4, '0')}`;
    list.push(app({ name }));
    dynos[name] = Array.from({ length: dynosEach }, (_, j) =>
      dyno({ appName: name, name: j % 7 === 3 ? `worker.${j}` : j % 11 === 5 ? `run.${4000 + j}` : `web.${j + 1}` }),
    );
  }
  return { apps: list, dynos };
}

/**
 * The filter's meaning, computed the slow, obvious way: every name scored on its own
 * with fuzzysort.single. An app stays when its name or one of its "app dyno" strings
 * matches; apps by best score, dynos by score, ties in the fleet's order.
 */
function reference(apps: App[], dynos: Record<string, Dyno[]>, query: string): FilteredFleet {
  const q = query.trim();
  if (q === '') return { apps, dynos };
  const ranked: { app: App; score: number; at: number }[] = [];
  const kept: Record<string, Dyno[]> = {};
  apps.forEach((a, at) => {
    let best = fuzzysort.single(q, a.name)?.score ?? -1;
    const hits: { d: Dyno; score: number; order: number }[] = [];
    (dynos[a.name] ?? []).forEach((d, order) => {
      const score = fuzzysort.single(q, `${a.name} ${d.name}`)?.score;
      if (score === undefined) return;
      hits.push({ d, score, order });
      best = Math.max(best, score);
    });
    if (best < 0) return;
    hits.sort((x, y) => y.score - x.score || x.order - y.order);
    kept[a.name] = hits.map((h) => h.d);
    ranked.push({ app: a, score: best, at });
  });
  ranked.sort((x, y) => y.score - x.score || x.at - y.at);
  return { apps: ranked.map((r) => r.app), dynos: kept };
}

function names(f: FilteredFleet): { apps: string[]; dynos: Record<string, string[]> } {
  const dynos: Record<string, string[]> = {};
  for (const a of f.apps) dynos[a.name] = (f.dynos[a.name] ?? []).map((d) => d.name);
  return { apps: f.apps.map((a) => a.name), dynos };
}

const QUERIES = ['app42web7', 'load0077 web.19', 'ld9w3', 'web.100', 'bil wor', 'run.40', 'zzz', 'W', 'load-app-0013', '  web.4  '];

describe('fleet filter', () => {
  it('typing a query a key at a time gives, at every key, what a fresh search and the reference give', () => {
    const { apps, dynos } = bigFleet(40, 60);
    const typed = indexFleet(apps, dynos);
    for (const q of QUERIES) {
      // Typed forward (fuzzysort narrows to the previous matches), then erased (remembered results).
      const steps = [...Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)), ...Array.from({ length: q.length }, (_, i) => q.slice(0, q.length - 1 - i))];
      for (const step of steps) {
        const incremental = names(searchFleet(typed, step));
        const fresh = names(searchFleet(indexFleet(apps, dynos), step));
        assert.deepEqual(incremental, fresh, `"${step}": typed vs fresh`);
        assert.deepEqual(incremental, names(reference(apps, dynos, step)), `"${step}": vs reference`);
      }
    }
  });

  it('an app\'s list read later, after other searches, is still the one for its own query', () => {
    const { apps, dynos } = bigFleet(30, 40);
    const index = indexFleet(apps, dynos);
    const early = searchFleet(index, 'web.1');
    // Other searches move fuzzysort's narrowing state on: longer, shorter and unrelated queries.
    for (const q of ['web.12', 'web.123', 'w', 'run', 'bil wor', 'web.']) names(searchFleet(index, q));
    searchFleet(index, 'web.13');
    assert.deepEqual(names(early), names(reference(apps, dynos, 'web.1')));
  });

  it('keeps an app by its name alone, with all its dynos, and spans app and dyno names', () => {
    const { apps, dynos } = bigFleet(20, 5);
    const byName = searchFleet(indexFleet(apps, dynos), 'billing-20');
    assert.equal(byName.apps[0]?.name, 'billing-20');
    assert.equal(byName.dynos['billing-20']?.length, 5);
    const spanning = names(searchFleet(indexFleet(apps, dynos), 'bill10wor'));
    assert.deepEqual(spanning.apps, ['billing-10']);
    assert.deepEqual(spanning.dynos['billing-10'], ['worker.3']);
  });

  it('returns the same object for the same query, and everything for a blank one', () => {
    const { apps, dynos } = bigFleet(10, 10);
    const index = indexFleet(apps, dynos);
    const first = searchFleet(index, 'web.3');
    searchFleet(index, 'web.');
    assert.equal(searchFleet(index, 'web.3'), first, 'remembered');
    assert.equal(searchFleet(index, ' web.3 '), first, 'surrounding blanks do not count');
    const all = searchFleet(index, '  ');
    assert.equal(all.apps, apps);
    assert.equal(all.dynos, dynos);
  });

  it('forgets the oldest queries beyond its memory and still answers them right', () => {
    const { apps, dynos } = bigFleet(10, 10);
    const index = indexFleet(apps, dynos);
    const early = names(searchFleet(index, 'load-app-0003'));
    for (let i = 0; i < 100; i++) searchFleet(index, `web.${i}`);
    assert.ok(index.remembered.size <= 32, `remembers at most 32 queries, not ${index.remembered.size}`);
    assert.deepEqual(names(searchFleet(index, 'load-app-0003')), early);
  });

  it('handles apps without dynos and an empty fleet', () => {
    const lonely = [app({ name: 'solo' }), app({ name: 'pair' })];
    const index = indexFleet(lonely, { pair: [dyno({ appName: 'pair', name: 'web.1' })] });
    assert.deepEqual(names(searchFleet(index, 'solo')), { apps: ['solo'], dynos: { solo: [] } });
    assert.deepEqual(names(searchFleet(index, 'pweb')), { apps: ['pair'], dynos: { pair: ['web.1'] } });
    assert.deepEqual(names(searchFleet(indexFleet([], {}), 'x')), { apps: [], dynos: {} });
  });
});

describe('search warm-up', () => {
  it('searches a copy of part of a big fleet, a step per turn, once per process; small fleets are left alone', () => {
    resetWarmUp();
    const queued: (() => void)[] = [];
    const schedule = (step: () => void): void => void queued.push(step);
    const small = bigFleet(10, 50);
    assert.equal(warmUpSearch(small.apps, small.dynos, schedule), false, '500 dynos search fast enough cold');
    assert.equal(queued.length, 0);

    const { apps, dynos } = bigFleet(40, 60);
    const index = indexFleet(apps, dynos);
    const before = names(searchFleet(index, 'app'));
    assert.equal(warmUpSearch(apps, dynos, schedule), true);
    let steps = 0;
    while (queued.length > 0) {
      assert.equal(queued.length, 1, 'one step at a time: each schedules the next');
      (queued.shift() as () => void)();
      steps++;
    }
    assert.ok(steps > 20, `${steps} searches`);
    assert.equal(index.remembered.size, 1, "the fleet's own index is not touched");
    assert.deepEqual(names(searchFleet(index, 'app')), before);
    assert.deepEqual(names(searchFleet(index, 'load0007')), names(reference(apps, dynos, 'load0007')), 'and searches as before');
    assert.equal(warmUpSearch(apps, dynos, schedule), false, 'once per process');
    assert.equal(queued.length, 0);
  });
});

describe('positionByName', () => {
  it('finds a name like findIndex does, first of equal names, -1 when absent or null', () => {
    const list = [{ name: 'a' }, { name: 'b' }, { name: 'a' }];
    assert.equal(positionByName(list, 'a'), 0);
    assert.equal(positionByName(list, 'b'), 1);
    assert.equal(positionByName(list, 'c'), -1);
    assert.equal(positionByName(list, null), -1);
    assert.equal(positionByName([], 'a'), -1);
  });
});
