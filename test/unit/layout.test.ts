import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeLayout, scrollOffset } from '../../components/layout.js';

describe('layout', () => {
  it('fits 80x24 with every comparison row and a usable list', () => {
    const l = computeLayout({ columns: 80, rows: 24 });
    assert.equal(l.tooSmall, false);
    assert.equal(l.height, 23, 'one line short of the terminal, so Ink does not clear each frame');
    assert.equal(2 + l.listLines + l.comparisonLines, l.height);
    assert.ok(l.listLines >= 6);
    assert.equal(l.comparisonRows, 8);
    assert.equal(l.appsWidth + l.dynosWidth, 80);
  });

  it('is still usable at 60x20, with fewer comparison rows', () => {
    const l = computeLayout({ columns: 60, rows: 20 });
    assert.equal(l.tooSmall, false);
    assert.ok(l.listLines >= 5);
    assert.ok(l.comparisonRows >= 3 && l.comparisonRows < 8);
    assert.equal(2 + l.listLines + l.comparisonLines, l.height);
  });

  it('says too small below 60x20', () => {
    assert.equal(computeLayout({ columns: 59, rows: 30 }).tooSmall, true);
    assert.equal(computeLayout({ columns: 100, rows: 19 }).tooSmall, true);
  });

  it('scrolls so the selection stays in view', () => {
    assert.equal(scrollOffset(0, 100, 10), 0);
    assert.equal(scrollOffset(50, 100, 10), 45);
    assert.equal(scrollOffset(99, 100, 10), 90);
    assert.equal(scrollOffset(3, 5, 10), 0);
    assert.equal(scrollOffset(-1, 100, 10), 0);
  });
});
