/** A compact age like `heroku ps` shows: 42s, 5m, 3h, 2d. */
export function formatAge(fromIso: string | null, now: number): string {
  if (fromIso === null) return '';
  const then = Date.parse(fromIso);
  if (Number.isNaN(then)) return '';
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
