// Untrusted text (app and dyno names, commands, error output) made safe to draw
// outside a session pane, and cut to terminal columns.
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

const ELLIPSIS = '…';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Line and tab breaks would split a row; they become a single space.
const BREAKS = /[\t\n\u2028\u2029]/g;
// What is left after escape sequences are gone: C0 (a lone ESC too), DEL, C1
// (8-bit CSI and friends), and the bidi controls that reorder what follows.
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const segmenter = new Intl.Segmenter();

// strip-ansi skips strings holding neither ESC nor 8-bit CSI, so the 8-bit
// DCS/SOS/OSC/PM/APC introducers are spelled in their 7-bit form first.
const C1_STRING_INTRODUCERS = /[\u0090\u0098\u009d\u009e\u009f]/g;
const SEVEN_BIT: Readonly<Record<string, string>> = {
  '\u0090': '\x1bP',
  '\u0098': '\x1bX',
  '\u009d': '\x1b]',
  '\u009e': '\x1b^',
  '\u009f': '\x1b_',
};
const toSevenBit = (c: string): string => SEVEN_BIT[c] ?? '';

/** Removes escape sequences and every control or bidi character. */
export function sanitize(s: string): string {
  if (PRINTABLE_ASCII.test(s)) return s;
  return stripAnsi(s.replace(C1_STRING_INTRODUCERS, toSevenBit))
    .replace(BREAKS, ' ')
    .replace(CONTROLS, '');
}

// string-width costs microseconds per non-ASCII grapheme; rows reuse few of them.
const graphemeWidths = new Map<string, number>();
const GRAPHEME_CACHE_LIMIT = 4096;

function graphemeWidth(g: string): number {
  let w = graphemeWidths.get(g);
  if (w === undefined) {
    w = stringWidth(g);
    if (graphemeWidths.size >= GRAPHEME_CACHE_LIMIT) graphemeWidths.clear();
    graphemeWidths.set(g, w);
  }
  return w;
}

function isPrintableAscii(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

interface Cut {
  text: string;
  /** Its width in columns. */
  width: number;
}

/** The cut behind truncateToWidth, also reporting the width so callers need not re-measure. */
function cut(s: string, width: number): Cut {
  if (width <= 0) return { text: '', width: 0 };
  if (PRINTABLE_ASCII.test(s)) {
    return s.length <= width ? { text: s, width: s.length } : { text: s.slice(0, width - 1) + ELLIPSIS, width };
  }
  const budget = width - 1;
  const n = s.length;
  let used = 0;
  let keepEnd = 0;
  let keepWidth = 0;
  let i = 0;
  while (i < n) {
    // Fast path: a printable ASCII char followed by ASCII is a grapheme of its own
    // (only non-ASCII code points extend or join a cluster).
    if (isPrintableAscii(s.charCodeAt(i)) && (i + 1 === n || s.charCodeAt(i + 1) < 0x80)) {
      used += 1;
      i += 1;
      if (used > width) return { text: s.slice(0, keepEnd) + ELLIPSIS, width: keepWidth + 1 };
      if (used <= budget) [keepEnd, keepWidth] = [i, used];
      continue;
    }
    // Segment only up to the next spot where ASCII meets printable ASCII: a
    // grapheme boundary whatever came before, so the two paths agree.
    let j = i + 1;
    while (j < n && !(isPrintableAscii(s.charCodeAt(j)) && s.charCodeAt(j - 1) < 0x80)) j++;
    for (const { segment, index } of segmenter.segment(s.slice(i, j))) {
      used += graphemeWidth(segment);
      if (used > width) return { text: s.slice(0, keepEnd) + ELLIPSIS, width: keepWidth + 1 };
      if (used <= budget) [keepEnd, keepWidth] = [i + index + segment.length, used];
    }
    i = j;
  }
  return { text: s, width: used };
}

/**
 * At most `width` columns, ending with `…` when cut. Expects plain text (see
 * sanitize). Stops at the first grapheme past the limit, so long input is cheap.
 */
export function truncateToWidth(s: string, width: number): string {
  return cut(s, width).text;
}

/** Exactly `width` columns: truncated, then padded with spaces. */
export function fitToWidth(s: string, width: number): string {
  const c = cut(s, width);
  return c.width >= width ? c.text : c.text + ' '.repeat(width - c.width);
}

/** The one call for drawing an untrusted string in a row of `width` columns. */
export function sanitizeLine(s: string, width: number): string {
  return truncateToWidth(sanitize(s), width);
}
