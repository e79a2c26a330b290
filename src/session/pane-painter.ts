import stringWidth from 'string-width';
import { cellText, sgr } from './frame-ansi.js';
import type { Run, RunStyle, ScreenFrame } from './screen.js';

/**
 * A few cells of Ink's frame drawn straight onto the terminal (the session header's clock),
 * so a change there costs those cells, not a render of the whole screen by Ink.
 */
export interface Overlay {
  /** 0-based. */
  row: number;
  col: number;
  /** Printable ASCII only: anything else is dropped. */
  text: string;
  style: RunStyle;
}

/** Where the pane is on the real terminal: 0-based cells. */
export interface PaneArea {
  top: number;
  left: number;
  width: number;
  height: number;
}

const SAVE_CURSOR = '\x1b7';
const RESTORE_CURSOR = '\x1b8';
const BEGIN_SYNC = '\x1b[?2026h';
const END_SYNC = '\x1b[?2026l';
const RESET = '\x1b[0m';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/g;
const NO_RUNS: Run[] = [];

/** Whether a space in this style looks like an erased cell: no background, nothing drawn across it. */
function blankLooking(run: Run): boolean {
  const s = run.style;
  return s.bg === undefined && !s.inverse && !s.underline && !s.strikethrough;
}

/** The row's runs cut to `width` columns, the cell at `cursorX` (if any) inverted. */
function fitRow(runs: Run[], width: number, cursorX: number | null): { runs: Run[]; width: number } {
  const out: Run[] = [];
  let col = 0;
  for (const run of runs) {
    if (col >= width) break;
    const ascii = PRINTABLE_ASCII.test(run.text);
    if (ascii && (cursorX === null || cursorX < col || cursorX >= col + run.text.length) && col + run.text.length <= width) {
      out.push(run);
      col += run.text.length;
      continue;
    }
    let text = '';
    for (const ch of run.text) {
      const w = ascii ? 1 : Math.max(1, stringWidth(ch));
      if (col + w > width) break;
      if (cursorX !== null && cursorX >= col && cursorX < col + w) {
        if (text !== '') out.push({ text, style: run.style });
        out.push({ text: ch, style: { ...run.style, inverse: !run.style.inverse } });
        text = '';
      } else text += ch;
      col += w;
    }
    if (text !== '') out.push({ text, style: run.style });
  }
  if (cursorX !== null && cursorX >= col && cursorX < width) {
    if (cursorX > col) out.push({ text: ' '.repeat(cursorX - col), style: {} });
    out.push({ text: ' ', style: { inverse: true } });
    col = cursorX + 1;
  }
  return { runs: out, width: col };
}

/** One row of the pane as the bytes that draw it in place, whatever was there before. */
function rowAnsi(runs: Run[], area: PaneArea, y: number, cursorX: number | null): string {
  const fitted = fitRow(runs, area.width, cursorX);
  let cells = fitted.runs;
  let width = fitted.width;
  // Trailing blanks are erased rather than written: fewer bytes, and the row reads as it
  // would on a terminal that printed only the text.
  while (cells.length > 0) {
    const last = cells[cells.length - 1] as Run;
    if (!blankLooking(last)) break;
    const text = last.text.replace(/ +$/, '');
    width -= last.text.length - text.length;
    if (text !== '') {
      cells = [...cells.slice(0, -1), { text, style: last.style }];
      break;
    }
    cells = cells.slice(0, -1);
  }
  let out = `\x1b[${area.top + y + 1};${area.left + 1}H`;
  for (const run of cells) out += sgr(run.style) + cellText(run.text);
  out += RESET;
  if (width < area.width) out += `\x1b[${area.width - width}X`;
  return out;
}

/**
 * Draws a session's screen straight onto the real terminal, beside Ink: only the rows that
 * changed since the last paint, each positioned absolutely, the cursor saved and restored
 * around them so Ink's own bookkeeping of where its cursor is stays true. Ink draws the
 * chrome around an empty pane; whenever Ink writes, `invalidate()` repaints the pane whole,
 * as Ink may have drawn over it.
 */
export class PanePainter {
  private area: PaneArea | null = null;
  private frame: ScreenFrame | null = null;
  private overlay: Overlay | null = null;
  /** What each row of the area shows now, as drawn by us; undefined: unknown. */
  private painted: (string | undefined)[] = [];
  /** Each row's bytes for the runs and cursor column they were made from (the screen reader keeps unchanged rows' runs). */
  private made: ({ runs: Run[]; cursorX: number | null; ansi: string } | undefined)[] = [];

  constructor(private readonly write: (data: string) => void) {}

  /** Where the pane is, or null when no pane is on screen (its rows are blanked). */
  setArea(area: PaneArea | null): void {
    const old = this.area;
    if (old !== null && area !== null && old.top === area.top && old.left === area.left && old.width === area.width && old.height === area.height) return;
    if (old !== null && area === null) this.blank(old);
    this.area = area;
    this.painted = [];
    this.made = [];
    this.paint();
  }

  /** The screen to show (null: nothing yet). */
  show(frame: ScreenFrame | null): void {
    if (frame === this.frame) return;
    this.frame = frame;
    this.paint();
  }

  /** Something else drew on the terminal: the pane is repainted whole, the overlay too. */
  invalidate(): void {
    this.painted = [];
    this.paint();
    this.paintOverlay();
  }

  /**
   * Draws `overlay` now and after each of Ink's writes. Null stops that; the cells keep what
   * was drawn until Ink writes their line again, which it does once that line's text changes
   * (Ink writes only changed lines): the header's does on detach, on exit and when the clock goes to Ink.
   */
  setOverlay(overlay: Overlay | null): void {
    this.overlay = overlay === null ? null : { ...overlay, text: overlay.text.replace(NOT_PRINTABLE_ASCII, '') };
    this.paintOverlay();
  }

  private paintOverlay(): void {
    const o = this.overlay;
    if (o === null || o.text === '') return;
    this.write(`${SAVE_CURSOR}\x1b[${o.row + 1};${o.col + 1}H${sgr(o.style)}${o.text}${RESET}${RESTORE_CURSOR}`);
  }

  private paint(): void {
    const { area, frame } = this;
    if (area === null || frame === null || area.width <= 0 || area.height <= 0) return;
    let out = '';
    for (let y = 0; y < area.height; y++) {
      const cursorX = frame.cursor.visible && frame.cursor.y === y ? frame.cursor.x : null;
      const runs = frame.lines[y] ?? NO_RUNS;
      const made = this.made[y];
      let row: string;
      if (made !== undefined && made.runs === runs && made.cursorX === cursorX) row = made.ansi;
      else {
        row = rowAnsi(runs, area, y, cursorX);
        this.made[y] = { runs, cursorX, ansi: row };
      }
      if (this.painted[y] === row) continue;
      this.painted[y] = row;
      out += row;
    }
    if (out !== '') this.write(BEGIN_SYNC + SAVE_CURSOR + out + RESTORE_CURSOR + END_SYNC);
  }

  private blank(area: PaneArea): void {
    let out = '';
    for (let y = 0; y < area.height; y++) out += `\x1b[${area.top + y + 1};${area.left + 1}H${RESET}\x1b[${area.width}X`;
    this.write(SAVE_CURSOR + out + RESTORE_CURSOR);
  }
}

/**
 * `stream` as Ink should see it: the same in every way, except that `afterWrite` runs
 * after each of Ink's writes (so the pane is drawn again over whatever Ink drew).
 */
export function notifyingStream<T extends NodeJS.WriteStream>(stream: T, afterWrite: () => void): T {
  const write = (...args: Parameters<T['write']>): boolean => {
    const ok = (stream.write as (...a: unknown[]) => boolean)(...args);
    afterWrite();
    return ok;
  };
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
