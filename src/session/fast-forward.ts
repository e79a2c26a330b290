import type { Terminal } from '@xterm/headless';

/**
 * Anything that is not printable text, CR, LF or TAB: C0 controls (ESC included), DEL and
 * C1. A stretch without them can only print and move the cursor right and down.
 */
const NOT_PLAIN = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]/;

/**
 * Output whose beginning cannot show on the screen, with that beginning left out.
 *
 * A flood (`cat` of a big file, a log tailing fast) mostly scrolls off before anyone could
 * see it; parsing it all is the cost of an embedded terminal. When a batch of output is
 * plain text (no escape sequence, no control but CR, LF and TAB) up to a line break
 * followed by at least `rows` more line breaks, everything up to that line break would
 * have scrolled off the screen: the screen and the cursor depend only on the rest. That
 * beginning is replaced by `rows` CR LF pairs, which leave the emulator in the same state
 * (cursor on the bottom row, column 0, a blank row under it, the same attributes) without
 * printing it. Only the emulator's scrollback would differ, and sessions keep none.
 *
 * Returns `data` itself when nothing can be left out. Use it only when the emulator is in
 * a state where this holds (`emulatorAllowsSkip`).
 */
export function fastForward(data: string, rows: number): string {
  const kept = fastForwardChunks([data], rows);
  return kept === null ? data : kept.join('');
}

/**
 * `fastForward` over output kept as the chunks it was read in, without joining them: the
 * chunks that are left, the head replaced by the same CR LF pairs, or null when nothing
 * can be left out. Only the head is scanned whole (for controls), once.
 */
export function fastForwardChunks(chunks: readonly string[], rows: number): string[] | null {
  // Where the kept tail starts: right after the line break that has `rows` more after it.
  let at = chunks.length - 1;
  let cut = chunks[at]?.length ?? 0;
  for (let k = 0; k <= rows; k++) {
    for (;;) {
      const chunk = chunks[at];
      if (chunk === undefined) return null;
      cut = cut > 0 ? chunk.lastIndexOf('\n', cut - 1) : -1;
      if (cut >= 0) break;
      at--;
      cut = chunks[at]?.length ?? 0;
    }
  }
  const cutChunk = chunks[at] ?? '';
  if (at === 0 && cut === 0) return null;
  // The head must itself hold rows + 1 line breaks, so the cursor reached the bottom row
  // and the last one scrolled a blank row in; and end in CR LF, so the column is 0.
  const before = cut > 0 ? cutChunk.charCodeAt(cut - 1) : lastCharCode(chunks, at);
  if (before !== 0x0d) return null;
  let breaks = 0;
  for (let c = 0; c <= at && breaks <= rows; c++) {
    const chunk = chunks[c] ?? '';
    const end = c === at ? cut : chunk.length - 1;
    for (let i = chunk.indexOf('\n'); i >= 0 && i <= end && breaks <= rows; i = chunk.indexOf('\n', i + 1)) breaks++;
  }
  if (breaks <= rows) return null;
  for (let c = 0; c < at; c++) if (NOT_PLAIN.test(chunks[c] ?? '')) return null;
  if (NOT_PLAIN.test(cutChunk.slice(0, cut + 1))) return null;
  const rest = cutChunk.slice(cut + 1);
  return ['\r\n'.repeat(rows + 1), ...(rest === '' ? [] : [rest]), ...chunks.slice(at + 1)];
}

/** The last character of the chunks before `index` that has any, or -1. */
function lastCharCode(chunks: readonly string[], index: number): number {
  for (let c = index - 1; c >= 0; c--) {
    const chunk = chunks[c] ?? '';
    if (chunk.length > 0) return chunk.charCodeAt(chunk.length - 1);
  }
  return -1;
}

interface EmulatorInternals {
  _core?: {
    buffer?: { scrollTop?: number; scrollBottom?: number };
    _inputHandler?: { _parser?: { currentState?: number } };
  };
}

/**
 * Whether leaving out scrolled-off text keeps the screen exact: the parser is between
 * sequences (a batch may start inside one), no scroll region is set (only the whole
 * screen scrolls) and insert mode is off. xterm keeps the first two in its core only;
 * when they cannot be read, nothing is skipped.
 */
export function emulatorAllowsSkip(term: Terminal): boolean {
  const core = (term as unknown as EmulatorInternals)._core;
  const state = core?._inputHandler?._parser?.currentState;
  const buffer = core?.buffer;
  if (state !== 0 || buffer?.scrollTop !== 0 || buffer.scrollBottom !== term.rows - 1) return false;
  return !term.modes.insertMode;
}
