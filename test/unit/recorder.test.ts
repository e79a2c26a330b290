import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import xterm from '@xterm/headless';
import type { RecorderMeta } from '../../src/session/recorder.js';
import { AsciicastRecorder, recordingStem } from '../../src/session/recorder.js';

const { Terminal } = xterm;

type Event = [number, string, string];

function readCast(file: string): { header: Record<string, unknown>; events: Event[]; raw: string } {
  const raw = readFileSync(file, 'utf8');
  assert.ok(raw.endsWith('\n'), 'every line ends with a newline');
  const [first, ...rest] = raw.trimEnd().split('\n');
  const header = JSON.parse(first ?? '') as Record<string, unknown>;
  const events = rest.map((line) => {
    const ev = JSON.parse(line) as unknown;
    assert.ok(Array.isArray(ev) && ev.length === 3, `event shape: ${line}`);
    assert.equal(typeof ev[0], 'number');
    assert.equal(typeof ev[1], 'string');
    assert.equal(typeof ev[2], 'string');
    return ev as Event;
  });
  return { header, events, raw };
}

function meta(fileStem: string, extra: Partial<RecorderMeta> = {}): RecorderMeta {
  return { width: 80, height: 24, command: 'heroku run bash -a acme-billing', fileStem, ...extra };
}

function writeTerm(term: InstanceType<typeof Terminal>, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

function screen(term: InstanceType<typeof Terminal>): string[] {
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  return lines;
}

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('asciicast recorder', () => {
  let root: string;
  let n = 0;
  const fresh = (): string => path.join(root, `case-${++n}`);

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dynotty-recorder-test-'));
  });

  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('writes the asciicast v2 header with only TERM and SHELL from the env', async () => {
    const dir = fresh();
    const env = { TERM: 'xterm-256color', SHELL: '/bin/bash', HEROKU_API_KEY: 'secret-token' };
    const before = Math.floor(Date.now() / 1000);
    const rec = await AsciicastRecorder.create(dir, meta('header', { width: 132, height: 43, title: 'acme-billing web.1', env }));
    await rec.close();
    const afterTs = Math.floor(Date.now() / 1000);
    assert.equal(rec.path, path.join(dir, 'header.cast'));
    const { header, events, raw } = readCast(rec.path);
    assert.equal(header.version, 2);
    assert.equal(header.width, 132);
    assert.equal(header.height, 43);
    assert.ok(Number.isInteger(header.timestamp));
    assert.ok((header.timestamp as number) >= before && (header.timestamp as number) <= afterTs);
    assert.equal(header.command, 'heroku run bash -a acme-billing');
    assert.equal(header.title, 'acme-billing web.1');
    assert.deepEqual(header.env, { TERM: 'xterm-256color', SHELL: '/bin/bash' });
    assert.ok(!raw.includes('secret-token'));
    assert.deepEqual(events, []);
  });

  it('leaves out the title when none is given', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('untitled'));
    await rec.close();
    const { header } = readCast(rec.path);
    assert.ok(!('title' in header));
    assert.deepEqual(header.env, {});
  });

  it('writes output and resize events with times relative to the start, never going back', async () => {
    const ticks = [5000, 5000.5, 5250, 5250, 5100, 6000.0000004, 7123.4567891];
    let i = 0;
    const now = (): number => ticks[Math.min(i++, ticks.length - 1)] ?? 0;
    const rec = await AsciicastRecorder.create(fresh(), meta('events', { now }));
    rec.output('one');
    rec.output('two');
    rec.resize(100, 30);
    rec.output('three'); // the clock stepped back: time stays put
    rec.output('four');
    rec.output('five');
    rec.output(''); // nothing to record
    await rec.close();
    const { events } = readCast(rec.path);
    assert.deepEqual(events, [
      [0.0005, 'o', 'one'],
      [0.25, 'o', 'two'],
      [0.25, 'r', '100x30'],
      [0.25, 'o', 'three'],
      [1, 'o', 'four'],
      [2.123457, 'o', 'five'],
    ]);
  });

  it('uses a real monotonic clock by default', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('clock'));
    for (let k = 0; k < 50; k++) rec.output(`line ${k}\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    rec.output('later');
    await rec.close();
    const { events } = readCast(rec.path);
    assert.equal(events.length, 51);
    for (let k = 1; k < events.length; k++) assert.ok((events[k]?.[0] ?? -1) >= (events[k - 1]?.[0] ?? 0));
    const last = events.at(-1)?.[0] ?? 0;
    assert.ok(last >= 0.015 && last < 10, `elapsed ${last}`);
    for (const [t] of events) assert.ok(String(t).split('.')[1] === undefined || (String(t).split('.')[1] ?? '').length <= 6);
  });

  it('ignores nonsensical resizes', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('resize', { now: () => 0 }));
    rec.resize(0, 24);
    rec.resize(Number.NaN, 24);
    rec.resize(80.7, 24.2);
    await rec.close();
    assert.deepEqual(readCast(rec.path).events, [[0, 'r', '80x24']]);
  });

  it('replaying the output into a terminal reproduces the screen', async () => {
    const chunks = [
      'Running bash on acme-billing... up, run.4821\r\n',
      '~ $ \x1b[1;31mred bold\x1b[0m and "quotes" \\ backslash\r\n',
      'héllo ✓ 日本語 \u{1F600}\r\n',
      'par',
      'tial line\r\n',
      '\ttab\x1b[5Ghere\r\n',
      '\x1b[2J\x1b[Hcleared, then\r\nthe last screen\r\n',
    ];
    const rec = await AsciicastRecorder.create(fresh(), meta('replay'));
    for (const c of chunks) rec.output(c);
    await rec.close();

    const direct = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
    const replayed = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
    try {
      for (const c of chunks) await writeTerm(direct, c);
      const { events } = readCast(rec.path);
      assert.deepEqual(
        events.map((e) => e[2]),
        chunks,
      );
      for (const [, kind, data] of events) if (kind === 'o') await writeTerm(replayed, data);
      assert.deepEqual(screen(replayed), screen(direct));
      assert.equal(screen(replayed)[0], 'cleared, then');
      assert.equal(screen(replayed)[1], 'the last screen');
    } finally {
      direct.dispose();
      replayed.dispose();
    }
  });

  it('keeps everything under load and flushes it on close', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('load'));
    const line = 'x'.repeat(1000);
    for (let k = 0; k < 5000; k++) rec.output(`${k} ${line}\r\n`);
    await rec.close();
    const { events } = readCast(rec.path);
    assert.equal(events.length, 5000);
    assert.equal(events[4999]?.[2], `4999 ${line}\r\n`);
    assert.equal(rec.error, null);
  });

  it('creates the file 0600 and a missing folder 0700, even with a permissive umask', async () => {
    const dir = path.join(fresh(), 'nested', 'recordings');
    const old = process.umask(0);
    try {
      const rec = await AsciicastRecorder.create(dir, meta('perm'));
      await rec.close();
      assert.equal(mode(dir), 0o700);
      assert.equal(mode(path.dirname(dir)), 0o700);
      assert.equal(mode(rec.path), 0o600);
    } finally {
      process.umask(old);
    }
  });

  it('leaves an existing folder as it is, and still makes the file 0600', async () => {
    const dir = fresh();
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const rec = await AsciicastRecorder.create(dir, meta('existing'));
    await rec.close();
    assert.equal(mode(dir), 0o755);
    assert.equal(mode(rec.path), 0o600);
  });

  it('refuses to overwrite an existing file or to follow a symlink', async () => {
    const dir = fresh();
    mkdirSync(dir);
    const existing = path.join(dir, 'taken.cast');
    writeFileSync(existing, 'precious\n');
    await assert.rejects(AsciicastRecorder.create(dir, meta('taken')), /already exists.*taken\.cast/);
    assert.equal(readFileSync(existing, 'utf8'), 'precious\n');

    const target = path.join(dir, 'elsewhere.txt');
    writeFileSync(target, 'do not touch\n');
    symlinkSync(target, path.join(dir, 'link.cast'));
    await assert.rejects(AsciicastRecorder.create(dir, meta('link')), /already exists/);
    assert.equal(readFileSync(target, 'utf8'), 'do not touch\n');

    symlinkSync(path.join(dir, 'missing.txt'), path.join(dir, 'dangling.cast'));
    await assert.rejects(AsciicastRecorder.create(dir, meta('dangling')), /already exists/);
  });

  it('rejects a file stem that is not a plain name', async () => {
    const dir = fresh();
    for (const stem of ['../escape', 'a/b', '', 'with space', 'tab\there']) {
      await assert.rejects(AsciicastRecorder.create(dir, meta(stem)), /Invalid recording name/);
    }
  });

  it('builds file stems from the date and sanitised names', () => {
    const date = new Date(2026, 10, 25, 13, 45, 12);
    assert.equal(recordingStem(date, 'acme-billing', 'web.1', 'exec'), '20261125-134512-acme-billing-web.1-exec');
    assert.equal(recordingStem(date, 'acme-billing', null, 'run'), '20261125-134512-acme-billing-run');
    assert.equal(recordingStem(new Date(2027, 0, 2, 3, 4, 5), 'a', 'b', 'run-inside'), '20270102-030405-a-b-run-inside');
    const hostile = recordingStem(date, '../../etc', 'web.1\x1b[31m/x y\u202e', 'run');
    assert.equal(hostile, '20261125-134512-.._.._etc-web.1__31m_x_y_-run');
    assert.match(hostile, /^[A-Za-z0-9._-]+$/);
    assert.equal(recordingStem(date, 'café', '\u{1F600}', 'exec'), '20261125-134512-caf_-_-exec');
    const long = recordingStem(date, 'a'.repeat(500), 'b'.repeat(500), 'exec');
    assert.ok(long.length < 200, `length ${long.length}`);
  });

  it('close is idempotent, and output after close is ignored', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('idem', { now: () => 0 }));
    rec.output('kept');
    const first = rec.close();
    const second = rec.close();
    assert.equal(first, second);
    await first;
    await rec.close();
    rec.output('dropped');
    rec.resize(10, 10);
    await rec.close();
    assert.deepEqual(readCast(rec.path).events, [[0, 'o', 'kept']]);
    assert.equal(rec.error, null);
  });

  it('a failing stream never throws into the caller: the first error is kept', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('enospc', { now: () => 0 }));
    rec.output('before');
    const disk = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    // The stream the recorder writes through, as a full disk would break it.
    (rec as unknown as { stream: Writable }).stream.destroy(disk);
    assert.doesNotThrow(() => rec.output('after'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rec.error, disk);
    assert.doesNotThrow(() => {
      rec.output('still after');
      rec.resize(90, 30);
    });
    await rec.close();
    await rec.close();
    assert.equal(rec.error, disk, 'the first error stays');
  });

  it('a stream closed under it is an error, not a throw', async () => {
    const rec = await AsciicastRecorder.create(fresh(), meta('closed'));
    (rec as unknown as { stream: Writable }).stream.destroy();
    assert.doesNotThrow(() => rec.output('into the void'));
    assert.match(rec.error?.message ?? '', /closed/);
    await rec.close();
  });
});
