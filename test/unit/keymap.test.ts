import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Key } from 'ink';
import { handleKey } from '../../components/keymap.js';
import { createAppStore } from '../../src/store/store.js';
import { fakeServices, FakeSource } from '../helpers/fixtures.js';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const k = (over: Partial<Key>): Key => ({ ...noKey, ...over });

async function store() {
  const s = createAppStore(fakeServices(new FakeSource(), () => 0));
  await s.getState().refresh();
  return s;
}

describe('keymap', () => {
  it('j/k and arrows move, → and ←/h switch focus, Tab toggles', async () => {
    const s = await store();
    handleKey(s, 'j', noKey, 5);
    assert.equal(s.getState().selectedApp, 'acme-ml-fir');
    handleKey(s, '', k({ upArrow: true }), 5);
    assert.equal(s.getState().selectedApp, 'acme-billing');
    handleKey(s, '', k({ rightArrow: true }), 5);
    assert.equal(s.getState().focus, 'dynos');
    handleKey(s, '', k({ downArrow: true }), 5);
    assert.equal(s.getState().selectedDyno, 'worker.1');
    handleKey(s, '', k({ leftArrow: true }), 5);
    assert.equal(s.getState().focus, 'apps');
    handleKey(s, '\t', k({ tab: true }), 5);
    assert.equal(s.getState().focus, 'dynos');
  });

  it('G, g and pages', async () => {
    const s = await store();
    handleKey(s, 'G', noKey, 5);
    assert.equal(s.getState().selectedApp, 'acme-web');
    handleKey(s, 'g', noKey, 5);
    assert.equal(s.getState().selectedApp, 'acme-billing');
    handleKey(s, '', k({ pageDown: true }), 2);
    assert.equal(s.getState().selectedApp, 'acme-web');
  });

  it('in the filter line, letters type (even j, k and q), Backspace deletes, Enter keeps, Esc clears', async () => {
    const s = await store();
    handleKey(s, '/', noKey, 5);
    for (const ch of 'fjq') handleKey(s, ch, noKey, 5);
    assert.equal(s.getState().filterQuery, 'fjq');
    assert.equal(s.getState().quitting, false);
    handleKey(s, '', k({ backspace: true }), 5);
    handleKey(s, '', k({ delete: true }), 5);
    assert.equal(s.getState().filterQuery, 'f');
    handleKey(s, 'ir', noKey, 5);
    assert.equal(s.getState().filterQuery, 'fir', 'a pasted chunk is typed');
    handleKey(s, '\x1b[200~', noKey, 5);
    assert.equal(s.getState().filterQuery, 'fir', 'control sequences are not typed');
    handleKey(s, '\r', k({ return: true }), 5);
    assert.equal(s.getState().filterEditing, false);
    assert.equal(s.getState().filterQuery, 'fir');
    handleKey(s, '', k({ escape: true }), 5);
    assert.equal(s.getState().filterQuery, '');
  });

  it('a run of keys read at once acts as each key in turn', async () => {
    const s = await store();
    handleKey(s, 'jj\tj', noKey, 5);
    assert.equal(s.getState().selectedApp, 'acme-web');
    assert.equal(s.getState().focus, 'dynos');
    assert.equal(s.getState().selectedDyno, 'web.2');
    handleKey(s, '/bil\r', noKey, 5);
    assert.equal(s.getState().filterQuery, 'bil');
    assert.equal(s.getState().filterEditing, false);
    // (x here would ask about enabling exec on acme-billing, and Ctrl-C there cancels the question.)
    handleKey(s, 'f\x03', noKey, 5);
    assert.equal(s.getState().fullscreenNext, true);
    assert.equal(s.getState().quitting, true, 'Ctrl-C inside a run still quits');
  });

  it('help takes the keys while open', async () => {
    const s = await store();
    handleKey(s, '?', noKey, 5);
    assert.equal(s.getState().overlay, 'help');
    handleKey(s, 'j', noKey, 5);
    assert.equal(s.getState().selectedApp, 'acme-billing', 'j does not move under help');
    handleKey(s, 'q', noKey, 5);
    assert.equal(s.getState().overlay, null, 'q closes help first');
    assert.equal(s.getState().quitting, false);
  });

  it('q and Ctrl-C quit; Ctrl-C quits even from the filter line', async () => {
    const s = await store();
    handleKey(s, 'q', noKey, 5);
    assert.equal(s.getState().quitting, true);
    const t = await store();
    handleKey(t, '/', noKey, 5);
    handleKey(t, 'c', k({ ctrl: true }), 5);
    assert.equal(t.getState().quitting, true);
  });

  it('R refreshes', async () => {
    const source = new FakeSource();
    const s = createAppStore(fakeServices(source, () => 0));
    await s.getState().refresh();
    handleKey(s, 'R', noKey, 5);
    await new Promise((r) => setImmediate(r));
    assert.equal(source.loads, 2);
  });
});
