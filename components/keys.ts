/** The picker's keys, for the help overlay and the footer (one list, so they never disagree). */
export const pickerKeys: readonly { keys: string; action: string; hint?: string }[] = [
  { keys: '↑ ↓  k j', action: 'move in the focused list', hint: '↑↓ move' },
  { keys: 'PgUp PgDn  g G', action: 'page, first, last' },
  { keys: '← →  h l  Tab', action: 'focus apps / dynos', hint: '←→ focus' },
  { keys: '/', action: 'filter apps and dynos (Enter keeps, Esc clears)', hint: '/ filter' },
  { keys: 'R', action: 'refresh now', hint: 'R refresh' },
  { keys: '?', action: 'this help', hint: '? help' },
  { keys: 'q  Ctrl-C', action: 'quit', hint: 'q quit' },
];
