// Copying to the clipboard of the terminal the user sits at, wherever it is (over ssh
// too): OSC 52 with the text in base64. Inside tmux the sequence is sent both as is
// (tmux takes it with `set-clipboard on` and passes it on) and wrapped in tmux's DCS
// passthrough (taken with `allow-passthrough on`); terminals that ignore it show nothing,
// which is why the command is also shown on screen.
import { writeSync } from 'node:fs';

/** `ESC ] 52 ; c ; BASE64 BEL`: set the clipboard selection. */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

/** tmux's passthrough: `ESC P tmux ; <sequence with every ESC doubled> ESC \`. */
export function tmuxPassthrough(sequence: string): string {
  return `\x1bPtmux;${sequence.replaceAll('\x1b', '\x1b\x1b')}\x1b\\`;
}

/** The bytes to write for `text`, given the environment (TMUX set: inside tmux). */
export function clipboardSequence(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const seq = osc52(text);
  return env['TMUX'] ? seq + tmuxPassthrough(seq) : seq;
}

export interface Clipboard {
  copy(text: string): void;
}

/** Writes straight to the terminal (fd 1), between Ink's frames: the sequence moves no cursor. */
export function terminalClipboard(fd = 1, env: NodeJS.ProcessEnv = process.env): Clipboard {
  return {
    copy: (text) => {
      try {
        writeSync(fd, clipboardSequence(text, env));
      } catch {
        // The terminal is gone: nothing to copy to.
      }
    },
  };
}
