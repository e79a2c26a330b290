// Logs and restarts on real Heroku. Logs always stream from `heroku logs --tail` (the
// log session and its SSE stream are the CLI's business). A restart goes through the
// same channel the fleet is listed through: `heroku ps:restart` for the CLI source,
// `DELETE /apps/APP/dynos/DYNO` for the API source, so it needs the credentials, and
// fails with the errors, the user already sees for that source (and the API one skips
// the CLI's ~1.5 s start-up and works without the CLI installed).
import type { execa as Execa } from 'execa';
import type { LogHandlers, LogStream, LogTarget, Operations } from '../ops/operations.js';
import { execFeatureArgv, logStreamWhenReady, logsArgv, OperationError, restartArgv } from '../ops/operations.js';
import type { ApiClient } from './api-client.js';
import { attemptedCommand, cliProblem, LOGIN_PROMPT } from './cli-output.js';
import { SourceError } from './errors.js';
import { forgetGroup, isTracked, killGroup, trackGroup } from './process-groups.js';

const RESTART_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 2_000;
const MAX_STDERR = 64 * 1024;

export interface HerokuOperationsOptions {
  bin: string;
  env: NodeJS.ProcessEnv;
  /** Set for the API source: restarts go through the Platform API. */
  api?: ApiClient | null;
}

/** A name the CLI would read as a flag is refused before anything runs. */
function checkNames(names: (string | null)[]): string | null {
  const bad = names.find((n) => n !== null && (n.startsWith('-') || /[\s\u0000-\u001f\u007f-\u009f]/.test(n)));
  return bad === undefined ? null : `refusing a name the heroku CLI would misread: ${JSON.stringify(bad)}`;
}

export class HerokuOperations implements Operations {
  readonly execEnabled?: (app: string) => Promise<boolean | null>;

  constructor(private readonly options: HerokuOperationsOptions) {
    // The API source lists the feature itself; the CLI's `apps --json` does not.
    if (!options.api) this.execEnabled = (app) => this.execFeature(app);
  }

  /** `heroku features:info runtime-heroku-exec -a APP --json`; null when it fails or says nothing clear. */
  private async execFeature(app: string): Promise<boolean | null> {
    if (checkNames([app]) !== null) return null;
    try {
      const stdout = await this.runCli(execFeatureArgv(app));
      const enabled = (JSON.parse(stdout) as { enabled?: unknown } | null)?.enabled;
      return typeof enabled === 'boolean' ? enabled : null;
    } catch {
      return null;
    }
  }

  /** The CLI runner (and execa) load with the first call, not at start-up. */
  private async runCli(argv: readonly string[], timeoutMs?: number): Promise<string> {
    const { runHeroku } = await import('./cli-runner.js');
    return runHeroku(argv, { bin: this.options.bin, env: this.options.env, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  }

  logsCommand(target: LogTarget): string {
    return attemptedCommand(logsArgv(target), this.options.bin);
  }

  openLogs(target: LogTarget, handlers: LogHandlers): LogStream {
    const attempted = this.logsCommand(target);
    const refused = checkNames([target.app, target.dyno]);
    if (refused !== null) {
      queueMicrotask(() => handlers.onEnd(refused));
      return { stop: async () => undefined };
    }
    // execa loads with the first logs asked for, not at start-up (the API source needs none of it).
    return logStreamWhenReady(
      import('execa'),
      ({ execa }) => this.spawnLogs(execa, target, handlers),
      (err) => handlers.onEnd(`${attempted}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private spawnLogs(execa: typeof Execa, target: LogTarget, handlers: LogHandlers): LogStream {
    const attempted = this.logsCommand(target);
    const env: NodeJS.ProcessEnv = { ...this.options.env };
    // The CLI colours log lines only on a terminal; its output comes through a pipe here.
    if (env['NO_COLOR'] === undefined) env['FORCE_COLOR'] = '3';
    const child = execa(this.options.bin, logsArgv(target), {
      stdin: 'ignore',
      buffer: false,
      env,
      extendEnv: false,
      detached: true,
      reject: false,
      encoding: 'utf8',
    });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    let stopped = false;
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      if (!stopped) handlers.onData(text);
    });
    child.stderr?.on('data', (text: string) => {
      if (stderr.length < MAX_STDERR) stderr += text;
    });
    const done = child.then((result) => {
      if (pid !== undefined) forgetGroup(pid);
      if (stopped) return;
      if (!result.failed) return handlers.onEnd(null);
      const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOENT' || code === 'EACCES') {
        return handlers.onEnd(`${attempted}: ${this.options.bin} cannot be run (install the Heroku CLI, or pass --heroku-bin PATH)`);
      }
      // Logged out, the CLI starts its browser login, which fails at once without a terminal on stdin.
      const problem = LOGIN_PROMPT.test(stderr)
        ? 'not logged in (run heroku login)'
        : cliProblem(stderr) || (result.signal ? `ended by ${result.signal}` : `exited with status ${result.exitCode}`);
      handlers.onEnd(`${attempted}: ${problem}`);
    });
    return {
      stop: async () => {
        if (stopped) return done;
        stopped = true;
        if (pid !== undefined && isTracked(pid)) {
          killGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
          timer.unref();
          await done;
          clearTimeout(timer);
          // Whatever the CLI left in its group goes with it.
          killGroup(pid, 'SIGKILL');
        }
        return done;
      },
    };
  }

  restartCommand(app: string, dyno: string): string {
    if (this.options.api) return `DELETE /apps/${encodeURIComponent(app)}/dynos/${encodeURIComponent(dyno)}`;
    return attemptedCommand(restartArgv(app, dyno), this.options.bin);
  }

  async restart(app: string, dyno: string): Promise<void> {
    const attempted = this.restartCommand(app, dyno);
    const refused = checkNames([app, dyno]);
    if (refused !== null) throw new OperationError(attempted, refused);
    try {
      if (this.options.api) {
        await this.options.api.send('DELETE', `/apps/${encodeURIComponent(app)}/dynos/${encodeURIComponent(dyno)}`);
      } else {
        await this.runCli(restartArgv(app, dyno), RESTART_TIMEOUT_MS);
      }
    } catch (err) {
      if (err instanceof SourceError) throw new OperationError(attempted, err.problem + (err.hint ? ` (${err.hint})` : ''));
      throw new OperationError(attempted, err instanceof Error ? err.message : String(err));
    }
  }
}
