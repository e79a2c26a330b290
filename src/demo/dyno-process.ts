// One demo dyno's process: spawned in its own process group, detached from
// dynotty's stdio, and the source of truth for the dyno's state.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { DynoState } from '../heroku/model.js';

/** How long a freshly spawned dyno reports `starting`. */
export const STARTING_MS = 1000;

export interface DynoExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms. */
  at: number;
}

export interface DynoProcessOptions {
  script: string;
  cwd: string;
  env: Record<string, string>;
  /** How long it reports `starting` (default STARTING_MS): its script's boot time. */
  startingMs?: number;
  /** Called once when the process ends (or fails to spawn), unless we stopped it. */
  onUnexpectedExit?: (exit: DynoExit) => void;
}

/** Signals a whole process group; false when it is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export class DynoProcess {
  readonly spawnedAt: number;
  private readonly startingMs: number;
  private readonly child: ChildProcess;
  private exitInfo: DynoExit | null = null;
  private stoppedByUs = false;
  private readonly exited: Promise<void>;

  constructor(opts: DynoProcessOptions) {
    this.spawnedAt = Date.now();
    this.startingMs = opts.startingMs ?? STARTING_MS;
    this.child = spawn('/bin/sh', ['-c', opts.script], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: 'ignore',
    });
    this.child.unref();
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal, at: Date.now() };
        if (!this.stoppedByUs) opts.onUnexpectedExit?.(this.exitInfo);
        resolve();
      };
      this.child.once('exit', done);
      // A spawn failure ('error' without 'exit') counts as a crash.
      this.child.once('error', () => done(127, null));
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get running(): boolean {
    return this.exitInfo === null && this.child.pid !== undefined;
  }

  get exit(): DynoExit | null {
    return this.exitInfo;
  }

  state(now: number = Date.now()): DynoState {
    const exit = this.exitInfo;
    if (exit) {
      if (this.stoppedByUs || exit.code === 0) return 'down';
      return 'crashed';
    }
    if (this.child.pid === undefined) return 'starting';
    return now - this.spawnedAt < this.startingMs ? 'starting' : 'up';
  }

  /** Signals the dyno's process group (no-op once it has exited: its pid may be reused). */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.running || this.child.pid === undefined) return;
    this.stoppedByUs = true;
    signalGroup(this.child.pid, signal);
  }

  /** Resolves true once the process has exited, false if `ms` passed first. */
  waitExit(ms: number): Promise<boolean> {
    if (this.exitInfo) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
