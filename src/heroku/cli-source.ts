// Apps and dynos from the `heroku` CLI's --json output: `apps --json` once, then
// `ps --json -a APP` for every app at once (bounded), since each call costs a CLI start.
import { SourceError } from './errors.js';
import type { Dyno } from './model.js';
import { parseApps, parseDynos } from './parse.js';
import { attemptedCommand, herokuWhoami, parseJsonArray, runHeroku } from './cli-runner.js';
import type { Fleet, FleetSource } from './source.js';

export interface CliSourceOptions {
  /** The `heroku` executable (found on PATH, or --heroku-bin). */
  bin: string;
  /** The environment for the CLI; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** How many `heroku ps` run at once. */
  concurrency?: number;
  /** Per call; the runner's default when absent. */
  timeoutMs?: number;
}

export const APPS_ARGV: readonly string[] = ['apps', '--json'];
export const psArgv = (appName: string): string[] => ['ps', '--json', '-a', appName];

export class CliSource implements FleetSource {
  readonly kind = 'cli' as const;
  readonly label = 'heroku CLI';
  private readonly bin: string;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly concurrency: number;
  private readonly timeoutMs: number | undefined;
  private readonly inFlight = new Set<AbortController>();

  constructor(opts: CliSourceOptions) {
    this.bin = opts.bin;
    this.env = opts.env;
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
    this.timeoutMs = opts.timeoutMs;
  }

  async load(signal?: AbortSignal): Promise<Fleet> {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) stop.abort();
    this.inFlight.add(stop);
    try {
      return await this.list(stop.signal);
    } finally {
      stop.abort();
      this.inFlight.delete(stop);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async list(signal: AbortSignal): Promise<Fleet> {
    const run = (argv: readonly string[]): Promise<string> =>
      runHeroku(argv, { bin: this.bin, env: this.env, signal, timeoutMs: this.timeoutMs });
    // Who is logged in only labels the header: its failure costs nothing else.
    const account = herokuWhoami(this.bin, this.env, signal, this.timeoutMs).catch(() => null);

    const appsAttempted = attemptedCommand(APPS_ARGV, this.bin);
    const apps = parseApps(parseJsonArray(await run(APPS_ARGV), appsAttempted), appsAttempted);

    const dynos: Record<string, Dyno[]> = {};
    const appErrors: Record<string, string> = {};
    const limit = semaphore(this.concurrency);
    await Promise.all(
      apps.map(async (app) => {
        if (!isQueryableName(app.name)) {
          appErrors[app.name] = 'the app name is not one dynotty can pass to the heroku CLI';
          return;
        }
        const argv = psArgv(app.name);
        const attempted = attemptedCommand(argv, this.bin);
        try {
          const raw = parseJsonArray(await limit(() => run(argv)), attempted);
          dynos[app.name] = parseDynos(raw, app, attempted);
        } catch (error) {
          appErrors[app.name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    if (signal.aborted) throw new SourceError(appsAttempted, 'cancelled', null, 'cancelled');
    return { account: await account, apps, dynos, appErrors };
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  closeSync(): void {
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}

/** Runs at most `n` tasks at a time, in the order they were given. */
function semaphore(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

// A name beginning with `-` would read as a flag; whitespace or controls are not Heroku's.
function isQueryableName(name: string): boolean {
  return !name.startsWith('-') && !/[\s\u0000-\u001f\u007f-\u009f]/.test(name);
}

// ---------------------------------------------------------------- API JSON → model
// The CLI prints the Platform API's objects as they come: unknown fields are ignored,
// and a field of the wrong type reads as absent rather than failing the listing.
