// string-width's test for "this grapheme is an RGI emoji" (/^\p{RGI_Emoji}$/v), the same
// answers at a fraction of the start-up cost. That regex is a class of ~3,600 strings:
// building it takes ~13 ms and its first match ~20-50 ms more, and the picker's first
// frame draws ✔, which would pay both. The bundle (scripts/bundle.ts) puts this in
// string-width's place; test/unit/rgi-emoji.test.ts checks it against the regex.

/**
 * A single code point is an RGI emoji only as a basic emoji, and every basic emoji of one
 * code point has Emoji_Presentation (UTS #51, ED-20). Text-presentation characters such
 * as ✔ or ⚠ are RGI only followed by U+FE0F: two code points, asked of the full regex.
 */
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;

let rgi: RegExp | null = null;

export const rgiEmoji = {
  test(segment: string): boolean {
    const first = segment.codePointAt(0);
    if (first === undefined) return false;
    if (segment.length === (first > 0xffff ? 2 : 1) && !EMOJI_PRESENTATION.test(segment)) return false;
    rgi ??= new RegExp('^\\p{RGI_Emoji}$', 'v');
    return rgi.test(segment);
  },
};
