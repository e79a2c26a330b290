import type { IBufferCell, IBufferLine, Terminal } from '@xterm/headless';

type BufferCell = IBufferCell;

/** Cell attributes as Ink's <Text> takes them; colours as Ink colour strings. */
export interface RunStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

/** A stretch of one row whose cells share a style. */
export interface Run {
  text: string;
  style: RunStyle;
}

export interface ScreenFrame {
  cols: number;
  rows: number;
  lines: Run[][];
  /**
   * `wrapPending`: a row was just filled to its last column; the cursor shows on that last
   * cell (x = cols - 1) but the next character starts the next row.
   */
  cursor: { x: number; y: number; visible: boolean; wrapPending?: boolean };
}

/** The 16 ANSI colours by name, so they render as SGR 30-37/90-97 in the user's own palette. */
const ANSI_NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

function paletteColor(n: number): string {
  return ANSI_NAMES[n] ?? `ansi256(${n})`;
}

function rgbColor(n: number): string {
  return `#${n.toString(16).padStart(6, '0')}`;
}

function styleOf(cell: BufferCell): RunStyle {
  const style: RunStyle = {};
  if (cell.isFgPalette()) style.fg = paletteColor(cell.getFgColor());
  else if (cell.isFgRGB()) style.fg = rgbColor(cell.getFgColor());
  if (cell.isBgPalette()) style.bg = paletteColor(cell.getBgColor());
  else if (cell.isBgRGB()) style.bg = rgbColor(cell.getBgColor());
  if (cell.isBold()) style.bold = true;
  if (cell.isDim()) style.dim = true;
  if (cell.isItalic()) style.italic = true;
  if (cell.isUnderline()) style.underline = true;
  if (cell.isInverse()) style.inverse = true;
  if (cell.isStrikethrough()) style.strikethrough = true;
  return style;
}

function sameStyle(a: RunStyle, b: RunStyle): boolean {
  return (
    a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic &&
    a.underline === b.underline && a.inverse === b.inverse && a.strikethrough === b.strikethrough
  );
}

/** xterm keeps DECTCEM (cursor shown or hidden) in its core only; read it there, defaulting to shown. */
function cursorHidden(term: Terminal): boolean {
  const core = (term as unknown as { _core?: { coreService?: { isCursorHidden?: boolean } } })._core;
  return core?.coreService?.isCursorHidden === true;
}

/** xterm's own record of a row (internal): three words per cell, combining characters aside. */
interface RawRow {
  _line?: { _data?: Uint32Array; _combined?: Record<number, string>; length?: number };
}

interface ReadRow {
  /** A copy of the row's words at the read; null when they cannot be compared (see rawWords). */
  bytes: Buffer | null;
  runs: Run[];
}

/** The row's cells as xterm stores them, or null when they cannot be compared (internals missing, combining characters). */
function rawWords(line: unknown, cols: number): Uint32Array | null {
  const raw = (line as RawRow)._line;
  const data = raw?._data;
  if (raw === undefined || !(data instanceof Uint32Array) || typeof raw.length !== 'number') return null;
  // A combining character lives outside the words: its cell alone cannot tell one from another.
  for (const _ in raw._combined) return null;
  return data.subarray(0, Math.min(raw.length, cols) * 3);
}

/** The words as bytes (a view, no copy): compared natively, a row costs a memcmp. */
function bytesOf(words: Uint32Array): Buffer {
  return Buffer.from(words.buffer, words.byteOffset, words.byteLength);
}

function readRuns(line: IBufferLine | undefined, cols: number, cell: BufferCell | undefined): { runs: Run[]; cell: BufferCell | undefined } {
  const runs: Run[] = [];
  if (line === undefined) return { runs, cell };
  let current: Run | null = null;
  for (let x = 0; x < cols; x++) {
    cell = line.getCell(x, cell);
    if (cell === undefined) break;
    // The second half of a wide character has width 0 and no text of its own.
    if (cell.getWidth() === 0) continue;
    const chars = cell.getChars() || ' ';
    const style = styleOf(cell);
    if (current !== null && sameStyle(current.style, style)) current.text += chars;
    else {
      current = { text: chars, style };
      runs.push(current);
    }
  }
  return { runs, cell };
}

/** xterm's own report of the viewport rows a parse changed (what its renderer redraws); internal. */
type RefreshRows = (listener: (range: { start: number; end: number } | undefined) => void) => unknown;

function refreshRowsEvent(term: Terminal): RefreshRows | null {
  const handler = (term as unknown as { _core?: { _inputHandler?: { onRequestRefreshRows?: unknown } } })._core?._inputHandler;
  const event = handler?.onRequestRefreshRows;
  return typeof event === 'function' ? (event.bind(handler) as RefreshRows) : null;
}

/**
 * Reads the visible rows of one emulator, cells grouped into runs of equal style. Only the
 * viewport is read, never the scrollback. A row whose cells are word for word what they
 * were at the last read keeps its runs (the same array), so a key's echo costs one row,
 * not the screen, here and in whatever compares rows by identity (the pane painter).
 * Once it `watch`es its emulator, rows the parser has not touched since the last read are
 * not even compared: xterm reports the rows each parse changed, as it does for its renderer.
 */
export class ScreenReader {
  private rows: (ReadRow | undefined)[] = [];
  private cell: BufferCell | undefined;
  private watching = false;
  /** Viewport rows changed since the last read: all of them, or those from `dirtyFrom` to `dirtyTo`. */
  private allDirty = true;
  private dirtyFrom = 0;
  private dirtyTo = -1;

  /**
   * Follows `term`'s reports of changed rows from now on. Without them (the internal event
   * missing), every read compares every row, as before watching.
   */
  watch(term: Terminal): void {
    const refreshRows = refreshRowsEvent(term);
    if (refreshRows === null) return;
    refreshRows((range) => (range === undefined ? this.markAll() : this.markRows(range.start, range.end)));
    // The parser does not report these: a new size, the other buffer, a viewport that moved.
    term.onResize(() => this.markAll());
    term.buffer.onBufferChange(() => this.markAll());
    term.onScroll(() => this.markAll());
    this.watching = true;
    this.markAll();
  }

  private markAll(): void {
    this.allDirty = true;
  }

  private markRows(from: number, to: number): void {
    if (this.dirtyTo < this.dirtyFrom) {
      this.dirtyFrom = from;
      this.dirtyTo = to;
      return;
    }
    this.dirtyFrom = Math.min(this.dirtyFrom, from);
    this.dirtyTo = Math.max(this.dirtyTo, to);
  }

  read(term: Terminal): ScreenFrame {
    const buffer = term.buffer.active;
    const lines: Run[][] = [];
    const skipClean = this.watching && !this.allDirty;
    for (let y = 0; y < term.rows; y++) {
      const known = this.rows[y];
      if (skipClean && known !== undefined && (y < this.dirtyFrom || y > this.dirtyTo)) {
        lines.push(known.runs);
        continue;
      }
      const line = buffer.getLine(buffer.viewportY + y);
      const words = line === undefined ? null : rawWords(line, term.cols);
      const bytes = words === null ? null : bytesOf(words);
      if (bytes !== null && known?.bytes?.equals(bytes) === true) {
        lines.push(known.runs);
        continue;
      }
      const read = readRuns(line, term.cols, this.cell);
      this.cell = read.cell;
      this.rows[y] = { bytes: bytes === null ? null : Buffer.from(bytes), runs: read.runs };
      lines.push(read.runs);
    }
    this.rows.length = term.rows;
    this.allDirty = false;
    this.dirtyFrom = 0;
    this.dirtyTo = -1;
    return {
      cols: term.cols,
      rows: term.rows,
      lines,
      cursor: {
        x: Math.min(buffer.cursorX, term.cols - 1),
        y: buffer.cursorY,
        visible: !cursorHidden(term) && buffer.viewportY === buffer.baseY,
        ...(buffer.cursorX >= term.cols ? { wrapPending: true } : {}),
      },
    };
  }
}

/** The visible rows of the emulator, read afresh (see ScreenReader). */
export function snapshotScreen(term: Terminal): ScreenFrame {
  return new ScreenReader().read(term);
}
