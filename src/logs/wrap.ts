// Cutting a styled line into rows of a given width (wide characters take two columns
// and never straddle a row), and marking search matches in it.
import stringWidth from 'string-width';
import type { Run } from '../session/screen.js';

const segmenter = new Intl.Segmenter();
const widths = new Map<string, number>();

function graphemeWidth(g: string): number {
  const c = g.charCodeAt(0);
  if (g.length === 1 && c >= 0x20 && c < 0x7f) return 1;
  let w = widths.get(g);
  if (w === undefined) {
    w = stringWidth(g);
    if (widths.size > 4096) widths.clear();
    widths.set(g, w);
  }
  return w;
}

function graphemes(text: string): Iterable<string> {
  // Printable ASCII is one grapheme per character: skip the segmenter.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The line's rows at `width` columns; an empty line is one empty row. */
export function wrapRuns(runs: readonly Run[], width: number): Run[][] {
  const rows: Run[][] = [[]];
  let used = 0;
  for (const run of runs) {
    let piece = '';
    const flush = (): void => {
      if (piece !== '') rows.at(-1)?.push({ text: piece, style: run.style });
      piece = '';
    };
    for (const g of graphemes(run.text)) {
      const w = graphemeWidth(g);
      if (w === 0 && piece === '' && used === 0) continue;
      if (used + w > width && used > 0) {
        flush();
        rows.push([]);
        used = 0;
      }
      piece += g;
      used += w;
    }
    flush();
  }
  return rows;
}

/** Where `query` occurs in `text` (UTF-16 offsets); case-insensitive unless the query has a capital. */
export function findAll(text: string, query: string): number[] {
  if (query === '') return [];
  const caseSensitive = /\p{Lu}/u.test(query);
  const hay = caseSensitive ? text : text.toLowerCase();
  const needle = caseSensitive ? query : query.toLowerCase();
  const found: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + Math.max(1, needle.length))) found.push(i);
  return found;
}

/**
 * The runs with every match of `query` drawn inverted (readable without colour), and
 * the match starting at `current` also bold and underlined.
 */
export function highlightRuns(runs: readonly Run[], text: string, query: string, current: number | null): Run[] {
  const starts = findAll(text, query);
  if (starts.length === 0) return [...runs];
  const ranges = starts.map((s) => ({ start: s, end: s + query.length, current: s === current }));
  const out: Run[] = [];
  let offset = 0;
  for (const run of runs) {
    const runEnd = offset + run.text.length;
    let pos = offset;
    for (const r of ranges) {
      if (r.end <= pos || r.start >= runEnd) continue;
      const from = Math.max(r.start, pos);
      const to = Math.min(r.end, runEnd);
      if (from > pos) out.push({ text: run.text.slice(pos - offset, from - offset), style: run.style });
      const style = { ...run.style, inverse: !run.style.inverse, ...(r.current ? { bold: true, underline: true } : {}) };
      out.push({ text: run.text.slice(from - offset, to - offset), style });
      pos = to;
    }
    if (pos < runEnd) out.push({ text: run.text.slice(pos - offset), style: run.style });
    offset = runEnd;
  }
  return out;
}
