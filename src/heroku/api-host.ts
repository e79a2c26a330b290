// HEROKU_HOST, read the way the heroku CLI reads it (@heroku-cli/command vars.ts).
import { sanitize } from '../text/sanitize.js';
import { SourceError } from './errors.js';

export const DEFAULT_API_URL = 'https://api.heroku.com';

const HEROKU_DOMAINS = ['heroku.com', 'herokai.com', 'herokuspace.com', 'herokudev.com'];
const LOCAL_HOSTS = ['localhost', '127.0.0.1'];

type Env = Readonly<Record<string, string | undefined>>;

function envHost(env: Env): string | null {
  const host = env.HEROKU_HOST?.trim();
  return host ? host : null;
}

function hostnameOf(host: string): string | null {
  try {
    return new URL(host.startsWith('http') ? host : `https://${host}`).hostname;
  } catch {
    return null;
  }
}

// The CLI matches `localhost` anywhere in the value; this takes only the host itself,
// so a token is never sent to, say, localhost.example.com.
function isAccepted(host: string): boolean {
  const hostname = hostnameOf(host);
  if (hostname === null) return false;
  return LOCAL_HOSTS.includes(hostname) || HEROKU_DOMAINS.some((d) => hostname === d || hostname.endsWith(`.${d}`));
}

function rejected(host: string): SourceError {
  // The CLI warns and falls back to heroku.com; dynotty stops instead, so a token
  // meant for another API is never sent to the real one.
  return new SourceError(
    'reading HEROKU_HOST',
    `HEROKU_HOST is set to '${sanitize(host)}', which is neither a Heroku domain nor localhost/127.0.0.1.`,
    'unset HEROKU_HOST, or set it to a domain such as heroku.com or to http://127.0.0.1:PORT',
    'other',
  );
}

/** The Platform API base URL, without a trailing slash. Throws SourceError for a host the CLI would refuse. */
export function apiBaseUrl(env: Env): string {
  const host = envHost(env);
  if (host === null) return DEFAULT_API_URL;
  if (!isAccepted(host)) throw rejected(host);
  return host.startsWith('http') ? host.replace(/\/+$/, '') : `https://api.${host}`;
}

/** The `machine` the CLI looks up in ~/.netrc for this API: `api.heroku.com`, or host[:port] of a full URL. */
export function apiHost(env: Env): string {
  const host = envHost(env);
  if (host === null) return 'api.heroku.com';
  if (!isAccepted(host)) throw rejected(host);
  return host.startsWith('http') ? new URL(host).host : `api.${host}`;
}
