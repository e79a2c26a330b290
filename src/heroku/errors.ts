/**
 * A failure talking to Heroku, phrased for the user: what was attempted (the command
 * or the request), what went wrong, and what to try. Never holds the token.
 */
export class SourceError extends Error {
  override name = 'SourceError';

  constructor(
    /** `heroku ps --json -a acme-web` or `GET /apps/acme-web/dynos`. */
    readonly attempted: string,
    /** What went wrong, from the CLI's stderr or the API's `message`. */
    readonly problem: string,
    /** What the user can do about it, or null. */
    readonly hint: string | null = null,
    /** Machine-readable kind, for tests and retry decisions. */
    readonly kind: SourceErrorKind = 'other',
  ) {
    super(`${attempted}: ${problem}${hint ? ` (${hint})` : ''}`);
  }
}

export type SourceErrorKind =
  | 'not-logged-in'
  | 'invalid-token'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'unreachable'
  | 'bad-output'
  | 'missing-cli'
  | 'cancelled'
  | 'other';
