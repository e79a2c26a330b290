// What dynotty does to a dyno besides opening a shell: stream its logs, restart it.
// One implementation per source family: the heroku CLI / Platform API, and the demo fleet.

/** Whose logs: one dyno, or the whole app (dyno null). */
export interface LogTarget {
  app: string;
  dyno: string | null;
}

export interface LogHandlers {
  /** Output as it comes (untrusted: the logs view sanitises it). */
  onData(text: string): void;
  /** The stream ended by itself: `problem` says why when it failed (command and stderr). */
  onEnd(problem: string | null): void;
}

export interface LogStream {
  /** Ends the stream and whatever produces it (the process group); resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * A log stream whose producer needs something first (the demo fleet's folders, the CLI's
 * modules): opened once `ready` resolves, unless stopped before; `failed` when it rejects.
 */
export function logStreamWhenReady<T>(ready: Promise<T>, open: (value: T) => LogStream, failed: (err: unknown) => void): LogStream {
  let stream: LogStream | null = null;
  let stopped = false;
  const started = ready.then(
    (value) => {
      if (!stopped) stream = open(value);
    },
    (err: unknown) => {
      if (!stopped) failed(err);
    },
  );
  return {
    stop: async () => {
      stopped = true;
      await started;
      await stream?.stop();
    },
  };
}

export interface Operations {
  /** The command line the logs come from, as the user would type it. */
  logsCommand(target: LogTarget): string;
  /** Starts streaming; problems starting are reported through onEnd, never thrown. */
  openLogs(target: LogTarget, handlers: LogHandlers): LogStream;
  /** The command (or API request) a restart runs, for the confirmation and errors. */
  restartCommand(app: string, dyno: string): string;
  /** Restarts one dyno; rejects with an OperationError. */
  restart(app: string, dyno: string): Promise<void>;
  /**
   * Whether `runtime-heroku-exec` is on, for sources whose listing cannot tell (the CLI's):
   * null when it cannot be found out. Absent when the listing always tells.
   */
  execEnabled?(app: string): Promise<boolean | null>;
}

/** A failed operation, for the notice: what was run, and what it said. */
export class OperationError extends Error {
  override name = 'OperationError';
  constructor(
    readonly attempted: string,
    readonly problem: string,
  ) {
    super(`${attempted}: ${problem}`);
  }
}

export function logsArgv(target: LogTarget): string[] {
  const argv = ['logs', '--tail', '-a', target.app];
  if (target.dyno !== null) argv.push('--dyno-name', target.dyno);
  return argv;
}

export function execFeatureArgv(app: string): string[] {
  return ['features:info', 'runtime-heroku-exec', '-a', app, '--json'];
}

export function restartArgv(app: string, dyno: string): string[] {
  return ['ps:restart', '-a', app, '--dyno-name', dyno];
}
