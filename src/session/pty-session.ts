import xterm from '@xterm/headless';
import { closeSync, constants, openSync } from 'node:fs';
import * as pty from 'node-pty';
import { resolveExecutable } from './executable.js';
import { emulatorAllowsSkip, fastForward, fastForwardChunks } from './fast-forward.js';
import { writeToPtyNow } from './pty-write.js';
import { ScreenReader, type ScreenFrame } from './screen.js';
import { LaunchError, type SpawnSpec } from './spec.js';
import { endSession, startedSessions } from './terminal-session.js';

const { Terminal } = xterm;

export const SESSION_TERM = 'xterm-256color';
/**
 * None: nothing shows a session's scrollback (the pane draws the screen), and floods leave
 * the scrolled-off part unparsed (fast-forward.ts), so it would not be faithful anyway.
 */
const SCROLLBACK_LINES = 0;
const DEFAULT_FRAME_MS = 33;
const KILL_GRACE_MS = 1000;
/**
 * Output read but not parsed yet beyond this pauses the pty (the child's writes block), so
 * a flood the emulator cannot keep up with costs no more memory than this. Small enough
 * that the backlog is parsed well within the 200 ms node-pty waits after the child's exit
 * before it stops reading.
 */
const PAUSE_ABOVE_CHARS = 2_000_000;
const RESUME_BELOW_CHARS = 250_000;
/** Parsed in batches of at most this: a key typed during a flood still gets its turn. */
const MAX_BATCH_CHARS = 1_000_000;
/** During a full-screen hand-off nothing draws from the emulator: parse later, in bigger batches. */
const HANDOFF_BATCH_CHARS = 256_000;
const HANDOFF_IDLE_MS = 50;
/** Input up to this size (keys, short pastes) is written to the pty at once, see writeToPtyNow(). */
const DIRECT_WRITE_MAX = 4096;

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
 * in batches (what arrived while the last batch was parsed), the part of a flood that
 * scrolls off unseen left out; frames (viewport snapshots) are taken only while the
 * session is visible: at once after a key or a quiet spell, else once per frame interval.
 */
export class PtySession {
  readonly startedAt: number;
  exit: SessionExit | null = null;
  private readonly term: InstanceType<typeof Terminal>;
  private readonly screen = new ScreenReader();
  private readonly proc: pty.IPty;
  private readonly now: () => number;
  private readonly frameMs: number;
  private frameTimer: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  private visible = false;
  private passthrough: ((data: string) => void) | null = null;
  /** Output read from the pty, not parsed yet, oldest first. */
  private pending: string[] = [];
  private pendingChars = 0;
  /** How many chunks at the head of `pending` came during a full-screen hand-off. */
  private handOffChunks = 0;
  /** A batch is in the emulator's hands. */
  private parsing = false;
  /** The batch being parsed came during a hand-off: the real terminal answered its queries. */
  private quiet = false;
  private paused = false;
  private batchTimer: NodeJS.Timeout | null = null;
  private drainWaiters: (() => void)[] = [];
  /** A key was sent: the output that follows is drawn at once, not at the next frame tick. */
  private echoDue = false;
  /** write() is handing keys to the emulator: they go on to the child whatever else holds. */
  private typing = false;
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
    this.screen.watch(this.term);
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
        else void this.drain().then(finish);
      });
    });
    this.proc.onData((data) => this.received(data));
    // Replies to the child's queries (cursor position, device attributes): unanswered, vim and fish stall.
    // Keys typed go the same way (write() hands them to the emulator as user input).
    this.term.onData((data) => {
      if (this.typing || !this.quiet) this.writeToChild(data);
    });
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

  /**
   * Keys for the child. They pass through the emulator as user input: it sends them on (its
   * onData), and parses the next output at once instead of on its next tick, which, with
   * `echoDue`, puts the echo on screen without waiting for a frame.
   */
  write(data: string): void {
    if (this.exit !== null || this.disposed) return;
    this.echoDue = true;
    this.typing = true;
    try {
      this.term.input(data, true);
    } finally {
      this.typing = false;
    }
  }

  private writeToChild(data: string): void {
    if (this.exit !== null || this.disposed) return;
    try {
      const rest = writeToPtyNow(this.proc, data, DIRECT_WRITE_MAX);
      if (rest !== null) this.proc.write(rest);
    } catch {
      // The child went away between the check and the write: its exit is on its way.
    }
  }

  /** One chunk read from the pty: to the hand-off and the recording as it is, then queued for the emulator. */
  private received(data: string): void {
    this.passthrough?.(data);
    this.opts.recorder?.output(data);
    this.pending.push(data);
    this.pendingChars += data.length;
    if (this.passthrough !== null) this.handOffChunks++;
    if (!this.paused && this.pendingChars > PAUSE_ABOVE_CHARS) {
      this.paused = true;
      this.proc.pause();
    }
    this.pump(false);
  }

  /**
   * Feeds the emulator one batch at a time: all that queued up while the last batch was
   * parsed (reads batched for free), its scrolled-off part left out when it is plain text.
   */
  private pump(force: boolean): void {
    if (this.parsing || this.disposed) return;
    if (this.pending.length === 0) {
      this.resumeIfLow();
      for (const resolve of this.drainWaiters.splice(0)) resolve();
      return;
    }
    const lazy = this.passthrough !== null && !force && this.drainWaiters.length === 0;
    if (lazy && this.pendingChars < HANDOFF_BATCH_CHARS) {
      this.batchTimer ??= setTimeout(() => {
        this.batchTimer = null;
        this.pump(true);
      }, HANDOFF_IDLE_MS);
      return;
    }
    if (lazy && this.compactHandOff()) return;
    if (this.batchTimer !== null) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    // Hand-off output first and on its own: the real terminal has answered its queries already.
    const quiet = this.handOffChunks > 0;
    let take = quiet ? this.handOffChunks : this.pending.length;
    let chars = 0;
    for (let i = 0; i < take; i++) {
      chars += this.pending[i]?.length ?? 0;
      if (chars >= MAX_BATCH_CHARS) take = i + 1;
    }
    const batch = this.pending.splice(0, take).join('');
    if (quiet) this.handOffChunks -= take;
    this.pendingChars -= batch.length;
    this.resumeIfLow();
    this.parsing = true;
    this.quiet = quiet;
    const input = emulatorAllowsSkip(this.term) ? fastForward(batch, this.term.rows) : batch;
    this.term.write(input, () => {
      this.parsing = false;
      this.quiet = false;
      if (this.disposed) return;
      this.scheduleFrame();
      this.pump(false);
    });
  }

  /**
   * During a hand-off nobody sees the emulator's screen until the user detaches, so a
   * flood's scrolled-off text is left out of what waits to be parsed, without parsing the
   * rest now. True when that left the queue short; false when it must be parsed (what is
   * left of it: very long lines can keep it long, and scanning it again per read would cost more).
   */
  private compactHandOff(): boolean {
    if (this.handOffChunks !== this.pending.length || !emulatorAllowsSkip(this.term)) return false;
    const kept = fastForwardChunks(this.pending, this.term.rows);
    if (kept === null) return false;
    this.pending = kept;
    this.pendingChars = kept.reduce((sum, chunk) => sum + chunk.length, 0);
    this.handOffChunks = kept.length;
    this.resumeIfLow();
    if (this.pendingChars > HANDOFF_BATCH_CHARS / 4) return false;
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = null;
      this.pump(true);
    }, HANDOFF_IDLE_MS);
    return true;
  }

  private resumeIfLow(): void {
    if (!this.paused || this.pendingChars > RESUME_BELOW_CHARS) return;
    this.paused = false;
    this.proc.resume();
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
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.pump(true);
    });
  }

  /** Full-screen hand-off: every byte of output also goes straight to `writer`. */
  setPassthrough(writer: ((data: string) => void) | null): void {
    this.passthrough = writer;
    // What the hand-off left unparsed is parsed now, so the screen is whole when shown.
    if (writer === null) this.pump(true);
  }

  snapshot(): ScreenFrame {
    return this.screen.read(this.term);
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
    if (this.batchTimer !== null) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.pending = [];
    for (const resolve of this.drainWaiters.splice(0)) resolve();
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

  /**
   * Leading edge: output after a quiet spell, or after a key, is drawn at once; more output
   * within the frame interval waits for its end, so a flood costs one frame per interval.
   */
  private scheduleFrame(): void {
    if (!this.visible || this.disposed) return;
    const wait = this.echoDue ? 0 : this.lastFrameAt + this.frameMs - this.now();
    if (wait <= 0) {
      this.flushFrame();
      return;
    }
    this.frameTimer ??= setTimeout(() => {
      this.frameTimer = null;
      this.flushFrame();
    }, wait);
  }

  private flushFrame(): void {
    if (!this.visible || this.disposed) return;
    if (this.frameTimer !== null) clearTimeout(this.frameTimer);
    this.frameTimer = null;
    this.echoDue = false;
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
