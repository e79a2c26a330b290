// A fake Heroku Platform API on 127.0.0.1: the shapes, errors, Range paging and
// rate-limit headers of the real one (see /work/shared/heroku-reference.md), so the
// API source, the fake `heroku` CLI and the real CLI (HEROKU_HOST) can all talk to it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEMO_ACCOUNT, DEMO_APPS } from '../../src/demo/fleet-definition.js';

export interface FakeAccount {
  id: string;
  email: string;
  name: string | null;
}

export interface ApiRef {
  id: string;
  name: string;
}

/** An app as the Platform API sends it; `generation` is rendered per Accept variant. */
export interface FakeAppJson {
  id: string;
  name: string;
  owner: { id: string; email: string };
  team: ApiRef | null;
  region: ApiRef;
  space: { id: string; name: string; shield: boolean } | null;
  stack: ApiRef;
  build_stack: ApiRef;
  generation: 'cedar' | 'fir';
  maintenance: boolean;
  locked: boolean;
  internal_routing: boolean | null;
  process_tier: string | null;
  web_url: string | null;
  git_url: string;
  acm: boolean;
  archived_at: string | null;
  buildpack_provided_description: string | null;
  created_at: string;
  updated_at: string;
  released_at: string | null;
  repo_size: number | null;
  slug_size: number | null;
}

export interface FakeDynoJson {
  id: string;
  name: string;
  type: string;
  state: string;
  size: string;
  command: string;
  created_at: string;
  updated_at: string;
  attach_url: string | null;
  release: { id: string; version: number };
  app: ApiRef;
}

/** A dyno started by POST /apps/APP/dynos[/DYNO], for a test rendezvous server to look up. */
export interface FakeRun {
  secret: string;
  app: string;
  /** The one-off's name (`run.4821`), or the live dyno for run:inside. */
  dyno: string;
  command: string;
  env: Record<string, unknown>;
  size: string;
  type: string;
  attach: boolean;
  forceNoTty: boolean;
  inside: boolean;
  createdAt: string;
}

export interface FakeRateLimit {
  /** Sent as `RateLimit-Remaining`; at 0 the API answers 429. */
  remaining: number;
  /** What `remaining` refills to once `retryAfterSeconds` have passed since it ran out. */
  budget: number;
  /** Taken from `remaining` by each request (0 holds it steady). */
  perRequest: number;
  retryAfterSeconds: number;
}

export interface FakeApiState {
  /** Valid tokens and whose they are. */
  accounts: Record<string, FakeAccount>;
  apps: FakeAppJson[];
  dynos: Record<string, FakeDynoJson[]>;
  /** Feature flags by app; an app missing here has `runtime-heroku-exec` off, an empty map has no features (404). */
  features: Record<string, Record<string, boolean>>;
  configVars: Record<string, Record<string, string>>;
  /** Buildpack URLs by app (ps:exec reads them); an app missing here has `heroku/nodejs`. */
  buildpacks: Record<string, string[]>;
  /**
   * Pipeline couplings by app name; an app missing here is in no pipeline (404 from
   * `GET /apps/APP/pipeline-couplings`, absent from `GET /pipeline-couplings`).
   */
  pipelineCouplings?: Record<string, { stage: string; pipeline: ApiRef }>;
  runs: FakeRun[];
  rateLimit: FakeRateLimit;
  /** Where `attach_url` points: a test rendezvous server. */
  rendezvous: { host: string; port: number };
}

export interface FailRule {
  path?: RegExp;
  method?: string;
  status: number;
  /** An object is sent as JSON; a string as is (text/html unless headers say otherwise). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Lower-cased names; `authorization` is left out (see auth). */
  headers: Record<string, string>;
  auth: 'valid' | 'invalid' | 'missing';
  /** `Bearer`, `Basic`, or null when there was no Authorization header. */
  authScheme: string | null;
  body: unknown;
  /** Null while unanswered (hanging) or when the connection was reset. */
  status: number | null;
  /** Requests being handled when this one arrived, itself included. */
  inFlight: number;
  startedAt: number;
  finishedAt: number | null;
}

export interface FakeApiOptions {
  state?: FakeApiState;
  latencyMs?: number;
  /** Items per page when the request names no `max` (the API's default is 200). */
  pageSize?: number;
  /** The largest `max` honoured (the API's is 1000); defaults to pageSize when pageSize is given. */
  maxPageSize?: number;
  failNext?: FailRule[];
  hang?: RegExp | null;
  down?: boolean;
  rendezvousHost?: string;
  rendezvousPort?: number;
  /** How long a restarted dyno stays `starting` before it is `up` again. */
  restartDelayMs?: number;
}

export interface FakeApi {
  readonly url: string;
  readonly port: number;
  state: FakeApiState;
  requests: RecordedRequest[];
  latencyMs: number;
  pageSize: number;
  maxPageSize: number;
  /** Consumed in order: the first rule matching a request answers it, once. */
  failNext: FailRule[];
  /** Requests whose path matches are never answered. */
  hang: RegExp | null;
  /** Every connection is destroyed at once (a connection reset). */
  down: boolean;
  restartDelayMs: number;
  /** Requests being handled now. */
  readonly inFlight: number;
  /** TCP connections accepted so far (a client that keeps them alive makes few). */
  readonly connections: number;
  close(): Promise<void>;
}

/** The token demoLikeFleet() and manyApps() accept. */
export const FAKE_TOKEN = 'hrku-fake-0123456789abcdef0123456789abcdef';
export const FAKE_ACCOUNT: FakeAccount = { id: uuidFrom('account', DEMO_ACCOUNT), email: DEMO_ACCOUNT, name: 'Demo Developer' };

const TEAM_OWNER = { id: uuidFrom('account', 'acme@herokumanager.com'), email: 'acme@herokumanager.com' };
const GENERATION_IDS: Record<'cedar' | 'fir', string> = {
  cedar: uuidFrom('generation', 'cedar'),
  fir: uuidFrom('generation', 'fir'),
};
const NOT_FOUND_ENDPOINT =
  'The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?';
const DEFAULT_ERRORS: Record<number, { id: string; message: string }> = {
  400: { id: 'bad_request', message: 'Bad request.' },
  401: { id: 'unauthorized', message: 'Invalid credentials provided.' },
  403: { id: 'forbidden', message: 'You do not have access to the app.' },
  404: { id: 'not_found', message: "Couldn't find that app." },
  409: { id: 'conflict', message: 'A release is still being created. Please try again in a moment.' },
  422: { id: 'invalid_params', message: 'Invalid parameters.' },
  429: { id: 'rate_limit', message: 'Your account reached the API rate limit. Please wait a few minutes before making new requests.' },
  500: { id: 'internal_server_error', message: 'Internal server error.' },
  502: { id: 'bad_gateway', message: 'Bad gateway.' },
  503: { id: 'service_unavailable', message: 'Service unavailable, please try again later.' },
};

/** A pipeline reference for `state.pipelineCouplings`. */
export function pipelineRef(name: string): ApiRef {
  return ref('pipeline', name);
}

/** A UUID that is the same for the same inputs, so fixtures are stable. */
export function uuidFrom(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\0')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A pipeline coupling as the list sends it (the per-app answer adds the pipeline's name). */
interface CouplingJson {
  id: string;
  created_at: string;
  updated_at: string;
  stage: string;
  app: { id: string };
  pipeline: { id: string };
}

function couplingJson(app: FakeAppJson, coupling: { stage: string; pipeline: ApiRef }): CouplingJson {
  return {
    id: uuidFrom('coupling', app.name, coupling.pipeline.id),
    created_at: app.created_at,
    updated_at: app.updated_at,
    stage: coupling.stage,
    app: { id: app.id },
    pipeline: { id: coupling.pipeline.id },
  };
}

function ref(kind: string, name: string): ApiRef {
  return { id: uuidFrom(kind, name), name };
}

function emptyState(): FakeApiState {
  return {
    accounts: { [FAKE_TOKEN]: { ...FAKE_ACCOUNT } },
    apps: [],
    dynos: {},
    features: {},
    configVars: {},
    buildpacks: {},
    runs: [],
    rateLimit: { remaining: 4500, budget: 4500, perRequest: 1, retryAfterSeconds: 1 },
    rendezvous: { host: '127.0.0.1', port: 5000 },
  };
}

export interface AppJsonFields {
  name: string;
  ownerEmail?: string;
  team?: string | null;
  region?: string;
  space?: { name: string; shield: boolean } | null;
  stack?: string;
  generation?: 'cedar' | 'fir';
  processTier?: string | null;
  maintenance?: boolean;
  createdAt?: string;
}

/** An app in the API's JSON shape, with realistic defaults. */
export function appJson(f: AppJsonFields): FakeAppJson {
  const created = f.createdAt ?? '2024-03-11T09:21:44Z';
  const stack = f.stack ?? (f.generation === 'fir' ? 'cnb' : 'heroku-24');
  const ownerEmail = f.ownerEmail ?? (f.team ? TEAM_OWNER.email : DEMO_ACCOUNT);
  const hash = uuidFrom('web', f.name).replace(/-/g, '').slice(0, 12);
  return {
    id: uuidFrom('app', f.name),
    name: f.name,
    owner: { id: uuidFrom('account', ownerEmail), email: ownerEmail },
    team: f.team ? ref('team', f.team) : null,
    region: ref('region', f.region ?? 'us'),
    space: f.space ? { id: uuidFrom('space', f.space.name), name: f.space.name, shield: f.space.shield } : null,
    stack: ref('stack', stack),
    build_stack: ref('stack', stack),
    generation: f.generation ?? 'cedar',
    maintenance: f.maintenance ?? false,
    locked: false,
    internal_routing: f.space ? false : null,
    process_tier: f.processTier === undefined ? 'production' : f.processTier,
    web_url: `https://${f.name}-${hash}.herokuapp.com/`,
    git_url: `https://git.heroku.com/${f.name}.git`,
    acm: false,
    archived_at: null,
    buildpack_provided_description: 'Node.js',
    created_at: created,
    updated_at: '2025-06-20T10:00:00Z',
    released_at: '2025-06-20T10:00:00Z',
    repo_size: null,
    slug_size: 41_283_584,
  };
}

export interface DynoJsonFields {
  app: string;
  name: string;
  type?: string;
  state?: string;
  size?: string;
  command?: string;
  createdAt?: string;
  releaseVersion?: number;
  attachUrl?: string | null;
}

export function dynoJson(f: DynoJsonFields): FakeDynoJson {
  const created = f.createdAt ?? '2025-06-20T10:00:00Z';
  const version = f.releaseVersion ?? 42;
  return {
    id: uuidFrom('dyno', f.app, f.name),
    name: f.name,
    type: f.type ?? f.name.split(/[.-]/)[0] ?? 'web',
    state: f.state ?? 'up',
    size: f.size ?? 'Standard-1X',
    command: f.command ?? 'npm start',
    created_at: created,
    updated_at: created,
    attach_url: f.attachUrl ?? null,
    release: { id: uuidFrom('release', f.app, String(version)), version },
    app: ref('app', f.app),
  };
}

/**
 * The demo fleet as the API would show it: five apps (team, personal, Fir, Shield,
 * Eco), a crashed dyno, an attached one-off, exec on for one app. Shield sizes are
 * `Private-*` here, as the API sends them (the CLI renames them `Shield-*`).
 */
export function demoLikeFleet(now = Date.now()): FakeApiState {
  const state = emptyState();
  for (const def of DEMO_APPS) {
    const a = def.app;
    state.apps.push(
      appJson({
        name: a.name,
        ownerEmail: a.ownerEmail ?? DEMO_ACCOUNT,
        team: a.team,
        region: a.region ?? 'us',
        space: a.space,
        stack: a.stack ?? undefined,
        generation: a.generation,
        processTier: a.processTier,
        maintenance: a.maintenance,
      }),
    );
    state.dynos[a.name] = def.dynos.map((d) => {
      const created = new Date(now - d.ageMinutes * 60_000).toISOString();
      return dynoJson({
        app: a.name,
        name: d.name,
        type: d.type,
        state: d.behaviour === 'crash' ? 'crashed' : 'up',
        size: a.space?.shield ? d.size.replace('Shield-', 'Private-') : d.size,
        command: d.command,
        createdAt: created,
        releaseVersion: def.releaseVersion,
        attachUrl: d.behaviour === 'attached' ? `rendezvous://rendezvous.runtime.heroku.com:5000/${uuidFrom('secret', a.name, d.name)}` : null,
      });
    });
    state.features[a.name] = { 'runtime-heroku-exec': a.execEnabled === true };
    state.configVars[a.name] = { ...def.configVars };
  }
  return state;
}

/** `n` apps (`load-app-0001`...) with `dynosEach` web dynos each, for load tests. */
export function manyApps(n: number, dynosEach: number): FakeApiState {
  const state = emptyState();
  for (let i = 1; i <= n; i++) {
    const name = `load-app-${String(i).padStart(4, '0')}`;
    state.apps.push(appJson({ name, team: i % 2 === 0 ? 'acme' : null }));
    state.dynos[name] = Array.from({ length: dynosEach }, (_, j) => dynoJson({ app: name, name: `web.${j + 1}` }));
    state.features[name] = { 'runtime-heroku-exec': i % 3 === 0 };
  }
  return state;
}

// ---- Range paging (`Range: name ]last..; max=200`) ----

type RangeField = 'id' | 'name';

interface RangeSpec {
  field: RangeField;
  start: string | null;
  startExclusive: boolean;
  end: string | null;
  max: number | null;
  descending: boolean;
}

function parseRange(header: string): RangeSpec | null {
  const m = /^\s*(id|name)\s+([^;]*?)\s*(?:;\s*(.*))?$/.exec(header);
  if (!m) return null;
  const [, field, span = '', params = ''] = m;
  const dots = span.indexOf('..');
  if (dots < 0) return null;
  let start = span.slice(0, dots);
  const startExclusive = start.startsWith(']');
  if (startExclusive) start = start.slice(1);
  const end = span.slice(dots + 2);
  let max: number | null = null;
  let descending = false;
  for (const param of params.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v = ''] = param.split('=').map((s) => s.trim());
    if (k === 'max') {
      if (!/^\d+$/.test(v) || Number(v) < 1) return null;
      max = Number(v);
    } else if (k === 'order') {
      if (v !== 'asc' && v !== 'desc') return null;
      descending = v === 'desc';
    } else return null;
  }
  return { field: field as RangeField, start: start || null, startExclusive, end: end || null, max, descending };
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface SortedCopy {
  field: RangeField;
  descending: boolean;
  /** The items as they were when sorted, to tell a changed list (O(n), far cheaper than a sort). */
  items: readonly object[];
  sorted: readonly Pageable[];
}
/** A list item: every list ranges by id; those with names (apps, dynos) by name too. */
type Pageable = { id: string; name?: string };
const sortedCopies = new WeakMap<readonly object[], SortedCopy[]>();

/**
 * The list sorted for paging, kept between pages: re-sorting 100,000 dynos for each of
 * their 100 pages made the fake, not dynotty, the slow part of a big-fleet test. A list
 * whose items changed (added, removed, replaced) is sorted again; renaming an item in
 * place is not noticed (no test does it).
 */
function sortedBy<T extends Pageable>(items: readonly T[], field: RangeField, descending: boolean): T[] {
  const copies = sortedCopies.get(items) ?? [];
  const same = (c: SortedCopy): boolean => c.items.length === items.length && c.items.every((x, i) => x === items[i]);
  const hit = copies.find((c) => c.field === field && c.descending === descending && same(c));
  if (hit) return hit.sorted as T[];
  const key = (x: T): string => x[field] ?? '';
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (descending) sorted.reverse();
  sortedCopies.set(items, [...copies.filter((c) => c.field !== field || c.descending !== descending), { field, descending, items: [...items], sorted }]);
  return sorted;
}

/**
 * One page of a list, as the API pages it, by one of `fields` (the first is the order
 * without a Range header: name where there is one).
 */
function pageOf<T extends Pageable>(
  items: readonly T[],
  rangeHeader: string | undefined,
  pageSize: number,
  maxPageSize: number,
  fields: readonly RangeField[] = ['name', 'id'],
): Answer {
  const parsed: RangeSpec | null = rangeHeader
    ? parseRange(rangeHeader)
    : { field: fields[0] ?? 'id', start: null, startExclusive: false, end: null, max: null, descending: false };
  const spec = parsed && fields.includes(parsed.field) ? parsed : null;
  if (!spec) return { status: 400, body: { id: 'bad_request', message: `Invalid range header: ${rangeHeader}.` } };
  const key = (x: T): string => x[spec.field] ?? '';
  const sorted = sortedBy(items, spec.field, spec.descending);
  const before = (a: string, b: string): boolean => (spec.descending ? a > b : a < b);
  const excluded = (k: string): boolean => spec.start !== null && (before(k, spec.start) || (spec.startExclusive && k === spec.start));
  // The list is sorted by the key: the range starts at the first item not excluded (binary search).
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (excluded(key(sorted[mid] as T))) lo = mid + 1;
    else hi = mid;
  }
  const max = Math.min(spec.max ?? pageSize, maxPageSize);
  // One more than a page, to tell whether there is a next one.
  const inRange: T[] = [];
  for (let i = lo; i < sorted.length && inRange.length <= max; i++) {
    const item = sorted[i] as T;
    if (spec.end !== null && before(spec.end, key(item))) break;
    inRange.push(item);
  }
  const page = inRange.slice(0, max);
  const headers: Record<string, string> = { 'Accept-Ranges': [...fields].sort().join(', ') };
  const params = `max=${max}${spec.descending ? ', order=desc' : ''}`;
  const first = page[0];
  const last = page[page.length - 1];
  if (first && last) headers['Content-Range'] = `${spec.field} ${key(first)}..${key(last)}; ${params}`;
  if (last && inRange.length > page.length) {
    headers['Next-Range'] = `${spec.field} ]${key(last)}..; ${params}`;
    return { status: 206, body: page, headers };
  }
  return { status: 200, body: page, headers };
}

// ---- The server ----

function errorBody(status: number, override?: { id: string; message: string; resource?: string }): unknown {
  return override ?? DEFAULT_ERRORS[status] ?? { id: 'error', message: `HTTP ${status}` };
}

function acceptVariant(accept: string | undefined): string | null {
  if (!accept || !accept.includes('application/vnd.heroku+json')) return null;
  const m = /version=3(?:\.([\w-]+))?/.exec(accept);
  return m ? (m[1] ?? '') : null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function normaliseSize(size: string): string {
  return size.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()).replace(/(\d)x$/, '$1X');
}

function defaultOneOffSize(app: FakeAppJson): string {
  if (app.generation === 'fir') return 'dyno-1c-0.5gb';
  if (app.space) return app.space.shield ? 'Private-M' : 'Private-S';
  if (app.process_tier === 'eco') return 'Eco';
  if (app.process_tier === 'basic') return 'Basic';
  return 'Standard-1X';
}

export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const upAt = new Map<string, number>();
  let inFlight = 0;
  let connections = 0;
  let spentAt: number | null = null;

  const api: FakeApi = {
    url: '',
    port: 0,
    state: options.state ?? demoLikeFleet(),
    requests: [],
    latencyMs: options.latencyMs ?? 0,
    pageSize: options.pageSize ?? 200,
    maxPageSize: options.maxPageSize ?? (options.pageSize === undefined ? 1000 : options.pageSize),
    failNext: [...(options.failNext ?? [])],
    hang: options.hang ?? null,
    down: options.down ?? false,
    restartDelayMs: options.restartDelayMs ?? 0,
    get inFlight() {
      return inFlight;
    },
    get connections() {
      return connections;
    },
    close,
  };
  if (options.rendezvousHost !== undefined) api.state.rendezvous.host = options.rendezvousHost;
  if (options.rendezvousPort !== undefined) api.state.rendezvous.port = options.rendezvousPort;

  const server = createServer((req, res) => void handle(req, res));
  // Node's default. Shorter misleads clients: undici takes 1 s off the Keep-Alive timeout a
  // server advertises, so `timeout=1` had it close every connection after one request.
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    if (api.down) {
      socket.destroy();
      return;
    }
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (api.down) {
      req.socket.destroy();
      return;
    }
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const authHeader = req.headers.authorization;
    const token = tokenFrom(authHeader);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k !== 'authorization' && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    inFlight++;
    const record: RecordedRequest = {
      method,
      path,
      headers,
      auth: authHeader === undefined ? 'missing' : token !== null && api.state.accounts[token] ? 'valid' : 'invalid',
      authScheme: authHeader?.split(' ')[0] ?? null,
      body: undefined,
      status: null,
      inFlight,
      startedAt: Date.now(),
      finishedAt: null,
    };
    api.requests.push(record);
    res.on('close', () => {
      inFlight--;
      record.finishedAt = Date.now();
    });

    const text = await readBody(req).catch(() => '');
    record.body = text ? parseJson(text) : undefined;
    if (api.hang?.test(path)) return;
    if (api.latencyMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, api.latencyMs);
        timers.add(t);
      });
    }
    if (res.destroyed || api.down) {
      req.socket.destroy();
      return;
    }
    const answer = answerFor(method, path, req.headers, record.auth, token, record.body, text);
    record.status = answer.status;
    send(res, answer);
  }

  function tokenFrom(header: string | undefined): string | null {
    if (!header) return null;
    const [scheme, value = ''] = header.split(' ');
    if (scheme === 'Bearer') return value;
    if (scheme === 'Basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.slice(decoded.indexOf(':') + 1);
    }
    return null;
  }

  function parseJson(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  function send(res: ServerResponse, answer: Answer): void {
    const headers: Record<string, string> = {
      'Request-Id': randomUUID(),
      'RateLimit-Remaining': String(Math.max(0, api.state.rateLimit.remaining)),
      ...answer.headers,
    };
    const typed = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
    let payload = '';
    if (typeof answer.body === 'string') {
      payload = answer.body;
      if (!typed) headers['Content-Type'] = 'text/html; charset=utf-8';
    } else if (answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      if (!typed) headers['Content-Type'] = 'application/json';
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
  }

  function takeFailure(method: string, path: string): FailRule | null {
    const i = api.failNext.findIndex((r) => (!r.path || r.path.test(path)) && (!r.method || r.method === method));
    if (i < 0) return null;
    const [rule] = api.failNext.splice(i, 1);
    return rule ?? null;
  }

  /** Counts the request against the rate limit; a 429 answer when it is spent. */
  function spend(): Answer | null {
    const rl = api.state.rateLimit;
    if (rl.remaining <= 0 && spentAt !== null && Date.now() - spentAt >= rl.retryAfterSeconds * 1000) {
      rl.remaining = rl.budget;
      spentAt = null;
    }
    if (rl.remaining <= 0) {
      spentAt ??= Date.now();
      return { status: 429, body: errorBody(429), headers: { 'Retry-After': String(rl.retryAfterSeconds) } };
    }
    rl.remaining = Math.max(0, rl.remaining - rl.perRequest);
    return null;
  }

  function answerFor(
    method: string,
    rawPath: string,
    reqHeaders: IncomingMessage['headers'],
    auth: RecordedRequest['auth'],
    token: string | null,
    body: unknown,
    text: string,
  ): Answer {
    const failure = takeFailure(method, rawPath);
    if (failure) {
      const rl = api.state.rateLimit;
      rl.remaining = Math.max(0, rl.remaining - rl.perRequest);
      const fallback = failure.status >= 400 ? errorBody(failure.status) : [];
      const headers = { ...failure.headers };
      if (failure.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) headers['Retry-After'] = '1';
      return { status: failure.status, body: failure.body === undefined ? fallback : failure.body, headers };
    }
    if (auth !== 'valid' || token === null) return { status: 401, body: errorBody(401) };
    const limited = spend();
    if (limited) return limited;
    const variant = acceptVariant(reqHeaders.accept);
    if (variant === null) {
      return {
        status: 400,
        body: {
          id: 'missing_version',
          message: "Please specify a version along with Heroku's API MIME type. For example, `Accept: application/vnd.heroku+json; version=3`.",
        },
      };
    }
    if (text && typeof body === 'string') return { status: 400, body: { id: 'bad_request', message: 'Invalid JSON in request body.' } };
    settleRestarts();
    const url = new URL(rawPath, 'http://fake');
    let segs: string[];
    try {
      segs = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return { status: 404, body: { id: 'not_found', message: NOT_FOUND_ENDPOINT } };
    }
    const account = api.state.accounts[token] as FakeAccount;
    return route(method, segs, reqHeaders.range, variant, account, body) ?? { status: 404, body: { id: 'not_found', message: NOT_FOUND_ENDPOINT } };
  }

  function renderApp(app: FakeAppJson, variant: string): unknown {
    const generation = variant === 'sdk' ? app.generation : { id: GENERATION_IDS[app.generation], name: app.generation };
    return { ...app, organization: app.team, generation };
  }

  function findApp(nameOrId: string): FakeAppJson | undefined {
    return api.state.apps.find((a) => a.name === nameOrId || a.id === nameOrId);
  }

  function appNotFound(): Answer {
    return { status: 404, body: { resource: 'app', id: 'not_found', message: "Couldn't find that app." } };
  }

  function route(method: string, segs: string[], range: string | undefined, variant: string, account: FakeAccount, body: unknown): Answer | null {
    const [s0, s1, s2, s3, s4, ...rest] = segs;
    if (rest.length > 0) return null;
    const page = <T extends Pageable>(items: T[], render: (x: T) => unknown): Answer => {
      const answer = pageOf(items, range, api.pageSize, api.maxPageSize);
      if (Array.isArray(answer.body)) answer.body = (answer.body as T[]).map(render);
      return answer;
    };
    const appView = (a: FakeAppJson): unknown => renderApp(a, variant);

    if (s0 === 'account' && s1 === undefined && method === 'GET') {
      return {
        status: 200,
        body: {
          ...account,
          allow_tracking: true,
          beta: false,
          created_at: '2019-01-15T12:00:00Z',
          updated_at: '2025-06-01T12:00:00Z',
          default_organization: null,
          default_team: null,
          delinquent_at: null,
          federated: false,
          identity_provider: null,
          last_login: '2025-06-20T09:00:00Z',
          sms_number: null,
          suspended_at: null,
          two_factor_authentication: false,
          verified: true,
        },
      };
    }
    if (method === 'GET' && s0 === 'apps' && s1 === undefined) return page(api.state.apps, appView);
    if (method === 'GET' && s0 === 'users' && s1 === '~' && s2 === 'apps' && s3 === undefined) return page(api.state.apps, appView);
    if (method === 'GET' && s0 === 'teams' && s1 !== undefined && s2 === 'apps' && s3 === undefined) {
      const apps = api.state.apps.filter((a) => a.team?.name === s1 || a.team?.id === s1);
      if (apps.length === 0) return { status: 404, body: { resource: 'team', id: 'not_found', message: "Couldn't find that team." } };
      return page(apps, appView);
    }
    if (method === 'GET' && s0 === 'pipeline-couplings' && s1 === undefined) {
      return pageOf(everyCoupling(), range, api.pageSize, api.maxPageSize, ['id']);
    }
    if (s0 !== 'apps' || s1 === undefined) return null;
    const app = findApp(s1);
    if (!app) return appNotFound();
    if (s2 === undefined) return method === 'GET' ? { status: 200, body: appView(app) } : null;
    if (s2 === 'dynos') return dynoRoute(method, app, s3, s4, range, variant, body);
    if (s2 === 'formations' && s3 !== undefined && s4 === undefined && method === 'DELETE') {
      // `heroku ps:restart --process-type TYPE`
      const ofType = (api.state.dynos[app.name] ?? []).filter((d) => d.type === s3);
      if (ofType.length === 0) return { status: 404, body: { resource: 'formation', id: 'not_found', message: "Couldn't find that formation." } };
      for (const d of ofType) restart(d);
      return { status: 202, body: {} };
    }
    if (s2 === 'features' && s4 === undefined) return featureRoute(method, app, s3, body);
    if (s2 === 'pipeline-couplings' && s3 === undefined && method === 'GET') return couplingOf(app);
    if (s2 === 'config-vars' && s3 === undefined && method === 'GET') return { status: 200, body: api.state.configVars[app.name] ?? {} };
    if (s2 === 'buildpack-installations' && s3 === undefined && method === 'GET') {
      const urls = api.state.buildpacks[app.name] ?? ['heroku/nodejs'];
      return { status: 200, body: urls.map((url, ordinal) => ({ ordinal, buildpack: { url, name: url } })) };
    }
    return null;
  }

  /** `GET /apps/APP/pipeline-couplings`: one coupling object, or 404 when the app is in no pipeline. */
  function couplingOf(app: FakeAppJson): Answer {
    const coupling = api.state.pipelineCouplings?.[app.name];
    if (!coupling) return { status: 404, body: { resource: 'pipeline_coupling', id: 'not_found', message: "Couldn't find that pipeline coupling." } };
    const json = couplingJson(app, coupling);
    return { status: 200, body: { ...json, pipeline: { ...json.pipeline, name: coupling.pipeline.name } } };
  }

  /**
   * `GET /pipeline-couplings` lists every coupling the user can see: here, those of the
   * apps the fake lists (a coupling of an app not in `state.apps` is not visible).
   */
  function everyCoupling(): CouplingJson[] {
    const couplings = api.state.pipelineCouplings ?? {};
    return api.state.apps.flatMap((app) => {
      const coupling = couplings[app.name];
      return coupling ? [couplingJson(app, coupling)] : [];
    });
  }

  function dynoRoute(
    method: string,
    app: FakeAppJson,
    dynoName: string | undefined,
    extra: string | undefined,
    range: string | undefined,
    variant: string,
    body: unknown,
  ): Answer | null {
    if (extra !== undefined) return null;
    const list = (api.state.dynos[app.name] ??= []);
    if (dynoName === undefined) {
      if (method === 'GET') return pageOf(list, range, api.pageSize, api.maxPageSize);
      if (method === 'POST') return createDyno(app, null, body, variant);
      if (method === 'DELETE') {
        api.state.dynos[app.name] = list.filter((d) => d.type !== 'run');
        for (const d of api.state.dynos[app.name] ?? []) restart(d);
        return { status: 202, body: {} };
      }
      return null;
    }
    const dyno = list.find((d) => d.name === dynoName || d.id === dynoName);
    if (!dyno) return { status: 404, body: { resource: 'dyno', id: 'not_found', message: "Couldn't find that dyno." } };
    if (method === 'GET') return { status: 200, body: dyno };
    if (method === 'POST') return createDyno(app, dyno, body, variant);
    if (method === 'DELETE') {
      if (dyno.type === 'run') api.state.dynos[app.name] = list.filter((d) => d !== dyno);
      else restart(dyno);
      return { status: 202, body: {} };
    }
    return null;
  }

  function restart(dyno: FakeDynoJson): void {
    dyno.state = 'starting';
    dyno.updated_at = new Date().toISOString();
    upAt.set(dyno.id, Date.now() + api.restartDelayMs);
  }

  function settleRestarts(): void {
    const now = Date.now();
    for (const dynos of Object.values(api.state.dynos)) {
      for (const d of dynos) {
        const at = upAt.get(d.id);
        if (at !== undefined && at <= now) {
          d.state = 'up';
          d.updated_at = new Date(at).toISOString();
          upAt.delete(d.id);
        }
      }
    }
  }

  function createDyno(app: FakeAppJson, inside: FakeDynoJson | null, body: unknown, variant: string): Answer {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof b.command !== 'string' || b.command === '') {
      return { status: 422, body: { id: 'invalid_params', message: 'Command is required.' } };
    }
    if (inside && (variant !== 'run-inside' || app.generation !== 'fir')) {
      return { status: 422, body: { id: 'invalid_params', message: 'Running a command inside an existing dyno is only available for Fir apps.' } };
    }
    const list = (api.state.dynos[app.name] ??= []);
    const secret = randomBytes(24).toString('hex');
    const attach = b.attach === true || inside !== null;
    const { host, port } = api.state.rendezvous;
    const attachUrl = attach ? `rendezvous://${host}:${port}/${secret}` : null;
    const now = new Date().toISOString();
    let dyno: FakeDynoJson;
    if (inside) {
      dyno = { ...inside, attach_url: attachUrl };
    } else {
      let name: string;
      do name = `run.${1000 + Math.floor(Math.random() * 9000)}`;
      while (list.some((d) => d.name === name));
      const version = Math.max(1, ...list.map((d) => d.release.version));
      dyno = {
        ...dynoJson({ app: app.name, name, type: typeof b.type === 'string' ? b.type : 'run', command: b.command, releaseVersion: version }),
        id: randomUUID(),
        state: 'starting',
        size: typeof b.size === 'string' && b.size !== '' ? normaliseSize(b.size) : defaultOneOffSize(app),
        created_at: now,
        updated_at: now,
        attach_url: attachUrl,
      };
      list.push(dyno);
    }
    api.state.runs.push({
      secret,
      app: app.name,
      dyno: dyno.name,
      command: b.command,
      env: typeof b.env === 'object' && b.env !== null ? (b.env as Record<string, unknown>) : {},
      size: dyno.size,
      type: dyno.type,
      attach,
      forceNoTty: b.force_no_tty === true,
      inside: inside !== null,
      createdAt: now,
    });
    return { status: 201, body: dyno };
  }

  function featureJson(app: FakeAppJson, name: string, enabled: boolean): unknown {
    return {
      id: uuidFrom('feature', name),
      name,
      display_name: name === 'runtime-heroku-exec' ? 'Heroku Exec' : name,
      description: name === 'runtime-heroku-exec' ? 'Enables Heroku Exec for the app.' : name,
      doc_url: 'https://devcenter.heroku.com/articles/exec',
      enabled,
      state: 'general',
      feedback_email: 'exec-feedback@heroku.com',
      created_at: app.created_at,
      updated_at: app.updated_at,
    };
  }

  function featureRoute(method: string, app: FakeAppJson, name: string | undefined, body: unknown): Answer | null {
    const features = (api.state.features[app.name] ??= { 'runtime-heroku-exec': false });
    if (name === undefined) {
      if (method !== 'GET') return null;
      return { status: 200, body: Object.entries(features).map(([n, on]) => featureJson(app, n, on)) };
    }
    if (!(name in features)) return { status: 404, body: { resource: 'feature', id: 'not_found', message: "Couldn't find that feature." } };
    if (method === 'PATCH') {
      const enabled = (body as { enabled?: unknown } | undefined)?.enabled;
      if (typeof enabled !== 'boolean') return { status: 422, body: { id: 'invalid_params', message: 'Enabled must be a boolean.' } };
      features[name] = enabled;
    } else if (method !== 'GET') return null;
    return { status: 200, body: featureJson(app, name, features[name] === true) };
  }

  async function close(): Promise<void> {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of sockets) s.destroy();
    await closed;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, { url: `http://127.0.0.1:${port}`, port });
}
