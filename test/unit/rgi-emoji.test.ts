import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rgiEmoji } from '../../src/text/rgi-emoji.js';

// As string-width writes it (a literal with the v flag needs a newer TypeScript target).
const RGI = new RegExp('^\\p{RGI_Emoji}$', 'v');

describe('rgiEmoji (string-width in the bundle)', () => {
  it('answers as /^\\p{RGI_Emoji}$/v for every single code point', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      if (rgiEmoji.test(s) !== RGI.test(s)) wrong.push(cp.toString(16));
    }
    assert.deepEqual(wrong, []);
  });

  it('answers as the regex for sequences: presentation selectors, keycaps, flags, modifiers, ZWJ, tags', () => {
    const samples = [
      '', 'a', 'ab', '✔', '✔\uFE0F', '✔\uFE0E', '⚠\uFE0F', '#\uFE0F\u20E3', '1\u20E3', '🇫🇷', '🇫', '👍🏽', '🏽', '👩\u200D💻',
      '👨\u200D👩\u200D👧\u200D👦', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', '😀😀', 'e\u0301', '☺\uFE0F', '❤\uFE0F\u200D🔥', '\uD83D',
    ];
    for (const s of samples) assert.equal(rgiEmoji.test(s), RGI.test(s), JSON.stringify(s));
  });
});
