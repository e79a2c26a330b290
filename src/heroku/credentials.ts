// Finds the token the heroku CLI would use: HEROKU_API_KEY, else ~/.netrc, else
// whatever `heroku auth:token` prints (the CLI's keychain). Never logs the token.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Credentials } from './auth.js';

export interface NetrcEntry {
  /** The machine name, or null for the `default` entry. */
  machine: string | null;
  login: string | null;
  password: string | null;
}

/** Whitespace-separated tokens; `"..."` quotes (with backslash escapes); `#` starts a comment. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
      tokens.push(value);
    } else {
      const start = i;
      while (i < text.length && !/\s/.test(text[i] as string)) i++;
      tokens.push(text.slice(start, i));
    }
  }
  return tokens;
}

/** Drops `macdef` definitions: each runs from its line to the next blank line. */
function dropMacros(text: string): string {
  const kept: string[] = [];
  let inMacro = false;
  for (const line of text.split(/\r?\n/)) {
    if (inMacro) {
      inMacro = line.trim() !== '';
      continue;
    }
    const m = line.trimStart().startsWith('#') ? null : /(^|\s)macdef(\s|$)/.exec(line);
    kept.push(m ? line.slice(0, m.index) : line);
    inMacro = m !== null;
  }
  return kept.join('\n');
}

/** Parses a .netrc: both one-line and one-field-per-line layouts; `macdef` bodies are skipped. */
export function parseNetrc(text: string): NetrcEntry[] {
  const tokens = tokenize(dropMacros(text));
  const entries: NetrcEntry[] = [];
  let current: NetrcEntry | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'machine') {
      current = { machine: tokens[++i] ?? '', login: null, password: null };
      entries.push(current);
    } else if (t === 'default') {
      current = { machine: null, login: null, password: null };
      entries.push(current);
    } else if (current && (t === 'login' || t === 'password' || t === 'account' || t === 'port')) {
      const value = tokens[++i] ?? null;
      if (t === 'login') current.login = value;
      else if (t === 'password') current.password = value;
    }
  }
  return entries;
}

/** The entry for `machine`, else the `default` entry, when it has a password. */
export function netrcCredentials(text: string, machine: string): Credentials | null {
  const entries = parseNetrc(text);
  const entry = entries.find((e) => e.machine === machine) ?? entries.find((e) => e.machine === null);
  if (!entry?.password) return null;
  return { token: entry.password, origin: 'netrc', login: entry.login };
}

export interface FindCredentialsOptions {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** The netrc machine: `api.heroku.com` unless HEROKU_HOST says otherwise (see apiHost). */
  machine?: string;
  /** Runs `heroku auth:token`; null when it gives no token. */
  herokuToken?: () => Promise<string | null>;
}

async function readNetrc(homeDir: string): Promise<string | null> {
  const names = process.platform === 'win32' ? ['_netrc', '.netrc'] : ['.netrc'];
  for (const name of names) {
    try {
      return await readFile(path.join(homeDir, name), 'utf8');
    } catch {
      // Missing or unreadable: try the next place.
    }
  }
  return null;
}

export async function findCredentials(options: FindCredentialsOptions): Promise<Credentials | null> {
  const fromEnv = options.env.HEROKU_API_KEY?.trim();
  if (fromEnv) return { token: fromEnv, origin: 'HEROKU_API_KEY', login: null };

  const netrc = await readNetrc(options.homeDir);
  const fromNetrc = netrc === null ? null : netrcCredentials(netrc, options.machine ?? 'api.heroku.com');
  if (fromNetrc) return fromNetrc;

  const token = (await options.herokuToken?.())?.trim();
  return token ? { token, origin: 'heroku auth:token', login: null } : null;
}
