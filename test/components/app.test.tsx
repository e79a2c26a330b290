import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from '../../components/App.js';
import { renderWith, settle, storeWith } from './render-helpers.js';

describe('App', () => {
  it('lays out header, lists, comparison and footer, and routes keys', async () => {
    const store = await storeWith();
    const { lastFrame, stdin, unmount } = renderWith(store, <App />);
    await settle();
    let frame = lastFrame() ?? '';
    assert.match(frame, /APPS 3/);
    assert.match(frame, /DYNOS acme-billing/);
    assert.match(frame, /compare ways in: acme-billing · web\.1/);
    assert.match(frame, /q quit/);

    stdin.write('j');
    await settle();
    assert.match(lastFrame() ?? '', /compare ways in: acme-ml-fir/);

    stdin.write('?');
    await settle();
    frame = lastFrame() ?? '';
    assert.match(frame, /dynotty keys/);
    assert.doesNotMatch(frame, /compare ways in/);
    stdin.write('\x1b');
    await settle();
    assert.match(lastFrame() ?? '', /compare ways in/);

    stdin.write('q');
    await settle();
    assert.equal(store.getState().quitting, true);
    unmount();
  });
});
