/**
 * `--protect` patterns: app names with `*` (any run of characters) and `?` (one).
 * An exec into a matching app asks the user to type its name first.
 */
export function protectMatcher(patterns: readonly string[]): (app: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`),
  );
  return (app) => regexes.some((r) => r.test(app));
}

export const PROTECT_PATTERN = /^[a-z0-9*?-]{1,30}$/;
