// What the logs pane shows of a LogBuffer: a window of rows that either follows the
// newest line or stays where the user left it (paused), and a search over every kept
// line with the matches marked. Positions are (line seq, row within the wrapped line).
import type { Run, ScreenFrame } from '../session/screen.js';
import type { LogBuffer, LogLine } from './log-buffer.js';
import { findAll, highlightRuns, wrapRuns } from './wrap.js';

interface Pos {
  seq: number;
  row: number;
}

export interface LogFrame {
  screen: ScreenFrame;
  following: boolean;
  /** Lines that arrived since the view stopped following. */
  newLines: number;
  /** Lines kept (the oldest are dropped past the buffer's bound). */
  lines: number;
  query: string;
  /** 1-based position of the current match among all matches, and their count. */
  match: { index: number | null; count: number } | null;
  /** The last search's outcome when worth saying: wrapped, or not found. */
  message: string | null;
}

const CACHE_LIMIT = 4000;

export class LogView {
  private cols: number;
  private rows: number;
  private follow = true;
  private anchor: Pos = { seq: 0, row: 0 };
  private seenEnd = 0;
  private query = '';
  private current: { seq: number; start: number } | null = null;
  private message: string | null = null;
  private readonly wrapped = new Map<number, Run[][]>();

  constructor(
    private readonly buffer: LogBuffer,
    size: { cols: number; rows: number },
  ) {
    this.cols = Math.max(1, size.cols);
    this.rows = Math.max(1, size.rows);
  }

  get following(): boolean {
    return this.follow;
  }

  resize(cols: number, rows: number): void {
    cols = Math.max(1, cols);
    rows = Math.max(1, rows);
    if (cols !== this.cols) {
      this.wrapped.clear();
      this.anchor = { seq: this.anchor.seq, row: 0 };
    }
    this.cols = cols;
    this.rows = rows;
  }

  /** Space / p: stop following where the view is, or follow the newest lines again. */
  togglePause(): void {
    if (this.follow) this.pauseHere();
    else this.toBottom();
  }

  scrollBy(delta: number): void {
    if (this.follow) {
      if (delta >= 0) return;
      this.pauseHere();
    }
    let pos = this.clampAnchor();
    const bottom = this.bottomAnchor();
    for (let i = 0; i < Math.abs(delta); i++) {
      const next = delta < 0 ? this.prevRow(pos) : compare(pos, bottom) < 0 ? this.nextRow(pos) : null;
      if (next === null) break;
      pos = next;
    }
    this.anchor = pos;
  }

  page(direction: 1 | -1): void {
    this.scrollBy(direction * Math.max(1, this.rows - 1));
  }

  toTop(): void {
    this.pauseHere();
    this.anchor = { seq: this.buffer.firstSeq, row: 0 };
  }

  /** The newest lines, following again. */
  toBottom(): void {
    this.follow = true;
    this.message = null;
  }

  /** Marks matches as the query is typed; the view does not move until a search is made. */
  setQuery(query: string): void {
    this.query = query;
    this.current = null;
    this.message = null;
  }

  get searchQuery(): string {
    return this.query;
  }

  /**
   * Moves to the next (1) or previous (-1) match: after the current one, or from the top
   * of the view when there is none; wraps around the ends. Stops following.
   */
  find(direction: 1 | -1): void {
    this.message = null;
    if (this.query === '') return;
    const top = this.follow ? this.bottomAnchor() : this.clampAnchor();
    const first = this.buffer.firstSeq;
    const end = this.buffer.endSeq;
    if (end === first) {
      this.message = `not found: ${this.query}`;
      return;
    }
    const from = this.current !== null && this.current.seq >= first ? this.current : { seq: top.seq, start: direction > 0 ? -1 : Infinity };
    const total = end - first;
    for (let i = 0; i <= total; i++) {
      const seq = first + ((from.seq - first + direction * i + total * 2) % total);
      const line = this.buffer.line(seq);
      if (line === undefined) continue;
      const starts = findAll(line.text, this.query);
      const candidates =
        i === 0 ? starts.filter((s) => (direction > 0 ? s > from.start : s < from.start)) : starts;
      const hit = direction > 0 ? candidates[0] : candidates.at(-1);
      if (hit === undefined) continue;
      const wrapped = direction > 0 ? seq < from.seq || (seq === from.seq && i > 0) : seq > from.seq || (seq === from.seq && i > 0);
      this.current = { seq, start: hit };
      if (wrapped) this.message = direction > 0 ? 'search wrapped to the top' : 'search wrapped to the bottom';
      this.reveal(line, hit);
      return;
    }
    this.current = null;
    this.message = `not found: ${this.query}`;
  }

  /** Call after appending to the buffer. */
  frame(): LogFrame {
    const end = this.buffer.endSeq;
    if (this.follow) this.seenEnd = end;
    let pos = this.follow ? this.bottomAnchor() : this.clampAnchor();
    if (!this.follow) this.anchor = pos;
    const lines: Run[][] = [];
    while (lines.length < this.rows && pos.seq < end) {
      const line = this.buffer.line(pos.seq);
      if (line === undefined) break;
      const rows = this.rowsOf(line, true);
      for (let r = pos.row; r < rows.length && lines.length < this.rows; r++) lines.push(rows[r] ?? []);
      pos = { seq: pos.seq + 1, row: 0 };
    }
    while (lines.length < this.rows) lines.push([]);
    return {
      screen: { cols: this.cols, rows: this.rows, lines, cursor: { x: 0, y: 0, visible: false } },
      following: this.follow,
      newLines: this.follow ? 0 : Math.max(0, end - Math.max(this.seenEnd, this.buffer.firstSeq)),
      lines: this.buffer.length,
      query: this.query,
      match: this.query === '' ? null : this.countMatches(),
      message: this.message,
    };
  }

  private countMatches(): { index: number | null; count: number } {
    let count = 0;
    let index: number | null = null;
    for (let seq = this.buffer.firstSeq; seq < this.buffer.endSeq; seq++) {
      const line = this.buffer.line(seq);
      if (line === undefined) continue;
      const starts = findAll(line.text, this.query);
      if (this.current?.seq === seq) {
        const at = starts.indexOf(this.current.start);
        if (at >= 0) index = count + at + 1;
      }
      count += starts.length;
    }
    return { index, count };
  }

  private pauseHere(): void {
    if (this.follow) {
      this.anchor = this.bottomAnchor();
      this.seenEnd = this.buffer.endSeq;
    }
    this.follow = false;
  }

  /** Scrolls just enough to show the match, a third of the way down when it was out of view. */
  private reveal(line: LogLine, start: number): void {
    this.pauseHere();
    const rows = this.rowsOf(line, false);
    let row = 0;
    let offset = 0;
    for (; row < rows.length; row++) {
      const len = (rows[row] ?? []).reduce((n, r) => n + r.text.length, 0);
      if (start < offset + len) break;
      offset += len;
    }
    const target = { seq: line.seq, row: Math.min(row, rows.length - 1) };
    const top = this.clampAnchor();
    const inView = compare(target, top) >= 0 && this.rowsBetween(top, target) < this.rows;
    if (inView) return;
    let pos: Pos = target;
    for (let i = 0; i < Math.floor(this.rows / 3); i++) pos = this.prevRow(pos) ?? pos;
    const bottom = this.bottomAnchor();
    this.anchor = compare(pos, bottom) > 0 ? bottom : pos;
  }

  private rowsBetween(a: Pos, b: Pos): number {
    let n = 0;
    let pos: Pos | null = a;
    while (pos !== null && compare(pos, b) < 0 && n <= this.rows) {
      pos = this.nextRow(pos);
      n++;
    }
    return n;
  }

  private rowsOf(line: LogLine, highlighted: boolean): Run[][] {
    if (highlighted && this.query !== '' && line.text !== '') {
      const current = this.current?.seq === line.seq ? this.current.start : null;
      return wrapRuns(highlightRuns(line.runs, line.text, this.query, current), this.cols);
    }
    let rows = this.wrapped.get(line.seq);
    if (rows === undefined) {
      rows = wrapRuns(line.runs, this.cols);
      if (this.wrapped.size >= CACHE_LIMIT) this.wrapped.clear();
      this.wrapped.set(line.seq, rows);
    }
    return rows;
  }

  private rowCount(seq: number): number {
    const line = this.buffer.line(seq);
    return line === undefined ? 1 : this.rowsOf(line, false).length;
  }

  private prevRow(pos: Pos): Pos | null {
    if (pos.row > 0) return { seq: pos.seq, row: pos.row - 1 };
    if (pos.seq <= this.buffer.firstSeq) return null;
    return { seq: pos.seq - 1, row: this.rowCount(pos.seq - 1) - 1 };
  }

  private nextRow(pos: Pos): Pos | null {
    if (pos.row + 1 < this.rowCount(pos.seq)) return { seq: pos.seq, row: pos.row + 1 };
    if (pos.seq + 1 >= this.buffer.endSeq) return null;
    return { seq: pos.seq + 1, row: 0 };
  }

  /** The top row that shows the newest line at the bottom of the pane. */
  private bottomAnchor(): Pos {
    let remaining = this.rows;
    for (let seq = this.buffer.endSeq - 1; seq >= this.buffer.firstSeq; seq--) {
      const count = this.rowCount(seq);
      if (count >= remaining) return { seq, row: count - remaining };
      remaining -= count;
    }
    return { seq: this.buffer.firstSeq, row: 0 };
  }

  /** The anchor, moved onto a kept line when the one it was on has been dropped. */
  private clampAnchor(): Pos {
    if (this.anchor.seq < this.buffer.firstSeq) return { seq: this.buffer.firstSeq, row: 0 };
    if (this.anchor.seq >= this.buffer.endSeq) return this.bottomAnchor();
    return { seq: this.anchor.seq, row: Math.min(this.anchor.row, this.rowCount(this.anchor.seq) - 1) };
  }
}

function compare(a: Pos, b: Pos): number {
  return a.seq !== b.seq ? a.seq - b.seq : a.row - b.row;
}
