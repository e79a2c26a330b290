import xterm from '@xterm/headless';
import { closeSync, constants, openSync } from 'node:fs';
import * as pty from 'node-pty';
import { resolveExecutable } from './executable.js';
import { snapshotScreen, type ScreenFrame } from './screen.js';
import { LaunchError, type SpawnSpec } from './spec.js';
import { endSession, endSessionsNow } from './terminal-session.js';

const { Terminal } = xterm;

export const SESSION_TERM = 'xterm-256color';
/** Bounded, so a session streaming for hours keeps a bounded memory. */
const SCROLLBACK_LINES = 1000;
const DEFAULT_FRAME_MS = 33;
const KILL_GRACE_MS = 1000;

/** Terminal sessions started here whose leftovers were not ended yet (see endAllSessionsNow). */
const startedSessions = new Set<number>();

/** An internal error is ending dynotty: every session's processes, at once, synchronously. */
export function endAllSessionsNow(): void {
  endSessionsNow(startedSessions);
}

export interface SessionExit {
  exitCode: number;
  /** The signal number that ended the child, or null. */
  signal: number | null;
  durationMs: number;
}

/** Where a session's output is also written (asciicast). */
export interface SessionRecorder {
  output(data: string): void;
  resize(cols: number, rows: number): void;
  close(): Promise<void>;
}

export interface PtySessionOptions {
  cols: number;
  rows: number;
  onFrame: (frame: ScreenFrame) => void;
  onExit: (exit: SessionExit) => void;
  frameIntervalMs?: number;
  recorder?: SessionRecorder | null;
  now?: () => number;
}

/** The terminal modes the child set that the outer terminal must mirror for keys to arrive right. */
export interface InputModes {
  applicationCursorKeys: boolean;
  bracketedPaste: boolean;
}

/**
 * One child in a pseudo-terminal, its screen kept by a VT emulator. Output is parsed
 * as it comes; frames (viewport snapshots) are taken at most once per frame interval
 * and only while the session is visible.
 */
export class PtySession {
  readonly startedAt: number;
  exit: SessionExit | null = null;
  private readonly term: InstanceType<typeof Terminal>;
  private readonly proc: pty.IPty;
  private readonly now: () => number;
  private readonly frameMs: number;
  private frameTimer: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  private visible = false;
  private passthrough: ((data: string) => void) | null = null;
  private readonly exited: Promise<void>;
  private disposed = false;
  /** Our own handle on the pty's other end: see holdSlave(). */
  private slaveFd: number | null = null;

  private constructor(
    private readonly spec: SpawnSpec,
    private readonly opts: PtySessionOptions,
    file: string,
  ) {
    this.now = opts.now ?? Date.now;
    this.frameMs = opts.frameIntervalMs ?? DEFAULT_FRAME_MS;
    this.term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: SCROLLBACK_LINES, allowProposedApi: true });
    this.startedAt = this.now();
    try {
      this.proc = pty.spawn(file, spec.args, {
        name: SESSION_TERM,
        cols: opts.cols,
        rows: opts.rows,
        cwd: spec.cwd,
        env: { ...spec.env, TERM: SESSION_TERM },
      });
    } catch (err) {
      this.term.dispose();
      throw new LaunchError(`could not start ${spec.title}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.slaveFd = holdSlave(this.proc);
    startedSessions.add(this.proc.pid);
    // Subscribed at once: onExit is not replayed to late listeners.
    this.exited = new Promise((resolve) => {
      this.proc.onExit(({ exitCode, signal }) => {
        const finish = (): void => {
          this.releaseSlave();
          this.exit = { exitCode, signal: signal ? signal : null, durationMs: this.now() - this.startedAt };
          this.flushFrame();
          void this.opts.recorder?.close();
          // "Gone on exit": a one-off's throwaway folder goes now, not when the banner is dismissed.
          void this.spec.dispose();
          this.opts.onExit(this.exit);
          resolve();
        };
        // node-pty reports exit once the pty is drained; let the emulator finish parsing too.
        if (this.disposed) finish();
        else this.term.write('', finish);
      });
    });
    this.proc.onData((data) => {
      this.passthrough?.(data);
      this.opts.recorder?.output(data);
      this.term.write(data, () => this.scheduleFrame());
    });
    // Replies to the child's queries (cursor position, device attributes): unanswered, vim and fish stall.
    this.term.onData((reply) => this.write(reply));
  }

  /** Starts the child; throws LaunchError (a message for the user) when it cannot be started. */
  static start(spec: SpawnSpec, opts: PtySessionOptions): PtySession {
    const file = resolveExecutable(spec.file, spec.env['PATH'] ?? process.env['PATH']);
    if (file === null) {
      throw new LaunchError(
        spec.file.includes('/') ? `${spec.file} does not exist or is not executable` : `${spec.file} was not found on PATH`,
      );
    }
    return new PtySession(spec, opts, file);
  }

  get pid(): number {
    return this.proc.pid;
  }

  get title(): string {
    return this.spec.title;
  }

  get live(): boolean {
    return this.exit === null;
  }

  write(data: string): void {
    if (this.exit !== null || this.disposed) return;
    try {
      this.proc.write(data);
    } catch {
      // The child went away between the check and the write: its exit is on its way.
    }
  }

  resize(cols: number, rows: number): void {
    if (cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
    this.opts.recorder?.resize(cols, rows);
    if (this.exit === null) {
      try {
        this.proc.resize(cols, rows);
      } catch {
        // ESRCH/EBADF from a pty that just exited: nothing to resize.
      }
    }
    this.scheduleFrame();
  }

  /** Visible sessions produce frames; hidden ones only parse. Becoming visible draws at once. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.flushFrame();
  }

  /** Resolves once the emulator has parsed all output delivered so far. */
  drain(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    return new Promise((resolve) => this.term.write('', resolve));
  }

  /** Full-screen hand-off: every byte of output also goes straight to `writer`. */
  setPassthrough(writer: ((data: string) => void) | null): void {
    this.passthrough = writer;
  }

  snapshot(): ScreenFrame {
    return snapshotScreen(this.term);
  }

  inputModes(): InputModes {
    const modes = this.term.modes;
    return { applicationCursorKeys: modes.applicationCursorKeysMode, bracketedPaste: modes.bracketedPasteMode };
  }

  /** SIGHUP to the child's process group, SIGKILL after a grace; resolves when it is gone. */
  async kill(graceMs = KILL_GRACE_MS): Promise<void> {
    if (this.exit === null) {
      this.signalGroup('SIGHUP');
      const gone = await Promise.race([this.exited.then(() => true), delay(graceMs).then(() => false)]);
      if (!gone) {
        this.signalGroup('SIGKILL');
        await Promise.race([this.exited, delay(graceMs)]);
      }
    }
    // Jobs the child started in groups of their own can outlive it (one that ignores SIGHUP does).
    await endSession(this.proc.pid, graceMs);
    startedSessions.delete(this.proc.pid);
    this.dispose();
  }

  /** Releases the emulator, the pty and what the spec made (a one-off's folder). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // A session dismissed after its child exited: whatever it left running goes too.
    if (startedSessions.delete(this.proc.pid)) void endSession(this.proc.pid, KILL_GRACE_MS);
    if (this.frameTimer !== null) clearTimeout(this.frameTimer);
    this.frameTimer = null;
    this.releaseSlave();
    (this.proc as pty.IPty & { destroy?: () => void }).destroy?.();
    this.term.dispose();
    void this.opts.recorder?.close();
    void this.spec.dispose();
  }

  private releaseSlave(): void {
    if (this.slaveFd === null) return;
    try {
      closeSync(this.slaveFd);
    } catch {
      // Already closed.
    }
    this.slaveFd = null;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      // node-pty makes the child a session leader: its pid is its process group.
      process.kill(-this.proc.pid, signal);
    } catch {
      try {
        process.kill(this.proc.pid, signal);
      } catch {
        // Already gone.
      }
    }
  }

  private scheduleFrame(): void {
    if (!this.visible || this.frameTimer !== null || this.disposed) return;
    const wait = Math.max(0, this.lastFrameAt + this.frameMs - this.now());
    this.frameTimer = setTimeout(() => {
      this.frameTimer = null;
      this.flushFrame();
    }, wait);
  }

  private flushFrame(): void {
    if (!this.visible || this.disposed) return;
    this.lastFrameAt = this.now();
    this.opts.onFrame(this.snapshot());
  }
}

/**
 * On Linux the pty master reports EIO as soon as the child's last fd on the slave closes,
 * and what the child printed just before exiting can be discarded unread (node-pty #72,
 * #85, #726). Holding the slave open ourselves keeps those bytes readable until node-pty
 * has reported the exit; opened close-on-exec (Node's default), so no child inherits it.
 */
export function holdSlave(proc: pty.IPty): number | null {
  const name = (proc as pty.IPty & { ptsName?: string }).ptsName;
  if (!name) return null;
  try {
    return openSync(name, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    return null;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
