// `dynotty ls [-a APP] [--json]`: the fleet printed once; needs no terminal.
import { protectMatcher } from '../access/protect.js';
import type { RunOptions } from '../args.js';
import type { Backend } from '../backend.js';
import { sanitize } from '../text/sanitize.js';
import { fleetReport, reportJson, reportTable } from './fleet-report.js';
import { CommandError, openFleet } from './open-fleet.js';

export interface LsIo {
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Prints the fleet; resolves with the exit status. Throws CommandError for a one-line failure. */
export async function runLs(options: RunOptions, json: boolean, io: LsIo = { stdout: process.stdout, env: process.env }): Promise<number> {
  // Interrupted (Ctrl-C while the demo fleet settles): its processes stop before dynotty goes.
  let opened: Backend | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    opened?.source.closeSync?.();
    process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 15));
  };
  for (const signal of Object.keys(SIGNAL_NUMBERS)) process.on(signal, onSignal);
  try {
    return await list(options, json, io, (b) => (opened = b));
  } finally {
    for (const signal of Object.keys(SIGNAL_NUMBERS)) process.off(signal, onSignal);
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

async function list(options: RunOptions, json: boolean, io: LsIo, onBackend: (backend: Backend) => void): Promise<number> {
  const { backend, fleet } = await openFleet(options, { onBackend });
  try {
    let shown = fleet;
    if (options.app !== null) {
      const app = fleet.apps.find((a) => a.name === options.app);
      if (app === undefined) {
        throw new CommandError(`no app ${sanitize(options.app)} in this fleet (${backend.source.label}): see dynotty ls`, 2);
      }
      shown = { ...fleet, apps: [app], dynos: { [app.name]: fleet.dynos[app.name] ?? [] }, appErrors: pick(fleet.appErrors, app.name) };
    }
    const report = fleetReport(shown, {
      source: backend.source.kind,
      isProtected: protectMatcher(options.protect),
      argv: { ...(options.size ? { size: options.size } : {}), ssh: backend.ssh },
    });
    const tty = io.stdout.isTTY === true;
    const text = json ? reportJson(report) : reportTable(report, { color: tty && !io.env['NO_COLOR'], width: tty ? io.stdout.columns : null });
    await new Promise<void>((resolve, reject) => io.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    return 0;
  } finally {
    await backend.source.close();
  }
}

function pick(errors: Record<string, string>, name: string): Record<string, string> {
  const error = errors[name];
  return error === undefined ? {} : { [name]: error };
}
