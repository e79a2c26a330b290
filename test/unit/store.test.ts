import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore, selectApp, selectDyno, selectVisible, selectVisibleDynos } from '../../src/store/store.js';
import { app, dyno, fakeServices, fleet, FakeSource, sampleFleet } from '../helpers/fixtures.js';

async function loadedStore(source = new FakeSource()) {
  const store = createAppStore(fakeServices(source, () => 1_000));
  await store.getState().refresh();
  return { store, source };
}

describe('store', () => {
  it('loads the fleet and selects the first app and its first dyno', async () => {
    const { store } = await loadedStore();
    const s = store.getState();
    assert.equal(s.apps.length, 3);
    assert.equal(s.selectedApp, 'acme-billing');
    assert.equal(s.selectedDyno, 'web.1');
    assert.equal(s.loadedAt, 1_000);
    assert.equal(s.account, 'dev@example.com');
  });

  it('moves through apps and resets the dyno to the new app\'s first', async () => {
    const { store } = await loadedStore();
    store.getState().move(1);
    assert.equal(store.getState().selectedApp, 'acme-ml-fir');
    assert.equal(store.getState().selectedDyno, 'web-848cd4f64d-pvpr2');
    store.getState().move(10);
    assert.equal(store.getState().selectedApp, 'acme-web', 'clamped at the last app');
    store.getState().move(-10);
    assert.equal(store.getState().selectedApp, 'acme-billing', 'clamped at the first app');
  });

  it('moves through dynos when the dynos pane has focus, and to the edges', async () => {
    const { store } = await loadedStore();
    store.getState().moveToEdge('last');
    store.getState().focusPane('dynos');
    store.getState().move(1);
    assert.equal(store.getState().selectedDyno, 'web.2');
    store.getState().moveToEdge('last');
    assert.equal(store.getState().selectedDyno, 'worker.1');
    assert.equal(selectDyno(store.getState())?.command, 'node worker.js');
    store.getState().moveToEdge('first');
    assert.equal(store.getState().selectedDyno, 'web.1');
    assert.equal(store.getState().selectedApp, 'acme-web', 'moving dynos keeps the app');
  });

  it('toggles focus with Tab semantics', async () => {
    const { store } = await loadedStore();
    store.getState().toggleFocus();
    assert.equal(store.getState().focus, 'dynos');
    store.getState().toggleFocus();
    assert.equal(store.getState().focus, 'apps');
  });

  it('keeps the selection across a refresh, and falls back when the selected dyno is gone', async () => {
    const { store, source } = await loadedStore();
    store.getState().moveToEdge('last');
    store.getState().focusPane('dynos');
    store.getState().move(1);
    assert.equal(store.getState().selectedDyno, 'web.2');
    await store.getState().refresh();
    assert.equal(store.getState().selectedApp, 'acme-web');
    assert.equal(store.getState().selectedDyno, 'web.2');

    const shrunk = sampleFleet();
    shrunk.dynos['acme-web'] = shrunk.dynos['acme-web']!.filter((d) => d.name !== 'web.2');
    source.next = shrunk;
    await store.getState().refresh();
    assert.equal(store.getState().selectedApp, 'acme-web');
    assert.equal(store.getState().selectedDyno, 'web.1');
  });

  it('keeps the last good data when a refresh fails, with the error', async () => {
    const { store, source } = await loadedStore();
    source.next = new Error('heroku ps --json -a acme-web timed out after 20 s');
    await store.getState().refresh();
    const s = store.getState();
    assert.equal(s.apps.length, 3);
    assert.match(s.loadError ?? '', /timed out/);
    assert.equal(s.loadedAt, 1_000);
    source.next = sampleFleet();
    await store.getState().refresh();
    assert.equal(store.getState().loadError, null);
  });

  it('joins concurrent refreshes into one load', async () => {
    const source = new FakeSource();
    const store = createAppStore(fakeServices(source, () => 1));
    await Promise.all([store.getState().refresh(), store.getState().refresh(), store.getState().refresh()]);
    assert.equal(source.loads, 1);
    assert.equal(store.getState().loading, false);
  });

  it('filters fuzzily, selecting the best match while typing, and clears', async () => {
    const { store } = await loadedStore();
    store.getState().startFilter();
    store.getState().editFilter('webwork');
    let s = store.getState();
    assert.deepEqual(selectVisible(s).apps.map((a) => a.name), ['acme-web']);
    assert.deepEqual(selectVisibleDynos(s).map((d) => d.name), ['worker.1']);
    assert.equal(s.selectedApp, 'acme-web');
    assert.equal(s.selectedDyno, 'worker.1');

    store.getState().acceptFilter();
    s = store.getState();
    assert.equal(s.filterEditing, false);
    assert.equal(s.focus, 'dynos', 'Enter lands on the matching dyno');
    assert.equal(s.filterQuery, 'webwork', 'Enter keeps the filter');

    store.getState().clearFilter();
    s = store.getState();
    assert.equal(s.filterQuery, '');
    assert.equal(selectVisible(s).apps.length, 3);
    assert.equal(s.selectedApp, 'acme-web', 'clearing keeps the selection');
  });

  it('an app-name query keeps all of that app\'s dynos; a query matching nothing empties the lists', async () => {
    const { store } = await loadedStore();
    store.getState().editFilter('billing');
    assert.deepEqual(selectVisible(store.getState()).apps.map((a) => a.name), ['acme-billing']);
    assert.equal(selectVisibleDynos(store.getState()).length, 2);
    store.getState().editFilter('zzzz');
    const s = store.getState();
    assert.equal(selectVisible(s).apps.length, 0);
    assert.equal(s.selectedApp, null);
    assert.equal(selectApp(s), null);
    assert.equal(selectDyno(s), null);
    s.move(1);
    assert.equal(store.getState().selectedApp, null, 'moving in an empty list is harmless');
  });

  it('opens and closes help, and quits', async () => {
    const { store } = await loadedStore();
    store.getState().toggleHelp();
    assert.equal(store.getState().overlay, 'help');
    store.getState().closeOverlay();
    assert.equal(store.getState().overlay, null);
    store.getState().quit();
    assert.equal(store.getState().quitting, true);
  });

  it('handles an app with no dynos', async () => {
    const source = new FakeSource(fleet([app({ name: 'empty-app' })], []));
    const { store } = await loadedStore(source);
    assert.equal(store.getState().selectedApp, 'empty-app');
    assert.equal(store.getState().selectedDyno, null);
    store.getState().focusPane('dynos');
    store.getState().move(1);
    assert.equal(store.getState().selectedDyno, null);
  });

  it('filters 10,000 dynos', async () => {
    const apps = Array.from({ length: 100 }, (_, i) => app({ name: `app-${String(i).padStart(3, '0')}` }));
    const dynos = apps.flatMap((a) => Array.from({ length: 100 }, (_, j) => dyno({ appName: a.name, name: `web.${j + 1}` })));
    const { store } = await loadedStore(new FakeSource(fleet(apps, dynos)));
    store.getState().editFilter('app-042 web.77');
    const s = store.getState();
    assert.equal(s.selectedApp, 'app-042');
    assert.equal(s.selectedDyno, 'web.77');
  });
});
