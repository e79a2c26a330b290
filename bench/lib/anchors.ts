// The anchors dynotty is compared with: the same bash in a bare pty, and in tmux attached
// in a pty (a private server socket, killed at the end).
import { execFileSync } from 'node:child_process';
import { BenchPty } from './pty.js';
import { COLS, emptyDir, onCleanup, ROWS, SHELL_ARGS, SHELL_FILE, shellEnv, track } from './env.js';

/** bash --noprofile --norc -i straight in a pty: the physical limit for this machine. */
export function startBareShell(): BenchPty {
  return track(new BenchPty(SHELL_FILE, SHELL_ARGS, { cols: COLS, rows: ROWS, cwd: emptyDir('home'), env: shellEnv(), screen: true }));
}

let socketCount = 0;

/** tmux's name for this bench's private server socket (`-L`). */
function socketName(): string {
  return `dynotty-bench-${process.pid}${socketCount === 0 ? '' : `-${socketCount}`}`;
}

/**
 * A tmux client attached in a pty to a new server on a private socket, its one window
 * running the same bash. No user config (-f /dev/null): tmux's defaults, status line included.
 */
export function startTmuxShell(): { pty: BenchPty; socket: string } {
  const socket = socketName();
  socketCount++;
  const p = track(
    new BenchPty('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-x', String(COLS), '-y', String(ROWS), SHELL_FILE, ...SHELL_ARGS], {
      cols: COLS,
      rows: ROWS,
      cwd: emptyDir('home'),
      env: shellEnv(),
      screen: true,
    }),
  );
  onCleanup(() => killTmuxServer(socket));
  return { pty: p, socket };
}

export function killTmuxServer(socket: string): void {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // already gone
  }
}

/** Whether tmux can be run here. */
export function haveTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
