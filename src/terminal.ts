import { writeSync } from 'node:fs';
import type { InputModes } from './session/pty-session.js';
import { setOutputProcessing } from './tty-output.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';
/**
 * Modes a child may have left on in the real terminal: mouse tracking, bracketed paste,
 * application cursor keys and keypad, and the SGR attributes.
 */
export const RESET_CHILD_MODES = '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1l\x1b>\x1b[0m';

/**
 * Owns the terminal's state while dynotty runs. Ink 6.8 has no alternate-screen option,
 * so we enter it ourselves and leave it on every exit path, exactly once.
 */
export class TerminalGuard {
  private entered = false;
  /** False during a full-screen hand-off, when the child has the main screen. */
  private onAltScreen = false;
  private modes: InputModes = { applicationCursorKeys: false, bracketedPaste: false };
  /** True while the hand-off has the terminal's output processing off. */
  private outputRaw = false;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly outFd: number = 1,
    private readonly outIsTty: boolean = process.stdout.isTTY === true,
  ) {}

  /** dynotty's own screen is up: entered, not restored, not handed off. Drawing anywhere else lands on the user's. */
  get ownsScreen(): boolean {
    return this.entered && this.onAltScreen;
  }

  enter(): void {
    if (this.entered) return;
    this.entered = true;
    this.onAltScreen = true;
    this.write(ENTER_ALT_SCREEN);
  }

  /** Mirrors a session's input modes, so the terminal sends the keys the child expects. */
  setInputModes(modes: InputModes): void {
    let seq = '';
    if (modes.applicationCursorKeys !== this.modes.applicationCursorKeys) seq += modes.applicationCursorKeys ? '\x1b[?1h' : '\x1b[?1l';
    if (modes.bracketedPaste !== this.modes.bracketedPaste) seq += modes.bracketedPaste ? '\x1b[?2004h' : '\x1b[?2004l';
    this.modes = modes;
    if (seq !== '') this.write(seq);
  }

  /**
   * Full-screen hand-off: the main screen, the cursor shown, raw mode and no output
   * processing, for a byte-for-byte pipe.
   */
  handOff(): void {
    this.onAltScreen = false;
    this.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    this.setRaw(true);
    if (this.outIsTty) this.outputRaw = setOutputProcessing(this.outFd, false);
  }

  /** After a hand-off: whatever modes the child left on are reset, and the picker's screen is back. */
  reclaim(): void {
    this.modes = { applicationCursorKeys: false, bracketedPaste: false };
    this.endHandOff();
    this.onAltScreen = true;
    this.write(ENTER_ALT_SCREEN);
  }

  /** After a hand-off that ends dynotty: the child's modes reset, and the main screen stays. */
  endHandOff(): void {
    this.restoreOutputProcessing();
    // A new line first: the user's shell prompt will not land after the child's last line.
    this.write(RESET_CHILD_MODES + '\r\n');
  }

  /** Cooked mode, cursor visible, child modes off, main screen. Synchronous, so it works in 'exit' handlers. */
  restore(): void {
    if (!this.entered) return;
    this.entered = false;
    this.restoreOutputProcessing();
    this.setRaw(false);
    // Leaving an alternate screen we are not on would move the cursor to where it was saved.
    this.write(RESET_CHILD_MODES + SHOW_CURSOR + (this.onAltScreen ? LEAVE_ALT_SCREEN : ''));
    this.onAltScreen = false;
  }

  /** Ink draws its frames with bare newlines: they need the kernel's translation back. */
  private restoreOutputProcessing(): void {
    if (!this.outputRaw) return;
    this.outputRaw = false;
    setOutputProcessing(this.outFd, true);
  }

  private setRaw(raw: boolean): void {
    try {
      if (this.stdin.isTTY && this.stdin.isRaw !== raw) this.stdin.setRawMode(raw);
    } catch {
      // stdin may already be closed; the screen is still worth restoring.
    }
  }

  private write(s: string): void {
    try {
      writeSync(this.outFd, s);
    } catch {
      // The terminal is gone (hung up): nothing left to restore.
    }
  }
}
