// The Platform API's app and dyno objects, as the API sends them and as `heroku apps --json`
// and `heroku ps --json` print them. Untrusted text is kept raw (the UI sanitises it); wrong
// types never crash: numbers and booleans are spelled out, anything else reads as absent.
import { SourceError } from './errors.js';
import type { App, Dyno, Generation } from './model.js';

type Json = Record<string, unknown>;

export function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

/** Text from the API: strings as they are, numbers and booleans spelled out, anything else null. */
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
  return null;
}

function nameOf(v: unknown): string | null {
  return str(obj(v)?.name);
}

export function badOutput(attempted: string, problem: string): SourceError {
  return new SourceError(attempted, problem, null, 'bad-output');
}

function required(item: Json, field: string, what: string, attempted: string): string {
  const value = str(item[field]);
  if (value === null || value === '') throw badOutput(attempted, `${what} has no ${field}`);
  return value;
}

// `version=3.sdk` sends a string, plain `version=3` an object {id, name}.
export function parseGeneration(v: unknown): Generation {
  const name = typeof v === 'string' ? v : nameOf(v);
  return name?.toLowerCase() === 'fir' ? 'fir' : 'cedar';
}

export function parseApp(raw: unknown, index: number, attempted: string): App {
  const item = obj(raw);
  if (!item) throw badOutput(attempted, `app #${index + 1} is not an object`);
  const what = `app #${index + 1}`;
  const space = obj(item.space);
  return {
    id: required(item, 'id', what, attempted),
    name: required(item, 'name', what, attempted),
    ownerEmail: str(obj(item.owner)?.email),
    team: nameOf(item.team),
    region: nameOf(item.region),
    space: space ? { name: str(space.name) ?? '', shield: space.shield === true } : null,
    stack: nameOf(item.stack),
    generation: parseGeneration(item.generation),
    processTier: str(item.process_tier),
    maintenance: item.maintenance === true,
    execEnabled: null,
    webUrl: str(item.web_url),
  };
}

function releaseVersion(v: unknown): number | null {
  const version = obj(v)?.version;
  const n = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : version;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

export function parseDyno(raw: unknown, index: number, app: App, attempted: string): Dyno {
  const item = obj(raw);
  if (!item) throw badOutput(attempted, `dyno #${index + 1} is not an object`);
  const what = `dyno #${index + 1}`;
  const name = required(item, 'name', what, attempted);
  const size = str(item.size) ?? '';
  return {
    id: required(item, 'id', what, attempted),
    name,
    type: str(item.type) ?? name.split(/[.-]/)[0] ?? name,
    state: str(item.state) ?? 'unknown',
    // As `heroku ps` does: Shield spaces run Private-* sizes under a Shield-* name.
    size: app.space?.shield ? size.replace('Private-', 'Shield-') : size,
    command: str(item.command) ?? '',
    createdAt: str(item.created_at),
    updatedAt: str(item.updated_at),
    appName: app.name,
    releaseVersion: releaseVersion(item.release),
  };
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Sorted by name; a name listed twice is kept once. */
export function parseApps(raw: unknown[], attempted: string): App[] {
  const seen = new Set<string>();
  const apps: App[] = [];
  raw.forEach((entry, i) => {
    const app = parseApp(entry, i, attempted);
    if (seen.has(app.name)) return;
    seen.add(app.name);
    apps.push(app);
  });
  return apps.sort(byName);
}

export function parseDynos(raw: unknown[], app: App, attempted: string): Dyno[] {
  return raw.map((entry, i) => parseDyno(entry, i, app, attempted)).sort(byName);
}

/**
 * Pipeline stage by app id, from the coupling list. A coupling with no stage leaves its
 * app's stage unknown (undefined); one that names no app is bad output, since any app
 * could be the one it guards.
 */
export function parsePipelineStages(raw: unknown[], attempted: string): Map<string, string | undefined> {
  const stages = new Map<string, string | undefined>();
  raw.forEach((entry, i) => {
    const item = obj(entry);
    const what = `pipeline coupling #${i + 1}`;
    if (!item) throw badOutput(attempted, `${what} is not an object`);
    const appId = str(obj(item.app)?.id);
    if (appId === null || appId === '') throw badOutput(attempted, `${what} has no app id`);
    const stage = str(item.stage);
    stages.set(appId, stage === null || stage === '' ? undefined : stage);
  });
  return stages;
}
