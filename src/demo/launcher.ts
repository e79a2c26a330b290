// Sessions on the demo fleet: a real local shell standing in for each Heroku
// access mode, with the semantics the comparison pane promises. `run` gets a
// throwaway copy of the app (config vars set, gone after); `exec` enters the live
// dyno's folder without config vars; `run-inside` (Fir) enters it with them.
// Whatever the real CLI would refuse is refused here too, with its words.
import { accessSync, constants } from 'node:fs';
import type { App, Dyno } from '../heroku/model.js';
import { isOneOff } from '../heroku/model.js';
import { argvFor, displayCommand } from '../heroku/argv.js';
import type { SessionLauncher, SessionRequest, SpawnSpec } from '../session/spec.js';
import { LaunchError } from '../session/spec.js';
import { sanitize } from '../text/sanitize.js';
import type { DemoFleet } from './fleet.js';
import { startFailure } from './source.js';

export const FIR_EXEC_REFUSAL = 'This command is unavailable for this app. Use heroku run:inside instead.';
export const SHIELD_EXEC_REFUSAL = 'This feature is restricted for Shield Private Spaces';
export const NOT_RUNNING_REFUSAL = "Could not connect to dyno!\nCheck if the dyno is running with `heroku ps'";

/** Heroku dynos' prompt: `~ $ ` in /app. `\w` keeps it true after a `cd`. */
const BASH_PROMPT = '\\w $ ';
const SH_PROMPT = '~ $ ';
const BASH_CANDIDATES = ['/bin/bash', '/usr/bin/bash'] as const;

export interface DemoShell {
  file: string;
  /** The interactive arguments. */
  args: string[];
  prompt: string;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** bash when one of the candidates is executable, else /bin/sh. */
export function findShell(candidates: readonly string[] = BASH_CANDIDATES): DemoShell {
  const bash = candidates.find(isExecutable);
  if (bash !== undefined) return { file: bash, args: ['--noprofile', '--norc', '-i'], prompt: BASH_PROMPT };
  return { file: '/bin/sh', args: ['-i'], prompt: SH_PROMPT };
}

interface Place {
  cwd: string;
  env: Record<string, string>;
  dynoName: string;
  dispose(): Promise<void>;
}

const noop = (): Promise<void> => Promise.resolve();
/** How long the demo waits for the exec target to come back up after enabling exec. */
const ENABLE_WAIT_MS = 15_000;

export class DemoLauncher implements SessionLauncher {
  private shell: DemoShell | null = null;

  constructor(
    private readonly fleet: DemoFleet,
    private readonly shellCandidates: readonly string[] = BASH_CANDIDATES,
  ) {}

  async prepare(request: SessionRequest): Promise<SpawnSpec> {
    const { mode, app: appName } = request;
    // The picker may be up before the fleet's folders and processes are (see DemoFleet.define).
    await this.fleet.start().catch((err: unknown) => {
      throw new LaunchError(startFailure(err).message);
    });
    const snapshot = this.fleet.snapshot();
    const app = snapshot.apps.find((a) => a.name === appName);
    if (app === undefined) throw new LaunchError(`Couldn't find that app: ${sanitize(appName)}`);

    if (request.enableExec && mode === 'exec' && app.execEnabled === false) {
      await this.enableExec(appName, request.dyno);
    }
    let place: Place;
    if (mode === 'run') {
      place = await this.runPlace(appName);
    } else {
      const dyno = this.checkLiveDyno(mode, app, snapshot.dynos[appName] ?? [], request.dyno);
      place = this.livePlace(appName, dyno.name, mode === 'run-inside');
    }

    const argv = argvFor(mode, appName, mode === 'run' ? null : place.dynoName);
    // Unreachable: checkLiveDyno has made sure there is a dyno for exec and run:inside.
    if (argv === null) throw new LaunchError('No dyno selected.');
    this.shell ??= findShell(this.shellCandidates);
    const shell = this.shell;
    return {
      file: shell.file,
      args: [...shell.args],
      cwd: place.cwd,
      env: { ...place.env, PS1: shell.prompt, SHELL: shell.file, PWD: place.cwd },
      title: displayCommand(argv),
      dynoName: place.dynoName,
      dispose: place.dispose,
    };
  }

  /**
   * What a first `heroku ps:exec` does after its yes: the feature on, every dyno of the
   * app restarted, then it waits for the target dyno to be up (and gives up if it crashes).
   */
  private async enableExec(appName: string, dynoName: string | null): Promise<void> {
    await this.fleet.enableExec(appName);
    const target = dynoName ?? 'web.1';
    const deadline = Date.now() + ENABLE_WAIT_MS;
    for (;;) {
      const state = this.fleet.snapshot().dynos[appName]?.find((d) => d.name === target)?.state;
      if (state === 'up' || state === undefined) return;
      if (state === 'crashed') throw new LaunchError(`Exec is now enabled on ${sanitize(appName)}, but ${sanitize(target)} crashed after the restart.`);
      if (Date.now() > deadline) throw new LaunchError(`Exec is now enabled on ${sanitize(appName)}, but ${sanitize(target)} is still ${sanitize(String(state))}.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async runPlace(appName: string): Promise<Place> {
    try {
      const run = await this.fleet.makeRunDir(appName);
      return { cwd: run.dir, env: run.env, dynoName: run.dynoName, dispose: run.dispose };
    } catch (err) {
      throw new LaunchError(`Could not start a one-off dyno: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private livePlace(appName: string, dynoName: string, withConfigVars: boolean): Place {
    try {
      return {
        cwd: this.fleet.dynoDir(appName, dynoName),
        env: this.fleet.dynoEnv(appName, dynoName, { withConfigVars }),
        dynoName,
        dispose: noop,
      };
    } catch {
      // A one-off made by `run` is listed but has no folder the demo can enter.
      throw new LaunchError(`The demo cannot enter ${sanitize(dynoName)} on ${sanitize(appName)}; pick a formation dyno.`);
    }
  }

  /** The target dyno of exec or run:inside, or the refusal the real CLI would give. */
  private checkLiveDyno(mode: 'exec' | 'run-inside', app: App, dynos: readonly Dyno[], dynoName: string | null): Dyno {
    if (mode === 'exec') {
      if (app.generation === 'fir') throw new LaunchError(FIR_EXEC_REFUSAL);
      if (app.space?.shield === true) throw new LaunchError(SHIELD_EXEC_REFUSAL);
    } else if (app.generation !== 'fir') {
      throw new LaunchError(
        `heroku run:inside is only for Fir apps; ${sanitize(app.name)} is a Cedar app. Use heroku ps:exec instead.`,
      );
    }
    if (dynoName === null) throw new LaunchError('No dyno selected: choose the dyno to enter.');
    const dyno = dynos.find((d) => d.name === dynoName);
    if (dyno === undefined) {
      throw new LaunchError(`Couldn't find dyno ${sanitize(dynoName)} on ${sanitize(app.name)}.`);
    }
    if (mode === 'exec' && isOneOff(dyno)) {
      throw new LaunchError(`${sanitize(dyno.name)} is a one-off dyno: heroku ps:exec only reaches formation dynos.`);
    }
    // A starting demo dyno's process already runs (the rules call it a caution, not a refusal).
    if (dyno.state !== 'up' && dyno.state !== 'starting') {
      throw new LaunchError(`${NOT_RUNNING_REFUSAL}\n(${sanitize(dyno.name)} is ${sanitize(String(dyno.state))})`);
    }
    return dyno;
  }
}
