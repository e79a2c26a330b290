import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { whenQuietFor } from '../../src/store/quiet.js';

describe('whenQuietFor', () => {
  it('runs a step only once nothing has changed for the quiet time, however long changes go on', async () => {
    let lastChange = performance.now();
    const schedule = whenQuietFor(40, () => lastChange);
    let ranAt: number | null = null;
    schedule(() => (ranAt = performance.now()));
    // Changes every 10 ms for 150 ms: never 40 ms of quiet.
    const busyUntil = performance.now() + 150;
    while (performance.now() < busyUntil) {
      lastChange = performance.now();
      await sleep(10);
      assert.equal(ranAt, null, 'no step while changes keep coming');
    }
    const lastAt = lastChange;
    await sleep(120);
    assert.notEqual(ranAt, null, 'the step ran once it was quiet');
    assert.ok((ranAt ?? 0) - lastAt >= 39, `ran ${((ranAt ?? 0) - lastAt).toFixed(1)} ms after the last change`);
  });

  it('runs at once when it has been quiet already, and keeps no timer alive', async () => {
    const schedule = whenQuietFor(40, () => performance.now() - 1000);
    const ran = await new Promise<boolean>((resolve) => {
      schedule(() => resolve(true));
      setTimeout(() => resolve(false), 30);
    });
    assert.equal(ran, true);
    // A step that can never run must not hold the process: its timers are unref'd.
    whenQuietFor(40, () => performance.now())(() => assert.fail('never quiet'));
  });
});
