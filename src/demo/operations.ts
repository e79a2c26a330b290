// Logs and restarts on the demo fleet, named with the commands they stand for: the
// logs are the dyno processes' own log files, tailed; a restart really ends the
// dyno's process and starts a new one.
import { displayCommand } from '../heroku/argv.js';
import { LogColorizer } from '../logs/colorize.js';
import type { LogHandlers, LogStream, LogTarget, Operations } from '../ops/operations.js';
import { logStreamWhenReady, logsArgv, OperationError, restartArgv } from '../ops/operations.js';
import type { DemoFleet } from './fleet.js';
import { demoLogFiles, tailFiles } from './log-tail.js';

export interface DemoOperationsOptions {
  /** Colour the lines as the heroku CLI does on a terminal (off with NO_COLOR). */
  color?: boolean;
  pollMs?: number;
}

export class DemoOperations implements Operations {
  constructor(
    private readonly fleet: DemoFleet,
    private readonly options: DemoOperationsOptions = {},
  ) {}

  logsCommand(target: LogTarget): string {
    return displayCommand(logsArgv(target));
  }

  openLogs(target: LogTarget, handlers: LogHandlers): LogStream {
    // The fleet's folders are made after the picker's first frame: wait for them.
    return logStreamWhenReady(
      this.fleet.start(),
      () => this.tail(target, handlers),
      (err) => handlers.onEnd(`${this.logsCommand(target)}: the demo fleet did not start: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private tail(target: LogTarget, handlers: LogHandlers): LogStream {
    let dir: string;
    try {
      dir = this.fleet.logDir(target.app);
    } catch (err) {
      queueMicrotask(() => handlers.onEnd(`${this.logsCommand(target)}: ${err instanceof Error ? err.message : String(err)}`));
      return { stop: async () => undefined };
    }
    const colorizer = this.options.color === false ? null : new LogColorizer();
    return tailFiles(
      {
        files: demoLogFiles(dir, target.dyno),
        pollMs: this.options.pollMs,
        decorate: colorizer === null ? undefined : (line) => colorizer.line(line),
      },
      handlers,
    );
  }

  restartCommand(app: string, dyno: string): string {
    return displayCommand(restartArgv(app, dyno));
  }

  async restart(app: string, dyno: string): Promise<void> {
    try {
      await this.fleet.restartDyno(app, dyno);
    } catch (err) {
      throw new OperationError(this.restartCommand(app, dyno), err instanceof Error ? err.message : String(err));
    }
  }
}
