import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore, selectDyno, selectVisibleDynos, type AppState } from '../../src/store/store.js';
import { app, dyno, fakeServices, FakeSource, fleet } from '../helpers/fixtures.js';

async function bigStore(apps: number, dynosEach: number) {
  const names = Array.from({ length: apps }, (_, i) => `app-${String(i).padStart(3, '0')}`);
  const source = new FakeSource(
    fleet(
      names.map((name) => app({ name })),
      names.flatMap((appName) => Array.from({ length: dynosEach }, (_, j) => dyno({ appName, name: `web.${j + 1}` }))),
    ),
  );
  const store = createAppStore(fakeServices(source, () => 1_000));
  await store.getState().refresh();
  return store;
}

/** Every state subscribers were shown, from now on. */
function recordStates(store: Awaited<ReturnType<typeof bigStore>>): AppState[] {
  const seen: AppState[] = [];
  store.subscribe((s) => void seen.push(s));
  return seen;
}

describe('picker selection in one update per key', () => {
  it('moving to another app shows it with its first dyno at once, never with no dyno selected', async () => {
    const store = await bigStore(5, 3);
    const seen = recordStates(store);
    store.getState().move(1);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.selectedApp, 'app-001');
    assert.equal(seen[0]?.selectedDyno, 'web.1');
  });

  it('a filter key updates the query and the best-match selection together', async () => {
    const store = await bigStore(20, 20);
    const seen = recordStates(store);
    store.getState().startFilter();
    store.getState().editFilter('app-01');
    store.getState().editFilter('app-017');
    store.getState().editFilter('app-017 web.20');
    assert.equal(seen.length, 4);
    const last = seen.at(-1)!;
    assert.equal(last.filterQuery, 'app-017 web.20');
    assert.equal(last.selectedApp, 'app-017');
    assert.equal(last.selectedDyno, 'web.20');
    assert.equal(selectDyno(last)?.name, 'web.20');
    store.getState().editFilter('app-017 web.2');
    assert.equal(seen.at(-1)?.filterQuery, 'app-017 web.2');
    assert.equal(seen.at(-1)?.selectedApp, 'app-017');
  });

  it('moves through a long dyno list by position, to the edges and back, and a no-op move tells no one', async () => {
    const store = await bigStore(2, 500);
    store.getState().focusPane('dynos');
    store.getState().moveToEdge('last');
    assert.equal(store.getState().selectedDyno, 'web.500');
    store.getState().move(-250);
    assert.equal(store.getState().selectedDyno, selectVisibleDynos(store.getState())[249]?.name);
    store.getState().moveToEdge('first');
    const seen = recordStates(store);
    store.getState().move(-1);
    assert.equal(store.getState().selectedDyno, 'web.1');
    assert.equal(seen.length, 0);
  });
});
