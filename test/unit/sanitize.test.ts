import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { fitToWidth, sanitize, sanitizeLine, truncateToWidth } from '../../src/text/sanitize.js';

// Anything a terminal acts on or that reorders text.
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

test('sanitize: plain text is returned untouched', () => {
  assert.equal(sanitize('web.1'), 'web.1');
  assert.equal(sanitize('npm start -- --port=$PORT'), 'npm start -- --port=$PORT');
  assert.equal(sanitize(''), '');
  assert.equal(sanitize('café 日本 🚀 é'), 'café 日本 🚀 é');
});

test('sanitize: OSC title changes, BEL- and ST-terminated, and hyperlinks', () => {
  assert.equal(sanitize('\x1b]0;pwned\x07web.1'), 'web.1');
  assert.equal(sanitize('\x1b]2;pwned\x1b\\web.1'), 'web.1');
  assert.equal(sanitize('\u009d0;pwned\u009cweb.1'), 'web.1');
  assert.equal(sanitize('\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\'), 'click');
  assert.equal(sanitize('\x1b]52;c;cm0gLXJmIH4=\x07x'), 'x');
});

test('sanitize: screen clear and reset', () => {
  assert.equal(sanitize('\x1b[2J\x1b[Hweb.1'), 'web.1');
  assert.equal(sanitize('\x1b[3J\x1b[?1049hweb.1\x1b[?1049l'), 'web.1');
  assert.equal(sanitize('\x1bcweb.1'), 'web.1');
});

test('sanitize: cursor moves, colours and two-character escapes', () => {
  assert.equal(sanitize('ok\x1b[10;20Hfake'), 'okfake');
  assert.equal(sanitize('a\x1b[5Ab\x1b[3Dc'), 'abc');
  assert.equal(sanitize('\x1b[1;31mcrashed\x1b[0m'), 'crashed');
  assert.equal(sanitize('\x1b[38;2;255;0;0mred\x1b[m'), 'red');
  assert.equal(sanitize('\x1b7a\x1b8b\x1bMc\x1b(0d'), 'abcd');
});

test('sanitize: DCS, SOS, PM and APC strings', () => {
  assert.equal(sanitize('\x1bPq#0;2;0;0;0\x1b\\x'), 'x');
  assert.equal(sanitize('\x1bXsos\x1b\\x'), 'x');
  assert.equal(sanitize('\x1b^pm\x1b\\x'), 'x');
  assert.equal(sanitize('\x1b_apc\x1b\\x'), 'x');
  assert.equal(sanitize('\u0090dcs\u009cx'), 'x');
});

test('sanitize: a lone ESC and unterminated sequences lose their introducer', () => {
  assert.equal(sanitize('a\x1b'), 'a');
  assert.equal(sanitize('a\x1bQb'), 'aQb');
  assert.equal(sanitize('\x1b\x1b[31mx'), 'x');
  assert.equal(sanitize('a\u009cb'), 'ab');
  const open = sanitize('\x1b]0;never ends');
  assert.doesNotMatch(open, FORBIDDEN);
});

test('sanitize: C0 controls removed, tab and newline become a space', () => {
  assert.equal(sanitize('a\x00b\x07c\x08d\re\x0bf\x0cg'), 'abcdefg');
  assert.equal(sanitize('a\tb\nc'), 'a b c');
  assert.equal(sanitize('line\r\nnext'), 'line next');
  assert.equal(sanitize('a\u2028b'), 'a b');
  for (let c = 0; c < 0x20; c++) {
    const out = sanitize(`a${String.fromCharCode(c)}b`);
    assert.doesNotMatch(out, FORBIDDEN, `C0 0x${c.toString(16)}`);
  }
});

test('sanitize: DEL and C1 controls, including 8-bit CSI', () => {
  assert.equal(sanitize('a\x7fb'), 'ab');
  assert.equal(sanitize('a\u0085b'), 'ab');
  assert.equal(sanitize('\u009b31mred'), 'red');
  assert.equal(sanitize('\u009b2J'), '');
  assert.equal(sanitize('x\u009b'), 'x');
  for (let c = 0x80; c <= 0x9f; c++) {
    const out = sanitize(`a${String.fromCharCode(c)}b`);
    assert.doesNotMatch(out, FORBIDDEN, `C1 0x${c.toString(16)}`);
  }
});

test('sanitize: bidi overrides, isolates and marks', () => {
  assert.equal(sanitize('web.1\u202e1.bew'), 'web.11.bew');
  assert.equal(sanitize('\u2066\u2067\u2068x\u2069'), 'x');
  assert.equal(sanitize('\u202a\u202b\u202c\u202d\u202ex'), 'x');
  assert.equal(sanitize('a\u200eb\u200fc\u061cd'), 'abcd');
  // Legitimate right-to-left text stays.
  assert.equal(sanitize('שלום'), 'שלום');
});

test('sanitize: nothing forbidden survives a mix of everything', () => {
  const nasty =
    '\x1b]0;t\x07\x1b[2J\x1b[H\x1bP1$r\x1b\\\u009b?25l\u009d8;;u\u0007\x1b\u202e\x00\x7f\u0085\u2066z';
  const out = sanitize(nasty);
  assert.doesNotMatch(out, FORBIDDEN);
  assert.ok(out.endsWith('z'));
});

test('sanitize: very long input is handled in one linear pass', () => {
  const unit = '\x1b[31mab\x1b[0m\u202e\x07';
  const long = unit.repeat(200_000);
  const started = performance.now();
  const out = sanitize(long);
  const took = performance.now() - started;
  assert.equal(out, 'ab'.repeat(200_000));
  assert.ok(took < 2000, `took ${took} ms`);
});

test('truncateToWidth: fits, exact, one over, empty and non-positive widths', () => {
  assert.equal(truncateToWidth('web.1', 10), 'web.1');
  assert.equal(truncateToWidth('web.1', 5), 'web.1');
  assert.equal(truncateToWidth('worker.12', 5), 'work…');
  assert.equal(truncateToWidth('abcdef', 1), '…');
  assert.equal(truncateToWidth('a', 1), 'a');
  assert.equal(truncateToWidth('', 3), '');
  assert.equal(truncateToWidth('abc', 0), '');
  assert.equal(truncateToWidth('abc', -4), '');
});

test('truncateToWidth: wide CJK counts two and is never split', () => {
  const s = '日本語テキスト'; // 14 columns
  assert.equal(truncateToWidth(s, 14), s);
  assert.equal(truncateToWidth(s, 5), '日本…');
  assert.equal(truncateToWidth(s, 6), '日本…');
  assert.equal(truncateToWidth(s, 2), '…');
  assert.equal(truncateToWidth('ab日本', 4), 'ab…');
  for (let w = 1; w <= 15; w++) {
    const out = truncateToWidth(s, w);
    assert.ok(stringWidth(out) <= w, `width ${w}: ${out}`);
    assert.ok(w >= 14 || stringWidth(out) >= w - 1, `width ${w}: wasted columns in ${out}`);
  }
});

test('truncateToWidth: emoji and grapheme clusters stay whole', () => {
  assert.equal(truncateToWidth('🚀🚀🚀', 6), '🚀🚀🚀');
  assert.equal(truncateToWidth('🚀🚀🚀', 4), '🚀…');
  assert.equal(truncateToWidth('🚀🚀🚀', 5), '🚀🚀…');
  const family = '👨‍👩‍👧';
  assert.equal(truncateToWidth(`${family}x`, 3), `${family}x`);
  assert.equal(truncateToWidth(`${family}xy`, 3), `${family}…`);
  assert.equal(truncateToWidth('e\u0301e\u0301e\u0301', 2), 'e\u0301…');
  assert.equal(truncateToWidth('🇫🇷🇫🇷', 3), '🇫🇷…');
});

test('truncateToWidth: the ASCII fast path agrees with whole-string segmentation', () => {
  const segmenter = new Intl.Segmenter();
  const reference = (s: string, width: number): string => {
    if (stringWidth(s) <= width) return s;
    let out = '';
    let used = 0;
    for (const { segment } of segmenter.segment(s)) {
      const w = stringWidth(segment);
      if (used + w > width - 1) break;
      out += segment;
      used += w;
    }
    return out + '…';
  };
  // Pieces that join with their neighbours: combining marks, ZWJ, variation
  // selectors, keycaps, skin tones, flags, Hangul jamo, an Arabic prepend.
  const pieces = ['a', 'b', ' ', '1', '#', '\u0301', '\u200d', '\ufe0f', '\u20e3', '👍', '\u{1f3fd}',
    '🇫', '🇷', '\u1100', '\u1161', '\u0600', '日', '€', '\r', 'é', '👩', '\u200b'];
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let k = 0; k < 2000; k++) {
    let s = '';
    const len = next() % 14;
    for (let p = 0; p < len; p++) s += pieces[next() % pieces.length];
    const width = next() % 12;
    const expected = width <= 0 ? '' : reference(s, width);
    assert.equal(truncateToWidth(s, width), expected, `${JSON.stringify(s)} at ${width}`);
  }
});

test('truncateToWidth: very long input stops early', () => {
  const long = '日'.repeat(1_000_000);
  const started = performance.now();
  assert.equal(truncateToWidth(long, 7), '日日日…');
  assert.equal(truncateToWidth('x'.repeat(1_000_000), 4), 'xxx…');
  assert.ok(performance.now() - started < 500);
});

test('fitToWidth: pads to exactly the width', () => {
  assert.equal(fitToWidth('up', 5), 'up   ');
  assert.equal(fitToWidth('abcdef', 4), 'abc…');
  assert.equal(fitToWidth('日本語', 6), '日本語');
  assert.equal(fitToWidth('日本語', 5), '日本…');
  assert.equal(fitToWidth('日本語', 4), '日… ');
  assert.equal(fitToWidth('🚀', 3), '🚀 ');
  assert.equal(fitToWidth('', 3), '   ');
  assert.equal(fitToWidth('abc', 0), '');
  for (let w = 1; w <= 12; w++) assert.equal(stringWidth(fitToWidth('a日🚀bc日本', w)), w);
});

test('sanitizeLine: sanitizes before measuring, then truncates', () => {
  assert.equal(sanitizeLine('\x1b]0;a very long hidden title\x07web.1', 5), 'web.1');
  assert.equal(sanitizeLine('\x1b[31mworker.12\x1b[0m', 5), 'work…');
  assert.equal(sanitizeLine('a\nb\u202ec', 10), 'a bc');
  assert.equal(sanitizeLine('日本語\x1b[2J', 4), '日…');
  assert.equal(sanitizeLine('anything', 0), '');
});

test('sanitizeLine: fast enough to run for every visible row each frame', () => {
  const rows = Array.from({ length: 200 }, (_, i) => `web.${i}  up  Standard-1X  \x1b[2m${'npm start '.repeat(i % 7)}\x1b[0m 日本`);
  const started = performance.now();
  for (let frame = 0; frame < 50; frame++) for (const r of rows) sanitizeLine(r, 60);
  const perFrame = (performance.now() - started) / 50;
  // A frame is 16 ms; rows are far from the only work in it.
  assert.ok(perFrame < 8, `${perFrame.toFixed(2)} ms per 200-row frame`);
});
