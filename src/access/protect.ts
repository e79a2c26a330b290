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

/** Whether exec into this app needs its name typed first: a --protect pattern, or a production pipeline stage. */
export function isProtectedApp(app: { name: string; pipelineStage?: string | null }, matches: (app: string) => boolean): boolean {
  return matches(app.name) || app.pipelineStage === 'production';
}

/** Why the guard asks, for its prompt: the pipeline stage, else the --protect / config patterns. */
export function protectionReason(app: { name: string; pipelineStage?: string | null }, matches: (app: string) => boolean): string {
  return app.pipelineStage === 'production' && !matches(app.name) ? 'its pipeline stage is production' : 'it matches a --protect pattern';
}
