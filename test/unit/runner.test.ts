import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import xterm from '@xterm/headless';
import { recordingStem } from '../../src/session/recorder.js';
import type { SessionExit } from '../../src/session/pty-session.js';
import { PtyRunner } from '../../src/session/runner.js';
import type { ScreenFrame } from '../../src/session/screen.js';
import { LaunchError } from '../../src/session/spec.js';
import type { SpawnSpec } from '../../src/session/spec.js';
import type { SessionHandle, SessionStartOptions } from '../../src/store/sessions.js';
import { waitFor, within } from '../helpers/wait.js';

const { Terminal } = xterm;

type CastEvent = [number, string, string];

interface Cast {
  header: Record<string, unknown>;
  events: CastEvent[];
}

/** Parses an asciicast v2 file; null while it is still being written (no complete last line). */
function readCast(file: string): Cast | null {
  const raw = readFileSync(file, 'utf8');
  if (!raw.endsWith('\n')) return null;
  const [first, ...rest] = raw.trimEnd().split('\n');
  return {
    header: JSON.parse(first ?? '{}') as Record<string, unknown>,
    events: rest.map((line) => JSON.parse(line) as CastEvent),
  };
}

/** Replays a recording's output events (and resizes) into a terminal and returns its rows. */
async function replay(cast: Cast): Promise<string[]> {
  const term = new Terminal({ cols: Number(cast.header.width), rows: Number(cast.header.height), allowProposedApi: true });
  try {
    for (const [, kind, data] of cast.events) {
      if (kind === 'o') await new Promise<void>((resolve) => term.write(data, resolve));
      if (kind === 'r') {
        const [c, r] = data.split('x').map(Number);
        term.resize(c ?? term.cols, r ?? term.rows);
      }
    }
    const rows: string[] = [];
    for (let y = 0; y < term.rows; y++) rows.push(term.buffer.active.getLine(term.buffer.active.viewportY + y)?.translateToString(true) ?? '');
    return rows;
  } finally {
    term.dispose();
  }
}

function makeSpec(script: string, extra: Partial<SpawnSpec> = {}): SpawnSpec {
  return {
    file: '/bin/sh',
    args: ['-c', script],
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SHELL: '/bin/sh', SECRET_TOKEN: 'hunter2-secret' },
    title: 'heroku ps:exec --dyno web.1 -a acme-web',
    dynoName: null,
    dispose: async () => undefined,
    ...extra,
  };
}

interface Started {
  handle: SessionHandle;
  frames: ScreenFrame[];
  exited: Promise<SessionExit>;
}

const handles: SessionHandle[] = [];

async function start(runner: PtyRunner, spec: SpawnSpec, size = { cols: 77, rows: 19 }): Promise<Started> {
  const frames: ScreenFrame[] = [];
  let resolveExit: (exit: SessionExit) => void = () => undefined;
  const exited = new Promise<SessionExit>((resolve) => {
    resolveExit = resolve;
  });
  const opts: SessionStartOptions = { ...size, onFrame: (f) => frames.push(f), onExit: (e) => resolveExit(e) };
  const handle = await runner.start(spec, opts, { app: 'acme-web', dyno: 'web.1', mode: 'exec' });
  handles.push(handle);
  return { handle, frames, exited };
}

const meta = { app: 'acme-web', dyno: 'web.1', mode: 'exec' } as const;

describe('PtyRunner recording', () => {
  let root: string;
  let n = 0;
  const fresh = (): string => path.join(root, `case-${++n}`);
  const casts = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cast')).sort() : []);

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dynotty-runner-test-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.kill()));
  });

  it('records a session to a 0600 .cast file that replays to the child\'s screen', async () => {
    const dir = fresh();
    const runner = new PtyRunner({ recordDir: dir });
    // The child waits before exiting: output printed right as a child exits can be lost by
    // node-pty (pending-bugs.test.ts), and this test is about the recording.
    const s = await start(runner, makeSpec("read a; printf '\\033[1mBOLD\\033[0m hello from the dyno\\n'; read b; exit 0"));
    const files = casts(dir);
    assert.equal(files.length, 1);
    const file = path.join(dir, files[0] as string);
    assert.match(files[0] as string, /^\d{8}-\d{6}-acme-web-web\.1-exec\.cast$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    s.handle.resize(100, 30);
    s.handle.write('\r');
    const cast = await waitFor(
      () => {
        const c = readCast(file);
        return c !== null && c.events.some((e) => e[1] === 'o' && e[2].includes('hello from the dyno')) ? c : null;
      },
      'the recording to hold the output',
      { describe: () => readFileSync(file, 'utf8') },
    );
    s.handle.write('\r');
    assert.equal((await within(s.exited, 5000, 'exit')).exitCode, 0);
    assert.equal(cast.header.version, 2);
    assert.equal(cast.header.width, 77);
    assert.equal(cast.header.height, 19);
    assert.equal(cast.header.command, 'heroku ps:exec --dyno web.1 -a acme-web');
    assert.deepEqual(cast.header.env, { TERM: 'xterm-256color', SHELL: '/bin/sh' });
    assert.ok(!readFileSync(file, 'utf8').includes('hunter2-secret'), 'no other env var is recorded');
    assert.ok(cast.events.some((e) => e[1] === 'r' && e[2] === '100x30'), 'the resize is recorded');
    const times = cast.events.map((e) => e[0]);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'event times never go back');

    const screen = await replay(cast);
    assert.ok(screen.includes('BOLD hello from the dyno'), `replayed screen:\n${screen.join('\n')}`);
  });

  it('two sessions on the same app, dyno and mode in the same second get two files', async () => {
    const dir = fresh();
    const runner = new PtyRunner({ recordDir: dir });
    const stemBefore = recordingStem(new Date(), meta.app, meta.dyno, meta.mode);
    const a = await start(runner, makeSpec('echo first; read x'));
    const b = await start(runner, makeSpec('echo second; read x'));
    const stemAfter = recordingStem(new Date(), meta.app, meta.dyno, meta.mode);
    const files = casts(dir);
    assert.equal(files.length, 2, `two recordings: ${files.join(', ')}`);
    for (const f of files) assert.equal(statSync(path.join(dir, f)).mode & 0o777, 0o600);
    if (stemBefore === stemAfter) assert.deepEqual(files, [`${stemBefore}-2.cast`, `${stemBefore}.cast`]);
    const outputs = await Promise.all(
      files.map((f) =>
        waitFor(() => {
          const c = readCast(path.join(dir, f));
          const text = c === null ? '' : c.events.map((e) => e[2]).join('');
          return /first|second/.test(text) ? text : null;
        }, `the output in ${f}`),
      ),
    );
    a.handle.write('\r');
    b.handle.write('\r');
    await within(Promise.all([a.exited, b.exited]), 5000, 'both to exit');
    assert.deepEqual(outputs.map((o) => (o.includes('first') ? 'first' : o.includes('second') ? 'second' : o)).sort(), ['first', 'second']);
  });

  it('sessions started at once still get one file each', async () => {
    const dir = fresh();
    const runner = new PtyRunner({ recordDir: dir });
    const started = await Promise.all([1, 2, 3].map((i) => start(runner, makeSpec(`echo run-${i}; exit 0`))));
    await within(Promise.all(started.map((s) => s.exited)), 5000, 'all to exit');
    assert.equal(casts(dir).length, 3);
  });

  it('records nothing when recordDir is null', async () => {
    const cwd = fresh();
    const runner = new PtyRunner({ recordDir: null });
    const before = readdirSync(root).sort();
    const s = await start(runner, makeSpec('echo unrecorded; exit 0', { cwd: os.tmpdir() }));
    s.handle.setVisible(true);
    const exit = await within(s.exited, 5000, 'exit');
    assert.equal(exit.exitCode, 0);
    assert.ok(s.frames.length > 0, 'the session itself works');
    assert.deepEqual(readdirSync(root).sort(), before, 'no file or folder was made');
    assert.equal(existsSync(cwd), false);
  });

  it('rejects with LaunchError when the recording folder cannot be made', async () => {
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const runner = new PtyRunner({ recordDir: path.join(blocker, 'recordings') });
    await assert.rejects(runner.start(makeSpec('exit 0'), { cols: 80, rows: 24, onFrame: () => undefined, onExit: () => undefined }, meta), (err: unknown) => {
      return err instanceof LaunchError && err.message.startsWith(`cannot record to ${path.join(blocker, 'recordings')}`);
    });
  });

  it('rejects with LaunchError when the binary is missing, recording or not', async () => {
    const dir = fresh();
    for (const recordDir of [null, dir]) {
      const runner = new PtyRunner({ recordDir });
      await assert.rejects(
        runner.start(makeSpec('', { file: 'nonexistent-binary-xyz', args: [] }), { cols: 80, rows: 24, onFrame: () => undefined, onExit: () => undefined }, meta),
        { name: 'LaunchError', message: 'nonexistent-binary-xyz was not found on PATH' },
      );
    }
  });
});
