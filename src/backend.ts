import type { RunOptions } from './args.js';
import { DemoLauncher } from './demo/launcher.js';
import { DemoFleet } from './demo/fleet.js';
import { DemoSource } from './demo/source.js';
import type { Credentials } from './heroku/auth.js';
import { SourceError } from './heroku/errors.js';
import type { FleetSource } from './heroku/source.js';
import { resolveExecutable } from './session/executable.js';
import type { SessionLauncher } from './session/spec.js';
import type { StartProblem } from './start-problem.js';
import type { Operations } from './ops/operations.js';
import { DemoOperations } from './demo/operations.js';

/** Where the fleet comes from and how sessions start, with how often to refresh. */
export interface Backend {
  source: FleetSource;
  launcher: SessionLauncher;
  refreshMs: number;
  /** Exec sessions go through the system's OpenSSH (`ps:exec --ssh`): real size, resizes. */
  ssh: boolean;
  /** Logs and restarts, through the same channel as the source. */
  ops: Operations;
  /** Work that can wait until the picker is drawn; the picker calls it once, right after mounting. */
  startAfterFirstFrame?: () => void;
}

export type Resolution = { kind: 'ready'; backend: Backend } | { kind: 'problem'; problem: StartProblem };

export interface BackendEnvironment {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  cwd: string;
  signal?: AbortSignal;
  /** Told the token once found, so the debug log can redact it. */
  onSecret?: (secret: string) => void;
  /** `heroku run` and `run:inside` get `-x`: the remote command's status becomes the CLI's (scripted sessions). */
  exitCode?: boolean;
}

const DEMO_REFRESH_MS = 2_000;
const API_REFRESH_MS = 15_000;
// Every CLI call costs the CLI's start-up (about 1.5 s) per app: refresh less often.
const CLI_REFRESH_MS = 30_000;

export function demoBackend(): Backend {
  const fleet = DemoFleet.define();
  return {
    source: new DemoSource(fleet),
    launcher: new DemoLauncher(fleet),
    refreshMs: DEMO_REFRESH_MS,
    ssh: false,
    ops: new DemoOperations(fleet, { color: !process.env['NO_COLOR'] }),
    // Folders and processes (~100 ms of spawns) wait for the first frame, which lists the dynos as starting.
    // A failure shows on the next listing and on any session asked for.
    startAfterFirstFrame: () => void fleet.start().catch(() => undefined),
  };
}

const HEROKU_CLI_FIX = 'Install the Heroku CLI (https://devcenter.heroku.com/articles/heroku-cli), or pass --heroku-bin PATH';

/** Picks the source the options ask for; says what is missing when it cannot. */
export async function resolveBackend(options: RunOptions, where: BackendEnvironment): Promise<Resolution> {
  if (options.source === 'demo') return { kind: 'ready', backend: demoBackend() };
  // Loaded only for a real account: the demo fleet's start-up needs none of them. The CLI's
  // modules (execa) load only when the CLI is asked for something: a token found in the
  // environment or ~/.netrc starts the API source without them.
  const [{ apiBaseUrl, apiHost }, { ApiSource }, { findCredentials }, { HerokuLauncher }, { HerokuOperations }, { ApiClient }] = await Promise.all([
    import('./heroku/api-host.js'),
    import('./heroku/api-source.js'),
    import('./heroku/credentials.js'),
    import('./heroku/launcher.js'),
    import('./heroku/operations.js'),
    import('./heroku/api-client.js'),
  ]);
  const cliTimeout = options.cliTimeoutMs === null ? {} : { timeoutMs: options.cliTimeoutMs };
  const cliSource = async (bin: string, env: NodeJS.ProcessEnv): Promise<FleetSource> => new (await import('./heroku/cli-source.js')).CliSource({ bin, env, ...cliTimeout });

  const { env } = where;
  const bin = options.herokuBin ?? resolveExecutable('heroku', env['PATH']);
  if (options.herokuBin !== null && resolveExecutable(options.herokuBin, env['PATH']) === null) {
    return problem(`--heroku-bin ${options.herokuBin} cannot be run`, ['It does not exist or is not executable.'], [HEROKU_CLI_FIX]);
  }
  const ssh = resolveExecutable('ssh', env['PATH']) !== null;
  const launcher = new HerokuLauncher({
    bin: bin ?? 'heroku',
    env,
    cwd: where.cwd,
    argv: { ...(options.size ? { size: options.size } : {}), ssh, exitCode: where.exitCode === true },
  });

  let baseUrl: string;
  let machine: string;
  try {
    baseUrl = apiBaseUrl(env);
    machine = apiHost(env);
  } catch (err) {
    const message = err instanceof SourceError ? err.message : String(err);
    return problem('HEROKU_HOST is not a Heroku API host', [message], ['Unset HEROKU_HOST, or set it to a Heroku domain']);
  }

  if (options.source === 'cli') {
    if (bin === null) return problem('The heroku CLI is not on your PATH', ['--source cli lists apps with heroku apps --json.'], [HEROKU_CLI_FIX]);
    return ready(await cliSource(bin, env), launcher, CLI_REFRESH_MS, ssh, new HerokuOperations({ bin, env }));
  }

  let tokenError: string | null = null;
  const herokuToken =
    bin === null
      ? undefined
      : async (): Promise<string | null> => {
          try {
            const { herokuAuthToken } = await import('./heroku/cli-runner.js');
            return await herokuAuthToken(bin, env, where.signal, options.cliTimeoutMs ?? undefined);
          } catch (err) {
            tokenError = err instanceof Error ? err.message : String(err);
            return null;
          }
        };
  let credentials: Credentials | null;
  try {
    credentials = await findCredentials({ env, homeDir: where.homeDir, machine, herokuToken });
  } catch (err) {
    credentials = null;
    tokenError = err instanceof Error ? err.message : String(err);
  }
  if (credentials !== null) where.onSecret?.(credentials.token);
  if (credentials !== null) {
    const apiTimeout = options.apiTimeoutMs === null ? {} : { timeoutMs: options.apiTimeoutMs };
    const api = new ApiClient({ credentials, baseUrl, ...apiTimeout });
    const ops = new HerokuOperations({ bin: bin ?? 'heroku', env, api });
    return ready(new ApiSource({ credentials, baseUrl, ...apiTimeout }), launcher, API_REFRESH_MS, ssh, ops);
  }

  const looked = ['HEROKU_API_KEY is not set.', `~/.netrc has no entry for ${machine}.`];
  if (bin === null) {
    return problem(
      'No Heroku account found, and the heroku CLI is not installed',
      [...looked, 'heroku is not on your PATH, so heroku auth:token could not be asked.'],
      [HEROKU_CLI_FIX + ', then run heroku login', 'Or set HEROKU_API_KEY to an API token'],
    );
  }
  // The CLI is there but gave no token: with --source auto, listing through it would hit the same wall.
  if (options.source === 'auto' && tokenError !== null) {
    return ready(await cliSource(bin, env), launcher, CLI_REFRESH_MS, ssh, new HerokuOperations({ bin, env }));
  }
  return problem(
    'You are not logged in to Heroku',
    [...looked, tokenError ?? 'heroku auth:token says you are not logged in.'],
    ['Run heroku login, then start dynotty again', 'Or set HEROKU_API_KEY to an API token'],
  );
}

function ready(source: FleetSource, launcher: SessionLauncher, refreshMs: number, ssh: boolean, ops: Operations): Resolution {
  return { kind: 'ready', backend: { source, launcher, refreshMs, ssh, ops } };
}

function problem(title: string, details: string[], fixes: string[]): Resolution {
  return { kind: 'problem', problem: { title, details, fixes } };
}
