/**
 * The picker's keys, for the help overlay and the footer (one list, so they never disagree).
 * `rank` orders the footer's hints for a narrow terminal: the lowest ranks stay longest.
 */
export const pickerKeys: readonly { keys: string; action: string; hint?: string; rank?: number }[] = [
  { keys: '↑↓ kj PgUp PgDn g G', action: 'move, page, first, last in the focused list', hint: '↑↓ move', rank: 9 },
  { keys: '← h  → Tab', action: 'focus apps / dynos', hint: '←→ focus', rank: 11 },
  { keys: '/', action: 'filter apps and dynos (Enter keeps, Esc clears)', hint: '/ filter', rank: 7 },
  { keys: 'Enter', action: 'open the recommended mode (★) for the dyno', hint: '⏎ open', rank: 8 },
  { keys: 'r', action: 'heroku run bash: a new one-off dyno', hint: 'r run', rank: 5 },
  { keys: 'x', action: 'heroku ps:exec into the dyno (run:inside on Fir)', hint: 'x exec', rank: 4 },
  { keys: 'l', action: "the dyno's logs (the app's when apps are focused)", hint: 'l logs', rank: 3 },
  { keys: 's', action: 'restart the dyno (asks first)', hint: 's restart', rank: 2 },
  { keys: 'c', action: "copy the ★ mode's command (OSC 52)", hint: 'c copy', rank: 6 },
  { keys: 'f', action: 'full-screen hand-off for the next session (on/off)', hint: 'f full', rank: 10 },
  { keys: '1-9  Ctrl-]', action: 'bring session N back · in a session: detach' },
  { keys: 'R  ?', action: 'refresh now · this help', hint: '? help', rank: 1 },
  { keys: 'q  Ctrl-C', action: 'quit', hint: 'q quit', rank: 0 },
];

/** The logs view's keys, for its status line, the help overlay and the README. */
export const logsKeys: readonly { keys: string; action: string }[] = [
  { keys: '↑↓ kj PgUp PgDn', action: 'scroll (stops following)' },
  { keys: 'g G', action: 'oldest line · newest, following again' },
  { keys: 'space  p', action: 'pause (lines still collected) / follow again' },
  { keys: '/  n N', action: 'search (highlights every match) · next, previous' },
  { keys: 'Esc  q', action: 'back to the picker (the logs command ends)' },
];

/** The footer's hints that fit in `width` columns, in list order. */
export function fitHints(width: number): string {
  const hints = pickerKeys.flatMap((k) => (k.hint === undefined ? [] : [{ hint: k.hint, rank: k.rank ?? 99 }]));
  const byRank = [...hints].sort((a, b) => a.rank - b.rank);
  const kept = new Set<string>();
  let used = 0;
  for (const h of byRank) {
    const cost = [...h.hint].length + 2;
    if (used + cost > width) break;
    kept.add(h.hint);
    used += cost;
  }
  return hints.filter((h) => kept.has(h.hint)).map((h) => h.hint).join('  ');
}
