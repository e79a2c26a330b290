import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { frameToAnsi } from '../../src/session/frame-ansi.js';
import { handOffFullscreen } from '../../src/session/fullscreen.js';
import { snapshotScreen } from '../../src/session/screen.js';
import { PtySession } from '../../src/session/pty-session.js';
import type { SessionExit, SessionRecorder } from '../../src/session/pty-session.js';
import type { SpawnSpec } from '../../src/session/spec.js';
import { DETACH_KEY } from '../../src/store/sessions.js';
import { quietPeriod, waitFor, within } from '../helpers/wait.js';

/** A terminal's output side: collects every byte written, has a size, emits 'resize'. */
class FakeStdout extends EventEmitter {
  chunks: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  resizeTo(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** A terminal's input side: bytes the test types; no isTTY. */
function fakeStdin(): PassThrough {
  return new PassThrough();
}

interface Child {
  session: PtySession;
  /** Every byte of output, from the moment the session started (a recorder sees them all). */
  output: () => string;
  ended: Promise<void>;
  exit: Promise<SessionExit>;
}

const live: PtySession[] = [];

function startChild(script: string, cols = 80, rows = 24): Child {
  let output = '';
  const recorder: SessionRecorder = {
    output: (data) => {
      output += data;
    },
    resize: () => undefined,
    close: async () => undefined,
  };
  const spec: SpawnSpec = {
    file: '/bin/sh',
    args: ['-c', script],
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    title: 'test',
    dynoName: null,
    dispose: async () => undefined,
  };
  let resolveExit: (exit: SessionExit) => void = () => undefined;
  const exit = new Promise<SessionExit>((resolve) => {
    resolveExit = resolve;
  });
  const session = PtySession.start(spec, { cols, rows, onFrame: () => undefined, onExit: (e) => resolveExit(e), recorder });
  live.push(session);
  return { session, output: () => output, exit, ended: exit.then(() => undefined) };
}

function screenOf(session: PtySession): string {
  return session
    .snapshot()
    .lines.map((runs) => runs.map((r) => r.text).join('').trimEnd())
    .join('\n');
}

function io(stdin: PassThrough, stdout: FakeStdout): { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } {
  return { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream };
}

afterEach(async () => {
  await Promise.all(live.splice(0).map((s) => s.kill(200)));
});

describe('handOffFullscreen', () => {
  it('paints the current screen, then pipes the output byte for byte and the keys to the child', async () => {
    const child = startChild("echo PROMPT-BEFORE; read a; printf '\\033[32mGREEN:%s\\033[0m\\n' \"$a\"; read b", 70, 20);
    await waitFor(() => screenOf(child.session).includes('PROMPT-BEFORE'), 'the first output');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(100, 30);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);
    // The paint follows the emulator's drain of what had arrived.
    await waitFor(() => stdout.chunks.length >= 2, 'the paint');

    // Sized to the real terminal, which is scrolled, then painted with what the child drew.
    assert.equal(child.session.snapshot().cols, 100);
    assert.equal(child.session.snapshot().rows, 30);
    assert.equal(stdout.chunks[0], `\x1b[30;1H${'\n'.repeat(30)}`);
    assert.equal(stdout.chunks[1], frameToAnsi(child.session.snapshot()));
    assert.match(stdout.chunks[1] ?? '', /PROMPT-BEFORE/);
    const painted = stdout.chunks.length;
    const outputBefore = child.output().length;

    stdin.write('typed-keys\r');
    await waitFor(() => stdout.text.includes('\x1b[32mGREEN:typed-keys\x1b[0m'), 'the child output on stdout', {
      describe: () => JSON.stringify(stdout.text),
    });
    await waitFor(() => child.output().length === outputBefore + stdout.chunks.slice(painted).join('').length, 'stdout to catch up');
    assert.equal(stdout.chunks.slice(painted).join(''), child.output().slice(outputBefore), 'byte for byte');

    stdin.write('\r');
    assert.equal(await within(outcome, 5000, 'the hand-off to end'), 'exited');
  });

  it('Ctrl-] detaches: bytes before it are delivered, after it dropped, and the piping stops', async () => {
    const child = startChild('echo READY; read a; echo "GOT:$a."; read b');
    await waitFor(() => screenOf(child.session).includes('READY'), 'the child to start');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(80, 24);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);

    stdin.write(`xy${DETACH_KEY}zz`);
    assert.equal(await within(outcome, 5000, 'detach'), 'detached');
    assert.equal(stdin.listenerCount('data'), 0, 'no longer reading keys');
    assert.equal(stdout.listenerCount('resize'), 0, 'no longer following resizes');
    assert.equal(stdin.isPaused(), true);

    const written = stdout.text;
    stdin.write('ignored\r');
    child.session.write('\r');
    await waitFor(() => screenOf(child.session).includes('GOT:'), 'the child to answer', { describe: () => screenOf(child.session) });
    assert.match(screenOf(child.session), /GOT:xy\./, 'xy arrived, zz and later keys did not');
    await quietPeriod(50);
    assert.equal(stdout.text, written, 'output after the detach does not reach stdout');
    assert.equal(child.session.live, true, 'detaching leaves the child running');
  });

  it('Ctrl-] as the first byte sends nothing to the child', async () => {
    const child = startChild('stty -icanon -echo; echo READY; dd bs=1 count=1 2>/dev/null | od -An -c; echo DONE; sleep 1000');
    await waitFor(() => screenOf(child.session).includes('READY'), 'the child to start');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(80, 24);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);
    stdin.write(`${DETACH_KEY}abc`);
    assert.equal(await within(outcome, 5000, 'detach'), 'detached');
    child.session.write('Q');
    await waitFor(() => screenOf(child.session).includes('DONE'), 'the child to read one byte');
    assert.match(screenOf(child.session), /^\s*Q$/m, 'the first byte the child read is the one sent after the detach');
  });

  it('back from a flood in the hand-off, the emulator shows the screen the terminal showed', async () => {
    const child = startChild('echo READY; read a; seq 1 50000; printf "\\033[1;33mLAST-LINE\\033[0m\\n"; read b', 60, 12);
    await waitFor(() => screenOf(child.session).includes('READY'), 'the child to start');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(60, 12);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);
    await waitFor(() => stdout.chunks.length >= 2, 'the paint');
    stdin.write('\r');
    await waitFor(() => stdout.text.includes('LAST-LINE'), 'the flood on the terminal', { timeoutMs: 10_000 });
    stdin.write(DETACH_KEY);
    assert.equal(await within(outcome, 5000, 'detach'), 'detached');
    await child.session.drain();
    // What a terminal shows after that output, parsed whole by a fresh emulator.
    const reference = new (await import('@xterm/headless')).default.Terminal({ cols: 60, rows: 12, scrollback: 0, allowProposedApi: true });
    await new Promise<void>((resolve) => reference.write(child.output(), resolve));
    const expected = snapshotScreen(reference);
    reference.dispose();
    assert.deepEqual(child.session.snapshot(), expected);
    assert.match(screenOf(child.session), /50000\nLAST-LINE/);
  });

  it('during the hand-off the real terminal answers the child\'s queries, not the emulator as well', async () => {
    // The child asks for the cursor position and reads for a second what comes back.
    const child = startChild("stty -echo -icanon min 0 time 10; echo READY; read a; printf '\\033[6n'; printf 'REPLY[%s]\\n' \"$(head -c 32 | od -An -c | tr -d ' \\n')\"; read b");
    await waitFor(() => screenOf(child.session).includes('READY'), 'the child to start');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(80, 24);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);
    await waitFor(() => stdout.chunks.length >= 2, 'the paint');
    stdin.write('\r');
    // This fake terminal never answers: the child must hear nothing at all.
    await waitFor(() => /REPLY\[[^\]]*\]/.test(stdout.text), 'the child to report what it read', { timeoutMs: 5000, describe: () => JSON.stringify(stdout.text) });
    assert.match(stdout.text, /REPLY\[\]/);
    stdin.write(DETACH_KEY);
    await within(outcome, 5000, 'detach');
  });

  it('resolves "exited" when the child ends', async () => {
    const child = startChild('read a; exit 0');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(80, 24);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);
    stdin.write('\r');
    assert.equal(await within(outcome, 5000, 'the exit'), 'exited');
    assert.equal(stdin.listenerCount('data'), 0);
    assert.equal(stdout.listenerCount('resize'), 0);
  });

  it('forwards a resize of the terminal to the child', async () => {
    const child = startChild('read a; tput cols; stty size; read b');
    const stdin = fakeStdin();
    const stdout = new FakeStdout(80, 24);
    const outcome = handOffFullscreen(child.session, io(stdin, stdout), child.ended);
    stdout.resizeTo(133, 41);
    await waitFor(() => child.session.snapshot().cols === 133, 'the pty to follow, even a resize during the drain');
    stdin.write('\r');
    await waitFor(() => /133\r?\n41 133/.test(stdout.text), 'the child to see the new size', { describe: () => JSON.stringify(stdout.text) });
    stdin.write(DETACH_KEY);
    assert.equal(await within(outcome, 5000, 'detach'), 'detached');
  });
});
