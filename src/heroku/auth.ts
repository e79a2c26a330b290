/** Where the token came from, for the header and for error hints. Never the token itself. */
export type TokenOrigin = 'HEROKU_API_KEY' | 'netrc' | 'heroku auth:token';

export interface Credentials {
  token: string;
  origin: TokenOrigin;
  /** The login from ~/.netrc, when it gave one. */
  login: string | null;
}
