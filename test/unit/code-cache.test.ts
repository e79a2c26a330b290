import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { codeCacheDir, runCachedScript } from '../../src/code-cache.js';

interface Probe {
  answer: number;
  dirname: string;
  joined: string;
  squares: number[];
}

const SCRIPT = `(function (exports, require, module, __filename, __dirname) {
  const path = require('node:path');
  function square(n) { return n * n; }
  module.exports = { answer: 42, dirname: __dirname, joined: path.join('a', 'b'), squares: [1, 2, 3].map(square) };
})`;

describe('runCachedScript', () => {
  let dir: string;
  let script: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-code-cache-'));
    script = path.join(dir, 'probe-ABC123.js');
    writeFileSync(script, SCRIPT);
    cache = path.join(dir, 'cache', 'code', 'probe-ABC123.cache');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const expected = (): Probe => ({ answer: 42, dirname: dir, joined: path.join('a', 'b'), squares: [1, 4, 9] });

  it('runs the script with its own require and folder, writes the cache once, and the next run uses it', () => {
    const first = runCachedScript<Probe>(script, cache);
    assert.equal(first.cache, 'none');
    assert.deepEqual(first.exports, expected());
    assert.equal(first.saveCache(), true);
    assert.equal(first.saveCache(), false, 'written once');
    assert.equal(statSync(cache).mode & 0o777, 0o600, 'readable by the user only: it is code');
    assert.equal(statSync(path.dirname(cache)).mode & 0o777, 0o700);

    const second = runCachedScript<Probe>(script, cache);
    assert.equal(second.cache, 'used');
    assert.deepEqual(second.exports, expected());
    assert.equal(second.saveCache(), false, 'nothing to write when the cache was used');
  });

  it('runs the script as if there were no cache when the cache is not V8s (and writes a good one)', () => {
    mkdirSync(path.dirname(cache), { recursive: true });
    writeFileSync(cache, 'not a code cache at all, just some text of about this length');
    const run = runCachedScript<Probe>(script, cache);
    assert.equal(run.cache, 'rejected');
    assert.deepEqual(run.exports, expected());
    assert.equal(run.saveCache(), true);
    assert.equal(runCachedScript<Probe>(script, cache).cache, 'used');
  });

  it('refuses a cache made for another script of the same length', () => {
    runCachedScript<Probe>(script, cache).saveCache();
    writeFileSync(script, SCRIPT.replace('answer: 42', 'answer: 43'));
    // V8 itself checks only the length, and would run the old code.
    const run = runCachedScript<Probe>(script, cache);
    assert.equal(run.exports.answer, 43, 'the source is what runs');
    assert.equal(run.cache, 'rejected');
  });

  it('clears what else is in its folder when it writes: earlier builds caches, left temporary files', () => {
    mkdirSync(path.dirname(cache), { recursive: true });
    const old = path.join(path.dirname(cache), 'probe-OLD999.cache');
    const leftover = path.join(path.dirname(cache), 'probe-ABC123.cache.999.tmp');
    writeFileSync(old, 'x');
    writeFileSync(leftover, 'x');
    runCachedScript<Probe>(script, cache).saveCache();
    assert.deepEqual(readdirSync(path.dirname(cache)), [path.basename(cache)]);
  });

  it('goes on without a cache where none can be written, and without one when asked for none', () => {
    // A file where the cache's folder would be.
    writeFileSync(path.join(dir, 'cache'), 'in the way');
    const blocked = runCachedScript<Probe>(script, cache);
    assert.deepEqual(blocked.exports, expected());
    assert.equal(blocked.saveCache(), false);
    assert.equal(readFileSync(path.join(dir, 'cache'), 'utf8'), 'in the way');

    const none = runCachedScript<Probe>(script, null);
    assert.equal(none.cache, 'none');
    assert.equal(none.saveCache(), false);
    assert.ok(!existsSync(cache));
  });
});

describe('codeCacheDir', () => {
  it('is under $XDG_CACHE_HOME when that is an absolute path, else under ~/.cache', () => {
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u'), path.join('/x/cache', 'dynotty', 'code'));
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'), path.join('/home/u', '.cache', 'dynotty', 'code'));
    assert.equal(codeCacheDir({}, '/home/u'), path.join('/home/u', '.cache', 'dynotty', 'code'));
  });

  it('is none without a home to put it in', () => {
    assert.equal(codeCacheDir({}, ''), null);
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '' }, 'relative/home'), null);
  });
});
