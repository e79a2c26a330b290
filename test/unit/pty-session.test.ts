import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { PtySession, SESSION_TERM } from '../../src/session/pty-session.js';
import type { PtySessionOptions, SessionExit } from '../../src/session/pty-session.js';
import type { ScreenFrame } from '../../src/session/screen.js';
import { LaunchError } from '../../src/session/spec.js';
import type { SpawnSpec } from '../../src/session/spec.js';
import { isAlive } from '../helpers/processes.js';
import { quietPeriod, waitFor, within } from '../helpers/wait.js';

const BASE_PATH = process.env.PATH ?? '/usr/bin:/bin';

function frameLines(frame: ScreenFrame): string[] {
  return frame.lines.map((runs) => runs.map((r) => r.text).join('').trimEnd());
}

function frameText(frame: ScreenFrame): string {
  return frameLines(frame).join('\n');
}

interface Started {
  session: PtySession;
  spec: SpawnSpec;
  frames: ScreenFrame[];
  /** When each frame arrived (performance.now). */
  frameTimes: number[];
  /** The frame last delivered when onExit was called. */
  frameAtExit: ScreenFrame | null;
  /** The emulator's screen when onExit was called. */
  screenAtExit: string;
  exited: Promise<SessionExit>;
  disposals: () => number;
  screen: () => string;
}

interface StartOptions {
  file?: string;
  args?: string[];
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  visible?: boolean;
  frameIntervalMs?: number;
}

const live: PtySession[] = [];

function makeSpec(file: string, args: string[], env: Record<string, string>): { spec: SpawnSpec; disposals: () => number } {
  let disposed = 0;
  const spec: SpawnSpec = {
    file,
    args,
    cwd: os.tmpdir(),
    env,
    title: 'test',
    dynoName: null,
    dispose: async () => {
      disposed++;
    },
  };
  return { spec, disposals: () => disposed };
}

/** Starts `script` under /bin/sh (or `file`/`args`) in a real pty. */
function start(script: string, options: StartOptions = {}): Started {
  const file = options.file ?? '/bin/sh';
  const args = options.args ?? ['-c', script];
  const { spec, disposals } = makeSpec(file, args, options.env ?? { PATH: BASE_PATH });
  const frames: ScreenFrame[] = [];
  const frameTimes: number[] = [];
  let resolveExit: (exit: SessionExit) => void = () => undefined;
  const exited = new Promise<SessionExit>((resolve) => {
    resolveExit = resolve;
  });
  const started: Started = {
    session: undefined as unknown as PtySession,
    spec,
    frames,
    frameTimes,
    frameAtExit: null,
    screenAtExit: '',
    exited,
    disposals,
    screen: () => frameText(started.session.snapshot()),
  };
  const opts: PtySessionOptions = {
    cols: options.cols ?? 80,
    rows: options.rows ?? 24,
    frameIntervalMs: options.frameIntervalMs,
    onFrame: (frame) => {
      frames.push(frame);
      frameTimes.push(performance.now());
    },
    onExit: (exit) => {
      started.frameAtExit = frames.at(-1) ?? null;
      started.screenAtExit = started.screen();
      resolveExit(exit);
    },
  };
  started.session = PtySession.start(spec, opts);
  live.push(started.session);
  if (options.visible ?? true) started.session.setVisible(true);
  return started;
}

/** Waits until the emulator's screen (read directly, visible or not) shows `text`. */
function waitScreen(s: Started, text: string | RegExp, timeoutMs = 5000): Promise<string> {
  const matches = (screen: string): boolean => (typeof text === 'string' ? screen.includes(text) : text.test(screen));
  return waitFor(
    () => {
      const screen = s.screen();
      return matches(screen) ? screen : null;
    },
    `the screen to show ${String(text)}`,
    { timeoutMs, describe: () => s.screen() },
  );
}

/**
 * Watches the raw output (through the passthrough) and presses Enter the moment `marker`
 * has been read from the pty: the child's `read` then returns and it exits.
 */
function exitOnMarker(s: Started, marker: string, onChunk: (data: string) => void, onMarker: () => void = () => undefined): void {
  let tail = '';
  let sent = false;
  s.session.setPassthrough((data) => {
    onChunk(data);
    if (sent) return;
    tail = (tail + data).slice(-(marker.length + data.length));
    if (tail.includes(marker)) {
      sent = true;
      onMarker();
      s.session.write('\r');
    }
  });
}

afterEach(async () => {
  // Whatever a test left running is ended (SIGKILL quickly) and released.
  await Promise.all(live.splice(0).map((s) => s.kill(200)));
});

describe('PtySession frames', () => {
  it('sends frames only while visible, and draws at once on becoming visible', async () => {
    const s = start('echo HIDDEN-OUT; read a; echo VISIBLE-OUT; read b; echo HIDDEN-AGAIN; read c', {
      visible: false,
      frameIntervalMs: 10,
    });
    await waitScreen(s, 'HIDDEN-OUT');
    assert.equal(s.frames.length, 0, 'a hidden session parses but sends no frames');

    s.session.setVisible(true);
    assert.equal(s.frames.length, 1, 'becoming visible draws at once, synchronously');
    assert.match(frameText(s.frames[0] as ScreenFrame), /HIDDEN-OUT/);

    s.session.write('\r');
    await waitFor(() => s.frames.some((f) => frameText(f).includes('VISIBLE-OUT')), 'a frame with VISIBLE-OUT');

    s.session.setVisible(false);
    const count = s.frames.length;
    s.session.write('\r');
    await waitScreen(s, 'HIDDEN-AGAIN');
    // Parsed already; give any frame timer (10 ms) ample time to fire before checking nothing came.
    await quietPeriod(100);
    assert.equal(s.frames.length, count, 'no frames while hidden');
    assert.ok(!s.frames.some((f) => frameText(f).includes('HIDDEN-AGAIN')));

    s.session.setVisible(true);
    assert.equal(s.frames.length, count + 1);
    assert.match(frameText(s.frames.at(-1) as ScreenFrame), /HIDDEN-AGAIN/);
  });

  it('draws the echo of a key at once, even inside the frame interval; other output waits for it', async () => {
    // An interval no test would wait out: a frame that comes is a leading-edge one.
    const s = start('echo READY; read a; echo "GOT-$a"; sleep 0.3; echo LATER; read b', { frameIntervalMs: 60_000, visible: false });
    await waitScreen(s, 'READY');
    // A frame now: the next one would be due in 60 s.
    s.session.setVisible(true);
    const before = s.frames.length;
    s.session.write('k');
    await waitFor(() => s.frames.slice(before).some((f) => frameLines(f).includes('k')), 'the echo of k drawn without waiting 60 s', {
      timeoutMs: 3000,
    });
    s.session.write('\r');
    await waitScreen(s, 'LATER');
    await quietPeriod(100);
    assert.ok(!s.frames.some((f) => frameText(f).includes('LATER')), 'output not following a key waits for the frame interval');
  });

  it('caps frames under a flood and the final frame shows the last output', async () => {
    // The child waits for a key before exiting, so node-pty has read every byte by then
    // (output printed right as a child exits can be lost: see pending-bugs.test.ts).
    const s = start('stty -echo; yes | head -c 2000000; echo FLOOD-END; read x', { rows: 10, cols: 40 });
    let chunks = 0;
    let bytes = 0;
    exitOnMarker(s, 'FLOOD-END', (data) => {
      chunks++;
      bytes += data.length;
    });
    const exit = await within(s.exited, 8000, 'the flood to end');
    assert.equal(exit.exitCode, 0);
    assert.ok(bytes >= 2_000_000, `all output passed through (${bytes} bytes)`);
    assert.ok(chunks >= 20, `the flood came in many chunks (${chunks})`);
    assert.ok(s.frames.length < chunks / 3, `frames (${s.frames.length}) far fewer than chunks (${chunks})`);
    // At most one frame per 33 ms interval, plus the first and the final (drain) frame.
    assert.ok(
      s.frames.length <= Math.ceil(exit.durationMs / 33) + 3,
      `${s.frames.length} frames in ${exit.durationMs} ms is more than one per 33 ms`,
    );
    const last = frameLines(s.frames.at(-1) as ScreenFrame);
    const end = last.lastIndexOf('FLOOD-END');
    assert.ok(end > 0, `the final frame shows FLOOD-END:\n${last.join('\n')}`);
    assert.equal(last[end - 1], 'y');
  });

  it('frames are spaced by the frame interval', async () => {
    const s = start('i=0; while [ $i -lt 400 ]; do echo "tick $i"; i=$((i+1)); sleep 0.001; done', { frameIntervalMs: 40 });
    await within(s.exited, 8000, 'the ticker to end');
    // All frames but the last (the exit drain, which is not held back) come from the frame
    // timer. Node's timers run on the event loop's cached clock, which can lag the wall clock
    // by the length of a busy callback (xterm parses in 12 ms slices), so a single gap can be
    // a little short of 40 ms; on average it is not, and none is anywhere near 0.
    const times = s.frameTimes.slice(0, -1);
    assert.ok(times.length >= 4, `enough frames to measure (${times.length})`);
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      assert.ok(gap >= 20, `frames ${i - 1} and ${i} only ${gap.toFixed(1)} ms apart`);
    }
    const span = (times.at(-1) as number) - (times[0] as number);
    assert.ok(span / (times.length - 1) >= 38, `average gap ${(span / (times.length - 1)).toFixed(1)} ms`);
  });
});

describe('PtySession exit', () => {
  it('reports the real exit status, the duration, and disposes the spec', async () => {
    const s = start('echo bye; sleep 0.05; exit 3');
    const exit = await within(s.exited, 5000, 'exit');
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.signal, null);
    assert.ok(exit.durationMs >= 40, `durationMs ${exit.durationMs}`);
    assert.deepEqual(s.session.exit, exit);
    assert.equal(s.session.live, false);
    assert.equal(s.disposals(), 1, 'spec.dispose called on exit');
  });

  it('drains the emulator before the final frame and onExit', async () => {
    // The last chunk and the exit often arrive in the same turn of the event loop, before
    // the emulator has parsed the chunk: only the drain (term.write('', cb)) puts it in the
    // final frame. Without the drain this fails most rounds, so five rounds catch it.
    // The output stays under 4 KB: bigger bursts right before exit can be lost by node-pty
    // itself (pending-bugs.test.ts).
    for (let round = 0; round < 5; round++) {
      const s = start('seq 1 300; echo LAST-LINE-XYZ; exit 4', { rows: 8 });
      const exit = await within(s.exited, 5000, 'exit');
      assert.equal(exit.exitCode, 4);
      assert.ok(s.frameAtExit !== null, 'a frame was sent before onExit');
      const lines = frameLines(s.frameAtExit);
      assert.deepEqual(lines.slice(-3), ['300', 'LAST-LINE-XYZ', ''], `round ${round}: the frame at exit:\n${lines.join('\n')}`);
      assert.match(s.screenAtExit, /LAST-LINE-XYZ/);
    }
  });

  it('reports the signal when the child is killed by one', async () => {
    const s = start('echo up; kill -TERM $$; sleep 5');
    const exit = await within(s.exited, 5000, 'exit');
    assert.equal(exit.signal, os.constants.signals.SIGTERM);
    assert.equal(s.disposals(), 1);
  });

  it('write, resize, setVisible and kill after exit do not throw; dispose twice is fine', async () => {
    const s = start('exit 0');
    await within(s.exited, 5000, 'exit');
    s.session.write('late input\r');
    s.session.resize(100, 30);
    s.session.resize(100, 30);
    s.session.setVisible(true);
    assert.equal(s.session.snapshot().cols, 100, 'the emulator still answers after exit');
    await within(s.session.kill(), 1000, 'kill after exit');
    s.session.dispose();
    s.session.dispose();
    s.session.write('after dispose');
    s.session.setVisible(true);
    s.session.setPassthrough(null);
  });

  it('dispose on a live session ends the child', async () => {
    const s = start('echo READY; sleep 1000');
    await waitScreen(s, 'READY');
    const pid = s.session.pid;
    s.session.dispose();
    s.session.dispose();
    await waitFor(() => !isAlive(pid), `pid ${pid} to be gone after dispose`);
    s.session.write('x');
  });
});

describe('PtySession size, environment and input', () => {
  it('gives the child the size at start and follows resize', async () => {
    const s = start('stty size; tput cols; read a; stty size; tput cols; tput lines; read b', { cols: 91, rows: 27 });
    await waitScreen(s, /^27 91\n91$/m);
    s.session.resize(120, 33);
    const snap = s.session.snapshot();
    assert.equal(snap.cols, 120);
    assert.equal(snap.rows, 33);
    s.session.write('\r');
    await waitScreen(s, /^33 120\n120\n33$/m);
  });

  it('sets TERM=xterm-256color over the spec env and passes the rest through', async () => {
    assert.equal(SESSION_TERM, 'xterm-256color');
    const s = start('printf "TERM=%s FOO=%s HOME=%s.\\n" "$TERM" "$FOO" "${HOME:-unset}"; read x', {
      env: { PATH: BASE_PATH, TERM: 'dumb', FOO: 'bar' },
    });
    await waitScreen(s, /TERM=\S+ FOO=/);
    assert.match(s.screen(), /TERM=xterm-256color FOO=bar HOME=unset\./);
  });

  it('write() sends input to the child (cat echoes it)', async () => {
    const s = start('', { file: 'cat', args: [] });
    s.session.write('hello-cat\r');
    const screen = await waitScreen(s, /hello-cat\nhello-cat/);
    assert.equal(screen.split('\n').filter((l) => l === 'hello-cat').length, 2, 'the tty echo and cat');
    s.session.write('\x04');
    const exit = await within(s.exited, 5000, 'cat to end on EOF');
    assert.equal(exit.exitCode, 0);
  });

  it('answers the child\'s cursor-position query through the pty', async () => {
    const script = [
      'stty -echo -icanon',
      "printf '\\033[5;10H\\033[6n'",
      'if IFS= read -t 5 -r -d R reply; then stty sane; printf "\\nCPR=%s.\\n" "${reply#?}"; else stty sane; echo NOREPLY; fi',
      'read x',
    ].join('; ');
    const s = start('', { file: '/bin/bash', args: ['--noprofile', '--norc', '-c', script] });
    await waitScreen(s, /CPR=|NOREPLY/, 8000);
    assert.match(s.screen(), /CPR=\[5;10\./);
  });

  it('inputModes() mirrors the modes the child sets', async () => {
    const s = start("read a; printf '\\033[?2004h\\033[?1h'; echo SET; read b; printf '\\033[?2004l\\033[?1l'; echo UNSET; read c");
    assert.deepEqual(s.session.inputModes(), { applicationCursorKeys: false, bracketedPaste: false });
    s.session.write('\r');
    await waitScreen(s, 'SET');
    assert.deepEqual(s.session.inputModes(), { applicationCursorKeys: true, bracketedPaste: true });
    s.session.write('\r');
    await waitScreen(s, 'UNSET');
    assert.deepEqual(s.session.inputModes(), { applicationCursorKeys: false, bracketedPaste: false });
  });

  it('setPassthrough receives the raw bytes, until it is cleared', async () => {
    const s = start("read a; printf '\\033[31mRED\\033[0m\\n'; read b; echo AFTER-CLEAR; read c");
    let raw = '';
    s.session.setPassthrough((data) => {
      raw += data;
    });
    s.session.write('\r');
    await waitFor(() => raw.includes('\x1b[31mRED\x1b[0m'), 'the raw red sequence', { describe: () => JSON.stringify(raw) });
    await waitScreen(s, 'RED');
    s.session.setPassthrough(null);
    s.session.write('\r');
    await waitScreen(s, 'AFTER-CLEAR');
    assert.ok(!raw.includes('AFTER-CLEAR'));
  });
});

describe('PtySession kill', () => {
  it('SIGHUPs the process group: the shell and its background child end', async () => {
    const s = start('sleep 1000 & echo "BG=$!"; wait');
    const screen = await waitScreen(s, /BG=\d+/);
    const bg = Number(/BG=(\d+)/.exec(screen)?.[1]);
    const pid = s.session.pid;
    assert.ok(isAlive(pid) && isAlive(bg));
    const t0 = Date.now();
    await within(s.session.kill(5000), 4000, 'kill');
    assert.ok(Date.now() - t0 < 2000, 'SIGHUP alone ended it, well before the grace');
    const exit = await s.exited;
    assert.equal(exit.signal, os.constants.signals.SIGHUP);
    await waitFor(() => !isAlive(pid) && !isAlive(bg), `pids ${pid} and ${bg} to be gone`);
    assert.equal(s.disposals() >= 1, true);
  });

  it('SIGKILLs a group that ignores SIGHUP after the grace', async () => {
    const s = start('trap "" HUP; sleep 1000 & echo "BG=$!"; echo READY; wait; echo SURVIVED; sleep 1000');
    const screen = await waitScreen(s, /BG=\d+\nREADY/);
    const bg = Number(/BG=(\d+)/.exec(screen)?.[1]);
    const pid = s.session.pid;
    const t0 = Date.now();
    await within(s.session.kill(300), 4000, 'kill');
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 290, `waited the grace before SIGKILL (${elapsed} ms)`);
    const exit = await s.exited;
    assert.equal(exit.signal, os.constants.signals.SIGKILL);
    await waitFor(() => !isAlive(pid) && !isAlive(bg), `pids ${pid} and ${bg} to be gone`);
  });
});

describe('PtySession.start errors', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-pty-session-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const noop = (): void => undefined;
  const opts: PtySessionOptions = { cols: 80, rows: 24, onFrame: noop, onExit: noop };

  it('throws LaunchError for a binary not on PATH', () => {
    const { spec } = makeSpec('nonexistent-binary-xyz', [], { PATH: BASE_PATH });
    assert.throws(
      () => PtySession.start(spec, opts),
      (err: unknown) => err instanceof LaunchError && err.name === 'LaunchError' && err.message === 'nonexistent-binary-xyz was not found on PATH',
    );
  });

  it('looks the binary up on the spec env PATH, not only the parent\'s', () => {
    const { spec } = makeSpec('sh', [], { PATH: path.join(dir, 'no-such-dir') });
    assert.throws(() => PtySession.start(spec, opts), { name: 'LaunchError', message: 'sh was not found on PATH' });
  });

  it('throws LaunchError for a non-executable absolute path and for a folder', () => {
    const file = path.join(dir, 'not-executable');
    writeFileSync(file, '#!/bin/sh\necho hi\n');
    chmodSync(file, 0o644);
    const { spec } = makeSpec(file, [], { PATH: BASE_PATH });
    assert.throws(() => PtySession.start(spec, opts), { name: 'LaunchError', message: `${file} does not exist or is not executable` });
    const { spec: folder } = makeSpec(dir, [], { PATH: BASE_PATH });
    assert.throws(() => PtySession.start(folder, opts), { name: 'LaunchError', message: `${dir} does not exist or is not executable` });
    const missing = path.join(dir, 'missing');
    const { spec: gone } = makeSpec(missing, [], { PATH: BASE_PATH });
    assert.throws(() => PtySession.start(gone, opts), { name: 'LaunchError', message: `${missing} does not exist or is not executable` });
  });
});
