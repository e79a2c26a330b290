import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reuseUnchanged, sameData } from '../../src/store/reuse.js';
import { createAppStore, selectVisible } from '../../src/store/store.js';
import { app, dyno, fakeServices, FakeSource, sampleFleet } from '../helpers/fixtures.js';

describe('a refresh keeps what did not change', () => {
  it('compares plain data all the way down', () => {
    assert.ok(sameData({ a: 1, b: [1, { c: null }] }, { a: 1, b: [1, { c: null }] }));
    assert.ok(!sameData({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!sameData([1, 2], { 0: 1, 1: 2 }));
    assert.ok(!sameData({ space: { name: 's', shield: true } }, { space: { name: 's', shield: false } }));
    assert.ok(!sameData(null, {}));
  });

  it('returns the old arrays and records when nothing changed', () => {
    const before = sampleFleet();
    const after = reuseUnchanged(before, structuredClone(before));
    assert.equal(after.apps, before.apps);
    assert.equal(after.dynos, before.dynos);
    assert.equal(after.appErrors, before.appErrors);
  });

  it('shares unchanged apps and dyno lists, and takes the changed ones', () => {
    const before = sampleFleet();
    const next = structuredClone(before);
    next.dynos['acme-web'] = next.dynos['acme-web']!.map((d) => (d.name === 'web.2' ? dyno({ ...d, state: 'crashed' }) : d));
    next.apps[1] = app({ ...next.apps[1]!, maintenance: true });
    const after = reuseUnchanged(before, next);
    assert.notEqual(after.apps, before.apps);
    assert.equal(after.apps[0], before.apps[0]);
    assert.equal(after.apps[1], next.apps[1]);
    assert.notEqual(after.dynos, before.dynos);
    assert.equal(after.dynos['acme-billing'], before.dynos['acme-billing']);
    assert.notEqual(after.dynos['acme-web'], before.dynos['acme-web']);
    assert.equal(after.dynos['acme-web']![0], before.dynos['acme-web']![0], 'an unchanged dyno in a changed list is shared');
    assert.equal(after.dynos['acme-web']![1]!.state, 'crashed');
  });

  it('sees apps and dynos that came or went', () => {
    const before = sampleFleet();
    const next = structuredClone(before);
    next.apps.pop();
    delete next.dynos['acme-web'];
    const after = reuseUnchanged(before, next);
    assert.deepEqual(after.apps.map((a) => a.name), ['acme-billing', 'acme-ml-fir']);
    assert.deepEqual(Object.keys(after.dynos), ['acme-billing', 'acme-ml-fir']);
  });

  it('in the store: an unchanged refresh keeps the filtered lists themselves, a changed one shows the change', async () => {
    const first = sampleFleet();
    const source = new FakeSource(first);
    const store = createAppStore(fakeServices(source, () => 1_000));
    await store.getState().refresh();
    store.getState().editFilter('web');
    const shown = selectVisible(store.getState());
    source.next = structuredClone(first);
    await store.getState().refresh();
    assert.equal(selectVisible(store.getState()), shown, 'same lists, no new search');

    const changed = structuredClone(first);
    changed.dynos['acme-web']!.push(dyno({ appName: 'acme-web', name: 'web.3' }));
    source.next = changed;
    await store.getState().refresh();
    assert.ok(selectVisible(store.getState()).dynos['acme-web']?.some((d) => d.name === 'web.3'), 'the new dyno is listed');
  });
});
