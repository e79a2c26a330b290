import type { ArgvOptions } from './argv.js';
import { argvFor, displayCommand } from './argv.js';
import { resolveExecutable } from '../session/executable.js';
import { LaunchError, type SessionLauncher, type SessionRequest, type SpawnSpec } from '../session/spec.js';

export interface HerokuLauncherOptions {
  /** The `heroku` binary: from PATH or `--heroku-bin`. */
  bin: string;
  /** The child's environment: the user's own, so the CLI finds its credentials as it always does. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `--size` for runs, `--ssh` for exec. */
  argv: ArgvOptions;
}

/**
 * Sessions on real dynos: the `heroku` CLI's own argv. The token never goes on an argv;
 * the CLI reads it from HEROKU_API_KEY or its credential store, as it always does.
 */
export class HerokuLauncher implements SessionLauncher {
  constructor(private readonly options: HerokuLauncherOptions) {}

  async prepare(request: SessionRequest): Promise<SpawnSpec> {
    const argv = argvFor(request.mode, request.app, request.dyno, this.options.argv);
    if (argv === null) throw new LaunchError('Select a dyno first: this mode enters an existing dyno.');
    // A name that starts with '-' would be read by the CLI as a flag.
    if (argv.some((arg, i) => i > 0 && arg.startsWith('-') && !isOurFlag(arg))) {
      throw new LaunchError(`Refusing a name that looks like a flag: ${JSON.stringify(request.dyno ?? request.app)}`);
    }
    if (resolveExecutable(this.options.bin, this.options.env['PATH']) === null) {
      throw new LaunchError(
        `Sessions run through the heroku CLI, and ${this.options.bin} cannot be run: install the Heroku CLI, or pass --heroku-bin PATH.`,
      );
    }
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.options.env)) if (value !== undefined) env[key] = value;
    return {
      file: this.options.bin,
      args: argv,
      cwd: this.options.cwd,
      env,
      title: displayCommand(argv),
      dynoName: request.mode === 'run' ? null : request.dyno,
      dispose: async () => undefined,
      // ps:exec asks again in the terminal; the user has said yes in dynotty already.
      ...(request.enableExec && request.mode === 'exec' ? { autoAnswer: { prompt: EXEC_ENABLE_PROMPT, reply: 'y\r' } } : {}),
    };
  }
}

/** What `heroku ps:exec` asks (inquirer) when runtime-heroku-exec is off for the app. */
export const EXEC_ENABLE_PROMPT = 'Do you want to continue? [y/n]';

const OUR_FLAGS = new Set(['-a', '--dyno', '--size', '--ssh', '-x']);

function isOurFlag(arg: string): boolean {
  return OUR_FLAGS.has(arg);
}
