// Ink measures the width of every text node again on every frame (render-node-to-output.js
// calls widest-line, which segments each line into graphemes): with 10,000 dynos, the
// largest cost of a frame left after Output's. The same answer, remembered: the bundle
// (scripts/bundle.ts) gives Ink this instead, and a bounded cache for its measure-text.
import stringWidth from 'string-width';
import { BoundedCache } from './bounded-cache.js';

const widths = new BoundedCache<string, number>(4096);

/** As widest-line: the display width of the widest line of `text`. */
export function widestLine(text: string): number {
  let width = widths.get(text);
  if (width === undefined) {
    width = 0;
    for (const line of text.split('\n')) width = Math.max(width, stringWidth(line));
    widths.set(text, width);
  }
  return width;
}
