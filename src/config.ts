// The config file: $XDG_CONFIG_HOME/dynotty/config.json, else ~/.config/dynotty/config.json,
// or --config PATH. Every field optional; an unknown field is an error (a typo such as
// "protected" for "protect" must not silently leave production unguarded).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROTECT_PATTERN } from './access/protect.js';
import { SIZE_NAME, SOURCES, type SourceChoice } from './args.js';
import { sanitize } from './text/sanitize.js';

export interface ConfigFile {
  source?: SourceChoice;
  /** Patterns as for --protect; merged with the flags. */
  protect?: string[];
  /** The dyno size `heroku run` asks for (--size). */
  runSize?: string;
  /** Where sessions are recorded (--record). `~/` is the home folder. */
  recordDir?: string;
  /** How often the fleet is listed again. */
  refreshSeconds?: number;
  /** Per heroku CLI call (listing). */
  cliTimeoutSeconds?: number;
  /** Per Platform API request. */
  apiTimeoutSeconds?: number;
}

/** A config file that cannot be used: the message names the file, the field and what was expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigLocation {
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

/** Where the config file is looked for when --config is not given. */
export function defaultConfigPath({ env, homeDir }: ConfigLocation): string {
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config');
  return path.join(base, 'dynotty', 'config.json');
}

/** The path as the user would write it: the home folder as `~`. */
export function displayPath(file: string, homeDir: string): string {
  return homeDir !== '' && (file === homeDir || file.startsWith(homeDir + path.sep)) ? `~${file.slice(homeDir.length)}` : file;
}

const RANGES = {
  refreshSeconds: [5, 3600],
  cliTimeoutSeconds: [1, 600],
  apiTimeoutSeconds: [1, 600],
} as const;

const FIELDS = ['source', 'protect', 'runSize', 'recordDir', ...(Object.keys(RANGES) as (keyof typeof RANGES)[])] as const;

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = sanitize(JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Checks a parsed config object field by field. Throws ConfigError with a message such as
 * `"refreshSeconds" must be a number from 5 to 3600, not "fast"` (without the file's name).
 */
export function validateConfig(raw: unknown, homeDir: string): ConfigFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`must be a JSON object ({"field": value, ...}), not ${Array.isArray(raw) ? 'an array' : shown(raw)}`);
  }
  const input = raw as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(`unknown field ${shown(unknown[0])} (known: ${FIELDS.join(', ')})`);
  }
  const config: ConfigFile = {};
  const bad = (field: string, expected: string): ConfigError => new ConfigError(`"${field}" must be ${expected}, not ${shown(input[field])}`);

  if (input.source !== undefined) {
    if (typeof input.source !== 'string' || !(SOURCES as readonly string[]).includes(input.source)) {
      throw bad('source', `one of ${SOURCES.map((s) => `"${s}"`).join(', ')}`);
    }
    config.source = input.source as SourceChoice;
  }
  if (input.protect !== undefined) {
    const list = input.protect;
    if (!Array.isArray(list) || !list.every((p): p is string => typeof p === 'string' && PROTECT_PATTERN.test(p))) {
      throw bad('protect', 'a list of app names or patterns with * and ? (e.g. ["*-prod", "billing"])');
    }
    config.protect = list;
  }
  if (input.runSize !== undefined) {
    if (typeof input.runSize !== 'string' || !SIZE_NAME.test(input.runSize)) throw bad('runSize', 'a dyno size such as "Standard-2X"');
    config.runSize = input.runSize;
  }
  if (input.recordDir !== undefined) {
    if (typeof input.recordDir !== 'string' || input.recordDir.trim() === '') throw bad('recordDir', 'a folder path');
    config.recordDir = expandHome(input.recordDir, homeDir);
  }
  for (const [field, [min, max]] of Object.entries(RANGES) as [keyof typeof RANGES, readonly [number, number]][]) {
    const value = input[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw bad(field, `a number from ${min} to ${max}`);
    }
    config[field] = value;
  }
  return config;
}

function expandHome(p: string, homeDir: string): string {
  if (p === '~') return homeDir;
  return p.startsWith('~/') ? path.join(homeDir, p.slice(2)) : p;
}

/**
 * Reads and validates the config file. A missing default file is no config at all; a
 * missing file named with --config, an unreadable one or a malformed one is a ConfigError
 * whose message starts with `config PATH:`.
 */
export function loadConfig(explicitPath: string | null, where: ConfigLocation): ConfigFile {
  const file = explicitPath === null ? defaultConfigPath(where) : path.resolve(explicitPath);
  const label = `config ${displayPath(file, where.homeDir)}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicitPath === null) return {};
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
    throw new ConfigError(`${label}: cannot read it: ${why}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(`${label}: not valid JSON: ${sanitize(err instanceof Error ? err.message : String(err))}`);
  }
  try {
    return validateConfig(raw, where.homeDir);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${label}: ${err.message}`);
    throw err;
  }
}
