import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertTerminalRestored, killScreens, startDynotty } from '../helpers/dynotty.js';

after(killScreens);

describe('dynotty start-up', () => {
  it('draws the demo fleet in its first frame: no loading frame before it', async () => {
    const screen = startDynotty();
    const text = await screen.waitFor(/compare ways in: acme-billing · web\.1/);
    assert.match(text, /demo@dynotty\.dev │ demo fleet │ 5 apps/);
    assert.ok(!screen.raw.includes('loading…') && !screen.raw.includes('not loaded'), 'the header never said loading');
    // The dynos come up after that frame, and the picker follows them.
    await screen.waitFor(/● web\.1\s+up/, 8000);
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });
});
