import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { childrenOf, processesWithEnv, waitUntil } from './processes.js';
import { cliPath, PtyScreen } from './pty-screen.js';

const screens: PtyScreen[] = [];

/**
 * dynotty run the way a user runs it, inside a shell that afterwards prints its exit
 * status and `stty -a`: so the test reads the terminal state dynotty left behind.
 */
export function startDynotty(args: string[] = ['--demo'], opts: { cols?: number; rows?: number; env?: NodeJS.ProcessEnv; rawLimit?: number } = {}) {
  const script = `node "$0" "$@"; echo "EXIT=$?"; stty -a; sleep 0.3`;
  // CI=true as on the CI machine: Ink must still draw every frame (see importInkForATerminal).
  const screen = new PtyScreen('/bin/sh', ['-c', script, cliPath, ...args], { ...opts, env: { CI: 'true', ...opts.env } });
  screens.push(screen);
  return screen;
}

export async function dynottyPid(screen: PtyScreen): Promise<number> {
  let pid = 0;
  await waitUntil(() => (pid = childrenOf(screen.proc.pid)[0] ?? 0) > 0, 5000, 'dynotty to start');
  return pid;
}

export function demoDynosOf(pid: number): number[] {
  return processesWithEnv('DYNOTTY_PARENT_PID', String(pid));
}

/** The terminal's settings (`stty -a`) as dynotty has them now: read through the pty master, which on Linux reports its slave's. */
export function terminalSettings(screen: PtyScreen): string {
  const fd = (screen.proc as { fd?: number }).fd;
  assert.equal(typeof fd, 'number', 'node-pty exposes the master fd');
  const out = spawnSync('stty', ['-a'], { stdio: [fd as number, 'pipe', 'pipe'], encoding: 'utf8' });
  assert.equal(out.status, 0, `stty -a on the master: ${out.stderr}`);
  return out.stdout;
}

/** After dynotty exits: cooked mode, echo, output processing, main screen, visible cursor. */
export function assertTerminalRestored(screen: PtyScreen, exitLine: string, opts: { altScreenEntries?: number } = {}): void {
  const text = screen.raw;
  assert.ok(text.includes(exitLine), `exit status line ${exitLine} in:\n${screen.text()}`);
  const stty = text.slice(text.lastIndexOf(exitLine));
  assert.match(stty, /(^|\s)icanon(\s|$)/m, 'canonical mode is back');
  assert.match(stty, /(^|\s)echo(\s|$)/m, 'echo is back');
  assert.match(stty, /(^|\s)opost(\s|$)/m, 'output processing is back');
  assert.equal(screen.term.buffer.active.type, 'normal', 'back on the main screen');
  assert.ok(text.lastIndexOf('\x1b[?25h') > text.lastIndexOf('\x1b[?25l'), 'cursor shown after the last hide');
  const entries = opts.altScreenEntries ?? 1;
  assert.equal((text.match(/\x1b\[\?1049h/g) ?? []).length, entries, `entered the alternate screen ${entries} time(s)`);
}

export function killScreens(): void {
  for (const s of screens.splice(0)) s.kill();
}
