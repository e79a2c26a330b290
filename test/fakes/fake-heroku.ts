// Driving the fake `heroku` executable (test/fakes/heroku) from tests: where it is,
// the fleet it serves, the environment that selects it, and what it was asked.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** An app as the Platform API (and so `heroku apps --json`) returns it. */
export interface ApiApp {
  id: string;
  name: string;
  owner: { id: string; email: string };
  team: { id: string; name: string } | null;
  region: { id: string; name: string };
  space: { id: string; name: string; shield: boolean } | null;
  stack: { id: string; name: string };
  build_stack: { id: string; name: string };
  /** A string in the `version=3.sdk` variant, `{id, name}` in plain version 3, or absent. */
  generation?: string | { id: string; name: string };
  maintenance: boolean;
  locked: boolean;
  internal_routing: boolean | null;
  process_tier: string | null;
  web_url: string | null;
  created_at: string;
  updated_at: string;
  released_at: string | null;
  [extra: string]: unknown;
}

/** A dyno as `GET /apps/APP/dynos` (and so `heroku ps --json`) returns it. */
export interface ApiDyno {
  id: string;
  name: string;
  type: string;
  state: string;
  size: string;
  command: string;
  attach_url: string | null;
  created_at: string;
  updated_at: string;
  release: { id: string; version: number };
  app: { id: string; name: string };
  [extra: string]: unknown;
}

export interface FakeHerokuState {
  account: { id: string; email: string; name?: string };
  /** What `heroku auth:token` prints when HEROKU_API_KEY is not set. */
  token: string;
  apps: ApiApp[];
  /** API dynos by app name; `heroku ps` rewrites `Private-` sizes in shield spaces itself. */
  dynos: Record<string, ApiDyno[]>;
  /** The `runtime-heroku-exec` feature by app name; absent means off (ps:exec asks first). */
  execEnabled?: Record<string, boolean>;
  /** Config vars: seen by `run` and `run:inside` sessions, not by `ps:exec`. */
  configVars?: Record<string, Record<string, string>>;
  /** Teams that exist, besides those named by an app. */
  teams?: string[];
  /** Lines `heroku logs` prints first for an app (`app[web.1]: text`, stamped when printed), as an app wrote them: untrusted. */
  logLines?: Record<string, string[]>;
  /** Restarted dynos by app, with the time (ms) they are `up` again; the fake keeps this itself. */
  restarting?: Record<string, Record<string, number>>;
}

export interface FakeHerokuInvocation {
  argv: string[];
  /** Whether HEROKU_API_KEY was set (never its value). */
  apiKeySet: boolean;
  pid: number;
  /** Start time, ms since the epoch. */
  at: number;
}

export interface FakeHerokuMode {
  /** A 401 for API commands: the interactive login prompt; `auth:whoami` exits 100. */
  loggedOut?: boolean;
  /** A ` ›   Warning: heroku update available ...` on stderr before anything else. */
  updateNotice?: boolean;
  latencyMs?: number;
  /** Selectors `cmd` or `cmd@app`, comma-separated (`ps`, `ps@acme-vault`, `*`). */
  hang?: string;
  garbage?: string;
  empty?: string;
  /** `selector:status:message`. */
  fail?: string;
}

function findFakeDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From test/fakes when run as source, from dist/test/fakes when compiled.
  for (const candidate of [path.join(here, 'heroku'), path.resolve(here, '../../../test/fakes/heroku')]) {
    if (existsSync(path.join(candidate, 'heroku.mjs'))) return candidate;
  }
  throw new Error(`fake heroku not found near ${here}`);
}

/** The folder holding the fake `heroku`: put it first on PATH. */
export const fakeHerokuDir: string = findFakeDir();
/** The fake executable itself, for a `bin` option. */
export const fakeHerokuBin: string = path.join(fakeHerokuDir, 'heroku');

/** Writes the fleet to `dir/heroku-state.json` and returns that path. */
export function writeFakeHerokuState(dir: string, state: FakeHerokuState): string {
  const file = path.join(dir, 'heroku-state.json');
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  return file;
}

export function readFakeHerokuState(file: string): FakeHerokuState {
  return JSON.parse(readFileSync(file, 'utf8')) as FakeHerokuState;
}

/** Every invocation so far, oldest first; none when the log does not exist yet. */
export function readFakeHerokuLog(file: string): FakeHerokuInvocation[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FakeHerokuInvocation);
}

// Variables that would change what the fake answers, wherever the tests happen to run.
const SCRUBBED = ['HEROKU_API_KEY', 'HEROKU_APP', 'HEROKU_TEAM', 'HEROKU_ORGANIZATION', 'HEROKU_HOST', 'OCLIF_COLUMNS'];

/**
 * The environment for a child that should find the fake first on PATH: the current
 * environment without Heroku variables and stale switches, plus the requested ones.
 */
export function fakeHerokuEnv(
  opts: { stateFile: string; logFile?: string; extra?: Record<string, string> } & FakeHerokuMode,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('FAKE_HEROKU_') || SCRUBBED.includes(key)) delete env[key];
  env.PATH = `${fakeHerokuDir}${path.delimiter}${process.env.PATH ?? ''}`;
  env.FAKE_HEROKU_STATE = opts.stateFile;
  if (opts.logFile) env.FAKE_HEROKU_LOG = opts.logFile;
  if (opts.loggedOut) env.FAKE_HEROKU_LOGGED_OUT = '1';
  if (opts.updateNotice) env.FAKE_HEROKU_UPDATE_NOTICE = '1';
  if (opts.latencyMs) env.FAKE_HEROKU_LATENCY_MS = String(opts.latencyMs);
  if (opts.hang) env.FAKE_HEROKU_HANG = opts.hang;
  if (opts.garbage) env.FAKE_HEROKU_GARBAGE = opts.garbage;
  if (opts.empty) env.FAKE_HEROKU_EMPTY = opts.empty;
  if (opts.fail) env.FAKE_HEROKU_FAIL = opts.fail;
  return { ...env, ...opts.extra };
}

// ---------------------------------------------------------------- the sample fleet

const ME = { id: '9f2c4e1a-7b3d-4c8e-a1f0-5d6b7c8e9a01', email: 'dev@acme.example' };
const TEAM_OWNER = { id: '3c1d9e7f-2a4b-4e6c-8d0a-1b2c3d4e5f60', email: 'acme@herokumanager.com' };
const ACME = { id: 'a7c3e9f1-4b2d-4f6a-9c8e-0d1b2a3c4e5f', name: 'acme' };
const REGIONS = {
  us: { id: '59accabd-516d-4f0e-83e6-6e3757701145', name: 'us' },
  eu: { id: 'ed30241c-ed8c-4bb6-9714-61953675d0b4', name: 'eu' },
  virginia: { id: 'd7ba5bf3-2f4c-4a5e-9b51-87c6d1a8e4f2', name: 'virginia' },
};
const HEROKU_24 = { id: '74cfe988-7527-4ca9-9667-77bb4ad8e4b0', name: 'heroku-24' };
const CNB = { id: 'ba46fcf4-0ad4-4b3b-9b3a-7d2f1e0c9a85', name: 'cnb' };
const T0 = '2025-06-20T08:00:00Z';

function app(fields: Pick<ApiApp, 'id' | 'name'> & Partial<ApiApp>): ApiApp {
  return {
    acm: false,
    archived_at: null,
    buildpack_provided_description: 'Node.js',
    build_stack: HEROKU_24,
    created_at: '2023-02-14T09:12:44Z',
    git_url: `https://git.heroku.com/${fields.name}.git`,
    internal_routing: null,
    locked: false,
    maintenance: false,
    owner: ME,
    process_tier: 'basic',
    region: REGIONS.us,
    released_at: '2025-06-19T16:40:02Z',
    repo_size: null,
    slug_size: 48_213_114,
    space: null,
    stack: HEROKU_24,
    team: null,
    updated_at: '2025-06-19T16:40:02Z',
    web_url: `https://${fields.name}-4e1f0b2c7d9a.herokuapp.com/`,
    generation: 'cedar',
    ...fields,
  };
}

function dyno(
  owner: ApiApp,
  fields: Pick<ApiDyno, 'id' | 'name' | 'type' | 'size' | 'command'> & Partial<ApiDyno>,
  release = 42,
): ApiDyno {
  return {
    attach_url: null,
    created_at: T0,
    updated_at: T0,
    state: 'up',
    release: { id: `0b6f3e2a-1c4d-4e5f-8a9b-${String(release).padStart(12, '0')}`, version: release },
    app: { id: owner.id, name: owner.name },
    ...fields,
  };
}

/**
 * A fleet in the API's shapes: a Cedar team app with a crashed worker and exec off,
 * a Fir app in a space (run:inside names), a Cedar app with a one-off `run.N` and exec
 * on, a Shield-space app with `Private-` sizes, and a personal Eco app whose
 * `generation` is absent (the CLI's older shape).
 */
export function sampleHerokuState(): FakeHerokuState {
  const billing = app({
    id: '6d1b0c52-3a8e-4f7d-9c21-8e4f2a7b9d10',
    name: 'acme-billing',
    owner: TEAM_OWNER,
    team: ACME,
    region: REGIONS.eu,
    process_tier: 'production',
    buildpack_provided_description: 'Ruby',
  });
  const mlFir = app({
    id: 'f3a9e1d7-5b2c-4e8a-b6f0-1c9d8e7a6b54',
    name: 'acme-ml-fir',
    owner: TEAM_OWNER,
    team: ACME,
    region: REGIONS.virginia,
    space: { id: 'c2e4a6b8-0d1f-4a3c-9e5b-7f8091a2b3c4', name: 'acme-fir', shield: false },
    stack: CNB,
    build_stack: CNB,
    generation: 'fir',
    process_tier: 'private',
    buildpack_provided_description: 'Python',
  });
  const storefront = app({
    id: '2b7e4c9a-1f3d-4a6b-8e5c-0d9f7a3b1c62',
    name: 'acme-storefront',
    owner: TEAM_OWNER,
    team: ACME,
    process_tier: 'production',
  });
  const vault = app({
    id: '8e2a4c6d-9b1f-4d3e-a5c7-1f0e2d3c4b5a',
    name: 'acme-vault',
    owner: TEAM_OWNER,
    team: ACME,
    region: REGIONS.virginia,
    space: { id: 'd4f6b8a0-2c3e-4b5d-8f7a-9b0c1d2e3f40', name: 'acme-shield', shield: true },
    // Plain version 3 gives the generation as an object.
    generation: { id: '4a7c9e1b-3d5f-4b6a-8c0e-2f1d3b5a7c9e', name: 'cedar' },
    process_tier: 'shield',
    internal_routing: false,
    buildpack_provided_description: 'Java',
  });
  const eco = app({
    id: '5c8e0a2b-4d6f-4e1a-9b3c-7d5e9f1a3b2c',
    name: 'sideproject-eco',
    process_tier: 'eco',
  });
  delete eco.generation;

  const apps = [billing, mlFir, storefront, vault, eco];
  return {
    account: { ...ME, name: 'Dev Eloper' },
    token: 'HRKU-00000000-fake-token-0000-000000000000',
    apps,
    dynos: {
      'acme-billing': [
        dyno(billing, { id: 'b1e0d9c8-0001-4a2b-8c3d-000000000001', name: 'web.1', type: 'web', size: 'Standard-1X', command: 'bundle exec puma -C config/puma.rb' }, 311),
        dyno(billing, { id: 'b1e0d9c8-0002-4a2b-8c3d-000000000002', name: 'worker.1', type: 'worker', size: 'Standard-1X', command: 'bundle exec sidekiq -C config/sidekiq.yml', state: 'crashed', updated_at: '2025-06-20T09:58:12Z' }, 311),
      ],
      'acme-ml-fir': [
        dyno(mlFir, { id: 'f1a2b3c4-0001-4d5e-8f6a-000000000001', name: 'web-848cd4f64d-pvpr2', type: 'web', size: 'dyno-2c-4gb', command: 'gunicorn ml.wsgi --bind 0.0.0.0:$PORT' }, 57),
        dyno(mlFir, { id: 'f1a2b3c4-0002-4d5e-8f6a-000000000002', name: 'web-848cd4f64d-x7m2n', type: 'web', size: 'dyno-2c-4gb', command: 'gunicorn ml.wsgi --bind 0.0.0.0:$PORT' }, 57),
        dyno(mlFir, { id: 'f1a2b3c4-0003-4d5e-8f6a-000000000003', name: 'worker-5b9d7c6f4-k2x8q', type: 'worker', size: 'dyno-1c-0.5gb', command: 'python -m ml.worker' }, 57),
      ],
      'acme-storefront': [
        dyno(storefront, { id: 'c0ffee00-0004-4b1c-9d2e-000000000004', name: 'worker.1', type: 'worker', size: 'Standard-1X', command: 'node worker.js' }, 142),
        dyno(storefront, { id: 'c0ffee00-0001-4b1c-9d2e-000000000001', name: 'run.4821', type: 'run', size: 'Standard-1X', command: 'bash', attach_url: 'rendezvous://rendezvous.runtime.heroku.com:5000/4f1c0e9a2b7d', created_at: '2025-06-20T09:48:00Z', updated_at: '2025-06-20T09:48:03Z' }, 142),
        dyno(storefront, { id: 'c0ffee00-0002-4b1c-9d2e-000000000002', name: 'web.1', type: 'web', size: 'Standard-2X', command: 'npm start' }, 142),
        dyno(storefront, { id: 'c0ffee00-0003-4b1c-9d2e-000000000003', name: 'web.2', type: 'web', size: 'Standard-2X', command: 'npm start' }, 142),
      ],
      'acme-vault': [
        dyno(vault, { id: 'a5b6c7d8-0001-4e9f-8a0b-000000000001', name: 'web.1', type: 'web', size: 'Private-M', command: 'java -Dserver.port=$PORT $JAVA_OPTS -jar target/vault-2.4.1.jar' }, 88),
        dyno(vault, { id: 'a5b6c7d8-0002-4e9f-8a0b-000000000002', name: 'worker.1', type: 'worker', size: 'Private-M', command: 'java $JAVA_OPTS -cp target/vault-2.4.1.jar com.acme.vault.Rotator' }, 88),
      ],
      'sideproject-eco': [
        dyno(eco, { id: 'e0c0e0c0-0001-4a1b-8c1d-000000000001', name: 'web.1', type: 'web', size: 'Eco', command: 'node index.js', state: 'idle' }, 9),
      ],
    },
    execEnabled: { 'acme-billing': false, 'acme-storefront': true, 'acme-vault': false, 'sideproject-eco': false, 'acme-ml-fir': false },
    configVars: {
      'acme-storefront': { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@storefront-db.dynotty.invalid:5432/d' },
      'acme-ml-fir': { MODEL_PATH: 'models/ranker-v7.onnx' },
    },
    teams: ['acme', 'acme-labs'],
  };
}
