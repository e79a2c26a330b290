import { writeSync } from 'node:fs';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

/**
 * Owns the terminal's state while dynotty runs. Ink 6.8 has no alternate-screen option,
 * so we enter it ourselves and leave it on every exit path, exactly once.
 */
export class TerminalGuard {
  private entered = false;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly outFd: number = 1,
  ) {}

  enter(): void {
    if (this.entered) return;
    this.entered = true;
    this.write(ENTER_ALT_SCREEN);
  }

  /** Cooked mode, cursor visible, main screen. Synchronous, so it works in 'exit' handlers. */
  restore(): void {
    if (!this.entered) return;
    this.entered = false;
    try {
      if (this.stdin.isTTY && this.stdin.isRaw) this.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed; the screen is still worth restoring.
    }
    this.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  }

  private write(s: string): void {
    try {
      writeSync(this.outFd, s);
    } catch {
      // The terminal is gone (hung up): nothing left to restore.
    }
  }
}
