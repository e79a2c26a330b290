// The pieces the source tests (test/e2e/sources.test.ts) share: dynotty in a real pty
// with a fully controlled environment (HOME, PATH, cwd, Heroku variables), one fleet
// fed to both fakes (the Platform API and the `heroku` CLI), and the CLI's argv log.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FakeApiState } from '../fakes/fake-api.js';
import { demoLikeFleet, FAKE_TOKEN } from '../fakes/fake-api.js';
import type { ApiApp, ApiDyno, FakeHerokuState } from '../fakes/fake-heroku.js';
import { fakeHerokuDir, writeFakeHerokuState } from '../fakes/fake-heroku.js';
import { cliPath, PtyScreen } from './pty-screen.js';

// What this machine's environment could say about Heroku never reaches dynotty: the
// pty inherits this process's environment (PtyScreen spreads process.env, and a value
// of undefined would arrive as the string "undefined"), so the variables go from here.
for (const key of Object.keys(process.env)) {
  if (key.startsWith('HEROKU_') || key.startsWith('FAKE_HEROKU_') || key === 'NETRC') delete process.env[key];
}

const root = mkdtempSync(path.join(os.tmpdir(), 'dynotty-sources-'));
let made = 0;

/** A new empty folder under this run's temp root. */
export function freshDir(prefix: string): string {
  return mkdtempSync(path.join(root, `${prefix}-${++made}-`));
}

/** Node's folder, then the system's: no `heroku` there (checked), `ssh` maybe. */
export const PATH_WITHOUT_HEROKU = [...new Set([path.dirname(process.execPath), '/usr/bin', '/bin'])].join(path.delimiter);

/** A folder with only what the tests' shell and the fake CLI need: no `ssh`, no `heroku`. */
function bareTools(): string {
  const dir = path.join(root, 'bare-tools');
  mkdirSync(dir, { recursive: true });
  for (const tool of ['stty', 'sleep', 'git']) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => existsSync(p));
    if (found) symlinkSync(found, path.join(dir, tool));
  }
  symlinkSync(process.execPath, path.join(dir, 'node'));
  return dir;
}
export const BARE_TOOLS = bareTools();

/** The fake heroku first, then tools with no `ssh`: ps:exec must not get `--ssh`. */
export const PATH_FAKE_HEROKU_NO_SSH = [fakeHerokuDir, BARE_TOOLS].join(path.delimiter);
/** The fake heroku first, then the system (which has `ssh`). */
export const PATH_FAKE_HEROKU_WITH_SSH = [fakeHerokuDir, PATH_WITHOUT_HEROKU].join(path.delimiter);

/** Whether `name` is an executable in one of the folders of `searchPath`. */
export function onPath(name: string, searchPath: string): boolean {
  return searchPath.split(path.delimiter).some((d) => d !== '' && existsSync(path.join(d, name)));
}

/** The account the shared fleet belongs to: not the demo's, so the header proves where it came from. */
export const FLEET_EMAIL = 'ops@fleet-under-test.example';

/** demoLikeFleet(), owned by FLEET_EMAIL, for the fake API. */
export function sharedFleet(now = Date.now()): FakeApiState {
  const state = demoLikeFleet(now);
  const account = state.accounts[FAKE_TOKEN];
  if (account) account.email = FLEET_EMAIL;
  return state;
}

/** The same fleet in the fake CLI's state format (API-shaped apps and dynos). */
export function herokuStateOf(api: FakeApiState, token = FAKE_TOKEN): FakeHerokuState {
  const account = api.accounts[token];
  if (!account) throw new Error('no account for that token in the fake API state');
  const apps: ApiApp[] = api.apps.map((a) => ({ ...a }));
  const dynos: Record<string, ApiDyno[]> = {};
  for (const [app, list] of Object.entries(api.dynos)) dynos[app] = list.map((d) => ({ ...d }));
  const execEnabled: Record<string, boolean> = {};
  for (const [app, features] of Object.entries(api.features)) execEnabled[app] = features['runtime-heroku-exec'] === true;
  return {
    account: { id: account.id, email: account.email, name: account.name ?? undefined },
    token,
    apps,
    dynos,
    execEnabled,
    configVars: structuredClone(api.configVars),
  };
}

export interface CliFixture {
  stateFile: string;
  logFile: string;
  /** FAKE_HEROKU_STATE and FAKE_HEROKU_LOG, to add to dynotty's environment. */
  env: Record<string, string>;
}

/** Writes the fake CLI's state to a fresh folder; its log goes next to it. */
export function cliFixture(state: FakeHerokuState): CliFixture {
  const dir = freshDir('cli');
  const stateFile = writeFakeHerokuState(dir, state);
  const logFile = path.join(dir, 'heroku-log.jsonl');
  return { stateFile, logFile, env: { FAKE_HEROKU_STATE: stateFile, FAKE_HEROKU_LOG: logFile } };
}

export interface LaunchOptions {
  /** Required: an empty one unless the test says otherwise, so no ~/.netrc is read. */
  home?: string;
  path: string;
  env?: Record<string, string>;
  cwd?: string;
  cols?: number;
  rows?: number;
}

const screens: PtyScreen[] = [];

/**
 * dynotty as startDynotty runs it (inside `sh -c`, then `EXIT=$?` and `stty -a`), with
 * HOME, PATH and the working folder the test chooses. The cwd defaults to a fresh folder
 * that is no git repository, so no remote of the machine selects an app.
 */
export function launch(args: string[], opts: LaunchOptions): PtyScreen {
  const script = `node "$0" "$@"; echo "EXIT=$?"; stty -a; sleep 0.3`;
  const env: Record<string, string> = { CI: 'true', HOME: opts.home ?? freshDir('home'), PATH: opts.path, ...opts.env };
  const screen = new PtyScreen('/bin/sh', ['-c', script, cliPath, ...args], {
    cols: opts.cols ?? 140,
    rows: opts.rows ?? 40,
    cwd: opts.cwd ?? freshDir('cwd'),
    env,
  });
  screens.push(screen);
  return screen;
}

export function cleanupSources(): void {
  for (const s of screens.splice(0)) s.kill();
  rmSync(root, { recursive: true, force: true });
}

/** As DynoList shows a size. */
export function shortSize(size: string): string {
  return size.replace(/^Standard-/, 'Std-').replace(/^Performance-/, 'Perf-');
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
