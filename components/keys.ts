/** The picker's keys, for the help overlay and the footer (one list, so they never disagree). */
export const pickerKeys: readonly { keys: string; action: string; hint?: string }[] = [
  { keys: '↑ ↓  k j', action: 'move in the focused list', hint: '↑↓ move' },
  { keys: 'PgUp PgDn  g G', action: 'page, first, last' },
  { keys: '← →  h l  Tab', action: 'focus apps / dynos', hint: '←→ focus' },
  { keys: '/', action: 'filter apps and dynos (Enter keeps, Esc clears)', hint: '/ filter' },
  { keys: 'Enter', action: 'open the recommended mode (★) for the dyno', hint: '⏎ open' },
  { keys: 'r', action: 'heroku run bash: a new one-off dyno', hint: 'r run' },
  { keys: 'x', action: 'heroku ps:exec into the dyno (run:inside on Fir)', hint: 'x exec' },
  { keys: 'f', action: 'full-screen hand-off for the next session (on/off)', hint: 'f full' },
  { keys: '1-9', action: 'bring session N back' },
  { keys: 'Ctrl-]', action: 'in a session: detach back to the picker' },
  { keys: 'R', action: 'refresh now' },
  { keys: '?', action: 'this help', hint: '? help' },
  { keys: 'q  Ctrl-C', action: 'quit', hint: 'q quit' },
];
