import { rm } from 'node:fs/promises';
import type { AccessModeId } from '../access/model.js';
import type { SessionHandle, SessionRunner, SessionStartOptions } from '../store/sessions.js';
import { AsciicastRecorder, recordingStem } from './recorder.js';
import { LaunchError, type SpawnSpec } from './spec.js';

export interface PtyRunnerOptions {
  /** `--record DIR`: each session as an asciicast v2 file there. */
  recordDir: string | null;
}

/** Starts sessions in real pseudo-terminals, each recorded when asked. */
export class PtyRunner implements SessionRunner {
  constructor(private readonly options: PtyRunnerOptions) {}

  async start(spec: SpawnSpec, opts: SessionStartOptions, meta: { app: string; dyno: string | null; mode: AccessModeId }): Promise<SessionHandle> {
    // node-pty and @xterm/headless load with the first session, not with the picker's first frame.
    const { PtySession, SESSION_TERM } = await import('./pty-session.js');
    const recorder = await this.recorderFor(spec, opts, meta, SESSION_TERM);
    try {
      return PtySession.start(spec, { ...opts, recorder });
    } catch (err) {
      // Nothing ran: leave no header-only recording behind.
      if (recorder !== null) {
        await recorder.close();
        await rm(recorder.path, { force: true });
      }
      throw err;
    }
  }

  private async recorderFor(spec: SpawnSpec, opts: SessionStartOptions, meta: { app: string; dyno: string | null; mode: AccessModeId }, term: string) {
    const dir = this.options.recordDir;
    if (dir === null) return null;
    const stem = recordingStem(new Date(), meta.app, spec.dynoName ?? meta.dyno, meta.mode);
    // Two sessions on the same dyno in the same second: number the second file rather than refuse it.
    for (let n = 1; n <= 50; n++) {
      try {
        return await AsciicastRecorder.create(dir, {
          width: opts.cols,
          height: opts.rows,
          command: spec.title,
          env: { TERM: term, SHELL: spec.env['SHELL'] },
          fileStem: n === 1 ? stem : `${stem}-${n}`,
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LaunchError(`cannot record to ${dir}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    throw new LaunchError(`cannot record to ${dir}: too many recordings named ${stem}`);
  }
}
