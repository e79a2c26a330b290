import type { TerminalSize } from './useTerminalSize.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;
/** Lines of the comparison pane besides its table rows: title, column titles, verdict (2), commands (3). */
const COMPARISON_FIXED_LINES = 7;
/** The lists keep at least this many lines (a title and four rows). */
const MIN_LIST_LINES = 5;
const COMPARISON_MAX_TABLE_ROWS = 8;

export interface Layout {
  tooSmall: boolean;
  width: number;
  /** Ink clears the whole screen each frame when output is as tall as the terminal: stay one short. */
  height: number;
  appsWidth: number;
  dynosWidth: number;
  /** Lines for each list, its title line included. */
  listLines: number;
  /** How many of the comparison's table rows fit, most important first. */
  comparisonRows: number;
  comparisonLines: number;
}

/** The session view's pane: the whole width, all lines but its header and status line. */
export function sessionPaneSize(layout: Pick<Layout, 'width' | 'height'>): { cols: number; rows: number } {
  return { cols: Math.max(1, layout.width), rows: Math.max(1, layout.height - 2) };
}

export function computeLayout({ columns, rows }: TerminalSize, opts: { sessionStrip?: boolean } = {}): Layout {
  const width = columns;
  const height = rows - 1;
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const chrome = opts.sessionStrip ? 3 : 2; // header, footer, and the sessions strip when there are sessions
  const spare = height - chrome - MIN_LIST_LINES - COMPARISON_FIXED_LINES;
  const comparisonRows = Math.max(0, Math.min(COMPARISON_MAX_TABLE_ROWS, spare));
  const comparisonLines = COMPARISON_FIXED_LINES + comparisonRows;
  const listLines = Math.max(1, height - chrome - comparisonLines);
  const appsWidth = Math.max(24, Math.floor(width * 0.35));
  return {
    tooSmall,
    width,
    height,
    appsWidth,
    dynosWidth: width - appsWidth,
    listLines,
    comparisonRows,
    comparisonLines,
  };
}

/** The first row to draw so the selected row stays in view; only that window is rendered. */
export function scrollOffset(selected: number, total: number, visible: number): number {
  if (total <= visible || selected < 0) return 0;
  return Math.max(0, Math.min(total - visible, selected - Math.floor(visible / 2)));
}
