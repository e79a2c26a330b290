import { spawnSync } from 'node:child_process';

const STTY_TIMEOUT_MS = 2000;

/**
 * Turns the terminal's output processing (OPOST: the kernel's newline translation) off or
 * on for the terminal on `fd`. During a full-screen hand-off the child's bytes were already
 * processed by its own pty; processing them a second time costs the kernel a pass over
 * every byte and changes what a child that turned OPOST off itself meant to draw. tmux
 * clears it for the same reason. Node has no termios API and raw mode leaves OPOST on,
 * so `stty` does it, with the terminal as its stdin. Synchronous, so it falls exactly
 * between the writes before and after it. False when it could not be done (no `stty`).
 */
export function setOutputProcessing(fd: number, on: boolean): boolean {
  try {
    const result = spawnSync('stty', [on ? 'opost' : '-opost'], { stdio: [fd, 'ignore', 'ignore'], timeout: STTY_TIMEOUT_MS });
    return result.error === undefined && result.status === 0;
  } catch {
    return false;
  }
}
