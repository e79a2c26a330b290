import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { describe, it } from 'node:test';
import { TerminalGuard } from '../../src/terminal.js';

describe('TerminalGuard.ownsScreen', () => {
  it('is true only while dynotty’s alternate screen is up: not before, during a hand-off or after restore', () => {
    const out = openSync('/dev/null', 'w');
    try {
      const stdin = { isTTY: false } as unknown as NodeJS.ReadStream;
      const guard = new TerminalGuard(stdin, out, false);
      assert.equal(guard.ownsScreen, false);
      guard.enter();
      assert.equal(guard.ownsScreen, true);
      guard.handOff();
      assert.equal(guard.ownsScreen, false);
      guard.reclaim();
      assert.equal(guard.ownsScreen, true);
      guard.restore();
      assert.equal(guard.ownsScreen, false);
    } finally {
      closeSync(out);
    }
  });
});
