// `dynotty --app APP [--dyno NAME] --mode run|exec`: one session, no picker. The fleet is
// listed once to check the target against the same rules the picker applies; then the
// child gets the terminal byte for byte (like `heroku run` itself), and dynotty exits
// with the child's status. The terminal is restored and the child's process group ended
// on every path: the child's exit, a signal, an internal error.
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AccessModeId } from '../access/model.js';
import { MODES } from '../access/modes.js';
import { isProtectedApp, protectMatcher, protectionReason } from '../access/protect.js';
import { availability } from '../access/rules.js';
import type { RunOptions, SessionTarget } from '../args.js';
import type { Backend } from '../backend.js';
import type { App, Dyno } from '../heroku/model.js';
import type { SessionExit } from '../session/pty-session.js';
import { PtyRunner } from '../session/runner.js';
import { LaunchError } from '../session/spec.js';
import type { SessionHandle } from '../store/sessions.js';
import { RESET_CHILD_MODES, SHOW_CURSOR } from '../terminal.js';
import { setOutputProcessing } from '../tty-output.js';
import { sanitize } from '../text/sanitize.js';
import { CommandError, openFleet } from './open-fleet.js';

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type ForwardedSignal = keyof typeof SIGNALS;
/** How long the child has to end after a forwarded signal before it is killed. */
const SIGNAL_GRACE_MS = 2000;

export interface SessionIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** What the rules say about the target: the mode to open, or why not (a CommandError). */
export function checkTarget(
  target: SessionTarget,
  fleet: { apps: App[]; dynos: Record<string, Dyno[]>; appErrors: Record<string, string> },
  sourceLabel: string,
): { app: App; dyno: Dyno | null; mode: AccessModeId } {
  const app = fleet.apps.find((a) => a.name === target.app);
  if (app === undefined) throw new CommandError(`no app ${target.app} in this fleet (${sourceLabel}): see dynotty ls`, 2);
  const listError = fleet.appErrors[app.name];
  if (listError !== undefined) throw new CommandError(`could not list the dynos of ${target.app}: ${sanitize(listError)}`, 1);
  const dynos = fleet.dynos[app.name] ?? [];
  const dyno = target.dyno === null ? null : (dynos.find((d) => d.name === target.dyno) ?? null);
  if (target.dyno !== null && dyno === null) {
    const names = dynos.map((d) => sanitize(d.name)).slice(0, 8);
    throw new CommandError(`no dyno ${target.dyno} on ${target.app} (${names.length > 0 ? `it has ${names.join(', ')}` : 'it has no dynos'})`, 2);
  }
  const mode: AccessModeId = target.mode === 'run' ? 'run' : app.generation === 'fir' ? 'run-inside' : 'exec';
  const verdict = availability(mode, { app, dyno });
  const where = `${target.app}${dyno === null || mode === 'run' ? '' : ` ${target.dyno}`}`;
  if (verdict.verdict === 'unavailable') throw new CommandError(`${MODES[mode].title} is not available for ${where}: ${verdict.reason}`, 1);
  // The picker can ask first; a script must not restart every dyno of an app as a side effect.
  if (mode === 'exec' && app.execEnabled === false) {
    throw new CommandError(
      `${MODES[mode].title} is not enabled on ${target.app}: its first use restarts every dyno of the app. Enable it knowingly (heroku ps:exec -a ${target.app}, or x in dynotty), then run this again`,
      1,
    );
  }
  return { app, dyno, mode };
}

/** The production guard on a terminal: the app's name typed exactly, or no session. */
async function confirmProtected(app: App, isProtected: (name: string) => boolean, dyno: string | null, io: SessionIo, signal: AbortSignal): Promise<void> {
  const reason = protectionReason(app, isProtected);
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  // A signal while the question waits: no answer, and stdin let go so dynotty can exit.
  const onAbort = (): void => rl.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = await new Promise<string | null>((resolve) => {
      let answered = false;
      rl.once('close', () => {
        // Ctrl-C or Ctrl-D at the question: what is printed next starts on its own line.
        if (!answered) io.stderr.write('\n');
        resolve(null);
      });
      rl.once('SIGINT', () => rl.close());
      rl.question(
        `${sanitize(app.name)} is protected (${reason}). This opens a shell on the live dyno ${sanitize(dyno ?? '')}.\nType the app's name to go on: `,
        (line) => {
          answered = true;
          resolve(line);
        },
      );
    });
    if (answer === null) throw new CommandError(`not confirmed: ${app.name} is protected and its name was not typed`, 1);
    if (answer.trim() !== app.name) throw new CommandError(`not confirmed: "${sanitize(answer.trim())}" is not ${app.name}`, 1);
  } finally {
    signal.removeEventListener('abort', onAbort);
    rl.close();
  }
}

function writeNow(fd: number, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // The terminal is gone: nothing to restore on it.
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Opens the session and resolves with the exit status to leave with. Throws CommandError for a one-line refusal. */
export async function runSession(options: RunOptions, target: SessionTarget, io: SessionIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let backend: Backend | null = null;
  let handle: SessionHandle | null = null;
  let raw = false;
  let outputRaw = false;
  const outFd = (io.stdout as { fd?: number }).fd ?? 1;
  let stoppedBy: ForwardedSignal | null = null;
  let stopWaiting: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopWaiting = resolve));
  const listing = new AbortController();

  const restoreTerminal = (): void => {
    if (!raw) return;
    raw = false;
    if (outputRaw) setOutputProcessing(outFd, true);
    outputRaw = false;
    try {
      io.stdin.setRawMode(false);
    } catch {
      // stdin already closed.
    }
    writeNow(outFd, RESET_CHILD_MODES + SHOW_CURSOR);
  };
  const onExitNow = (): void => {
    restoreTerminal();
    if (handle !== null) signalGroup(handle.pid, 'SIGKILL');
    backend?.source.closeSync?.();
  };
  const onSignal = (signal: ForwardedSignal): void => {
    if (stoppedBy !== null) return;
    stoppedBy = signal;
    listing.abort();
    // The child gets the same signal; it has a grace to end before it is killed.
    if (handle !== null) signalGroup(handle.pid, signal);
    stopWaiting();
  };
  const onFatal = (err: unknown): void => {
    onExitNow();
    writeNow(2, `dynotty: internal error: ${sanitize(err instanceof Error ? err.message : String(err))}\n`);
    process.exit(1);
  };
  const handlers = Object.fromEntries(Object.keys(SIGNALS).map((s) => [s, () => onSignal(s as ForwardedSignal)])) as Record<ForwardedSignal, () => void>;
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  process.on('exit', onExitNow);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);

  try {
    const opened = openFleet(options, { exitCode: true, signal: listing.signal });
    const first = await Promise.race([opened, stopped.then(() => null)]);
    if (first === null) {
      // Stopped while listing: whatever started (the demo fleet) is closed when the listing ends.
      void opened.then(({ backend: b }) => b.source.close(), () => undefined);
      return 128 + SIGNALS[stoppedBy ?? 'SIGTERM'];
    }
    backend = first.backend;
    const { app, dyno, mode } = checkTarget(target, first.fleet, backend.source.label);
    const isProtected = protectMatcher(options.protect);
    if (mode !== 'run' && isProtectedApp(app, isProtected)) {
      try {
        await confirmProtected(app, isProtected, dyno?.name ?? null, io, listing.signal);
      } catch (err) {
        if (stoppedBy === null) throw err;
      }
    }
    if (stoppedBy !== null) return 128 + SIGNALS[stoppedBy];

    let spec;
    try {
      spec = await backend.launcher.prepare({ mode, app: app.name, dyno: dyno?.name ?? null });
    } catch (err) {
      throw new CommandError(err instanceof LaunchError ? sanitize(err.message) : `could not start the session: ${sanitize(String(err))}`, 1);
    }
    let exit: SessionExit | null = null;
    let exited: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (exited = resolve));
    const runner = new PtyRunner({ recordDir: options.record });
    try {
      handle = await runner.start(
        spec,
        {
          cols: io.stdout.columns || 80,
          rows: io.stdout.rows || 24,
          onFrame: () => undefined,
          onExit: (e) => {
            exit = e;
            exited();
          },
        },
        { app: app.name, dyno: dyno?.name ?? null, mode },
      );
    } catch (err) {
      await spec.dispose();
      throw new CommandError(err instanceof LaunchError ? sanitize(err.message) : `could not start ${spec.title}: ${sanitize(String(err))}`, 1);
    }
    const child = handle;
    // Set before this turn ends: no chunk of output can come before the passthrough.
    child.setPassthrough((data) => io.stdout.write(data));
    const onKeys = (chunk: Buffer | string): void => child.write(chunk.toString());
    const onResize = (): void => child.resize(io.stdout.columns, io.stdout.rows);
    // The terminal closing under us is a hang-up.
    const onEnd = (): void => onSignal('SIGHUP');
    io.stdin.setRawMode(true);
    raw = true;
    // The child's pty has processed its output already (see setOutputProcessing).
    if (io.stdout.isTTY === true) outputRaw = setOutputProcessing(outFd, false);
    io.stdin.on('data', onKeys);
    io.stdin.on('end', onEnd);
    io.stdout.on('resize', onResize);
    io.stdin.resume();
    if (stoppedBy !== null) signalGroup(child.pid, stoppedBy);
    try {
      await Promise.race([ended, stopped]);
      if (exit === null) {
        // A signal: give the child its grace, then SIGHUP and SIGKILL its whole group.
        await Promise.race([ended, new Promise((r) => setTimeout(r, SIGNAL_GRACE_MS).unref())]);
        await child.kill();
      }
    } finally {
      io.stdin.off('data', onKeys);
      io.stdin.off('end', onEnd);
      io.stdout.off('resize', onResize);
      io.stdin.pause();
      child.setPassthrough(null);
      restoreTerminal();
      child.dispose();
    }
    if (stoppedBy !== null) return 128 + SIGNALS[stoppedBy];
    const status = exit as SessionExit | null;
    if (status === null) return 1;
    return status.signal !== null ? 128 + status.signal : status.exitCode;
  } finally {
    restoreTerminal();
    await backend?.source.close();
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
    process.off('exit', onExitNow);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  }
}
