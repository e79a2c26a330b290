import { styledCharsFromTokens as pkgFromTokens, styledCharsToString as pkgToString, tokenize } from '@alcalzone/ansi-tokenize';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededUniform } from '../../bench/lib/stats.js';
import { BoundedCache } from '../../src/ink-speedups/bounded-cache.js';
import { styledCharsFromTokens, styledCharsToString } from '../../src/ink-speedups/styled-chars.js';

// What Ink and chalk write: colours (16, 256, truecolor), intensity, the other attributes,
// their ends, full resets, links; text with wide and combining characters.
const CODES = [
  '\x1b[0m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[3m', '\x1b[23m', '\x1b[4m', '\x1b[24m', '\x1b[7m', '\x1b[27m',
  '\x1b[9m', '\x1b[29m', '\x1b[31m', '\x1b[36m', '\x1b[39m', '\x1b[92m', '\x1b[44m', '\x1b[49m', '\x1b[38;5;208m',
  '\x1b[48;5;17m', '\x1b[38;2;10;20;30m', '\x1b[48;2;1;2;3m', '\x1b]8;;https://example.com\x07', '\x1b]8;;\x07',
];
const TEXT = ['a', 'b', ' ', '●', '✖', '│', '漢', '😀', 'e\u0301', '-', '★'];

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => uniform(0, 1);
}

function line(rand: () => number): string {
  let s = '';
  const n = Math.floor(rand() * 40);
  for (let i = 0; i < n; i++) {
    const pool = rand() < 0.3 ? CODES : TEXT;
    s += pool[Math.floor(rand() * pool.length)] ?? '';
  }
  return s;
}

describe("Ink's styled characters, faster (the bundle's Ink Output uses these)", () => {
  it('make the same characters and the same strings as @alcalzone/ansi-tokenize, on 5,000 random lines', () => {
    const rand = random(42);
    for (let i = 0; i < 5000; i++) {
      const text = line(rand);
      const ours = styledCharsFromTokens(tokenize(text));
      const theirs = pkgFromTokens(tokenize(text));
      assert.deepEqual(ours, theirs, JSON.stringify(text));
      assert.equal(styledCharsToString(ours), pkgToString(theirs), JSON.stringify(text));
    }
  });

  it('write the same row when cells of different lines meet, blank cells among them (as Output.get does)', () => {
    const rand = random(7);
    const blank = { type: 'char' as const, value: ' ', fullWidth: false, styles: [] };
    for (let i = 0; i < 2000; i++) {
      const row = [
        ...styledCharsFromTokens(tokenize(line(rand))),
        blank,
        blank,
        ...styledCharsFromTokens(tokenize(line(rand))),
        { ...blank, styles: [] },
      ];
      assert.equal(styledCharsToString(row), pkgToString(row));
    }
  });

  it('share one style list between characters of the same style', () => {
    const chars = styledCharsFromTokens(tokenize('\x1b[36mab\x1b[39mc\x1b[36md'));
    assert.equal(chars[0]?.styles, chars[1]?.styles);
    assert.equal(chars[0]?.styles, chars[3]?.styles);
    assert.notEqual(chars[0]?.styles, chars[2]?.styles);
  });
});

describe('BoundedCache', () => {
  it('keeps what is used, forgets what is not, and stays within two generations', () => {
    const cache = new BoundedCache<string, number>(3);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) cache.set(k, v);
    cache.set('d', 4); // a new generation: a, b, c are the previous one
    assert.equal(cache.get('a'), 1); // found there, moved to the current one
    cache.set('e', 5);
    cache.set('f', 6); // current (a, d, e) full: previous becomes a, d, e... b and c go
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('c'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('f'), 6);
    assert.ok(cache.size <= 6);
  });
});
