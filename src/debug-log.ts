import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `DEBUG=dynotty`: a log of what dynotty asked Heroku and started, to a file (the terminal
 * belongs to the UI): `$DYNOTTY_LOG`, else `$XDG_STATE_HOME/dynotty/debug.log`, else
 * `~/.local/state/dynotty/debug.log`; the folder 0700, the file 0600. Every line is
 * redacted: known secrets, `Bearer …` and anything that looks like a Heroku token.
 */
export interface DebugLog {
  readonly path: string | null;
  write(event: string, fields?: Record<string, unknown>): void;
  /** A secret that must never be written (the API token, once found). */
  addSecret(secret: string): void;
}

const TOKEN_SHAPES = [/Bearer\s+[^\s"']+/gi, /HRKU-[A-Za-z0-9_-]{8,}/g, /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b(?=.*token)/gi];

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (m) => (m.toLowerCase().startsWith('bearer') ? 'Bearer [REDACTED]' : '[REDACTED]'));
  return out;
}

export function debugLogPath(env: NodeJS.ProcessEnv): string {
  if (env['DYNOTTY_LOG']) return path.resolve(env['DYNOTTY_LOG']);
  const state = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'dynotty', 'debug.log');
}

export function createDebugLog(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): DebugLog {
  const secrets: string[] = [];
  if (env['HEROKU_API_KEY']) secrets.push(env['HEROKU_API_KEY']);
  const enabled = (env['DEBUG'] ?? '').split(',').some((d) => d.trim() === 'dynotty' || d.trim() === '*');
  if (!enabled) return { path: null, write: () => undefined, addSecret: (s) => void secrets.push(s) };
  const file = debugLogPath(env);
  let broken = false;
  return {
    path: file,
    addSecret: (s) => void secrets.push(s),
    write(event, fields = {}) {
      if (broken) return;
      try {
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const line = JSON.stringify({ t: now().toISOString(), event, ...fields });
        appendFileSync(file, `${redact(line, secrets)}\n`, { mode: 0o600 });
      } catch {
        // A log that cannot be written must never break the UI.
        broken = true;
      }
    },
  };
}

/** The source, logging each load: what it took and how it ended. */
export function loggedSource<T extends { load: (signal?: AbortSignal) => Promise<{ apps: unknown[] }> }>(source: T, log: DebugLog): T {
  if (log.path === null) return source;
  const load = source.load.bind(source);
  source.load = async (signal?: AbortSignal) => {
    const started = Date.now();
    try {
      const fleet = await load(signal);
      log.write('load', { ok: true, apps: fleet.apps.length, ms: Date.now() - started });
      return fleet;
    } catch (err) {
      log.write('load', { ok: false, error: err instanceof Error ? err.message : String(err), ms: Date.now() - started });
      throw err;
    }
  };
  return source;
}
