// Records a session as an asciicast v2 file (`asciinema play` replays it):
// a JSON header line, then one JSON array per event. Recording is a side job:
// a failing disk never throws into the session; the first error is kept.
import { chmod, mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccessModeId } from '../access/model.js';

export interface RecorderMeta {
  width: number;
  height: number;
  /** The command line the session runs, as shown to the user. */
  command: string;
  title?: string;
  /** Only TERM and SHELL are ever written: a session's env may hold secrets. */
  env?: { TERM?: string; SHELL?: string };
  /** The file name without `.cast`; only `[A-Za-z0-9._-]` (see recordingStem). */
  fileStem: string;
  /** A monotonic clock in milliseconds (default performance.now). */
  now?: () => number;
}

const SAFE_STEM = /^[A-Za-z0-9._-]+$/;
const UNSAFE_CHAR = /[^A-Za-z0-9._-]/gu;
/** Keeps a stem well under the usual 255-byte file name limit. */
const MAX_PART = 64;

function safePart(text: string): string {
  return Array.from(text.replace(UNSAFE_CHAR, '_')).slice(0, MAX_PART).join('');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `20261125-134512-acme-billing-web.1-exec` (local time); names are untrusted, so sanitised. */
export function recordingStem(date: Date, app: string, dyno: string | null, mode: AccessModeId): string {
  const stamp =
    `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1)}${pad(date.getDate())}` +
    `-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return [stamp, app, ...(dyno === null ? [] : [dyno]), mode].map(safePart).join('-');
}

function dimension(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 0;
}

/** wx is O_CREAT|O_EXCL: neither an existing file nor a planted symlink is ever written through. */
async function openExclusive(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      // The code stays, so a caller can pick another name.
      throw Object.assign(new Error(`Recording file already exists, not overwriting it: ${file}`), { code: 'EEXIST' });
    }
    throw new Error(`Cannot create recording file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export class AsciicastRecorder {
  private readonly startedAt: number;
  private lastTime = 0;
  private firstError: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    stream.on('error', (err) => this.fail(err));
  }

  static async create(dir: string, meta: RecorderMeta): Promise<AsciicastRecorder> {
    if (!SAFE_STEM.test(meta.fileStem)) {
      throw new Error(`Invalid recording name ${JSON.stringify(meta.fileStem)}: use recordingStem()`);
    }
    const width = dimension(meta.width);
    const height = dimension(meta.height);
    if (width === 0 || height === 0) throw new Error(`Invalid recording size ${meta.width}x${meta.height}`);

    // A folder that already exists keeps its permissions (the user chose them); a new one is 0700.
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) await chmod(dir, 0o700);
    const file = path.join(dir, `${meta.fileStem}.cast`);
    const handle = await openExclusive(file);
    const recorder = new AsciicastRecorder(file, handle.createWriteStream(), meta.now ?? (() => performance.now()));

    const env: Record<string, string> = {};
    if (typeof meta.env?.TERM === 'string') env.TERM = meta.env.TERM;
    if (typeof meta.env?.SHELL === 'string') env.SHELL = meta.env.SHELL;
    const header = {
      version: 2,
      width,
      height,
      timestamp: Math.floor(Date.now() / 1000),
      command: meta.command,
      ...(meta.title === undefined ? {} : { title: meta.title }),
      env,
    };
    recorder.write(JSON.stringify(header));
    return recorder;
  }

  /** The first write error, if any; once set, recording has stopped. */
  get error(): Error | null {
    return this.firstError;
  }

  /** Output from the pty, as decoded text. */
  output(data: string): void {
    if (data.length === 0) return;
    this.event('o', data);
  }

  resize(cols: number, rows: number): void {
    const c = dimension(cols);
    const r = dimension(rows);
    if (c === 0 || r === 0) return;
    this.event('r', `${c}x${r}`);
  }

  /** Flushes and closes the file. Never rejects; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    const stream = this.stream;
    if (stream.closed) return;
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    if (!stream.destroyed && !stream.writableEnded) stream.end();
    await closed;
  }

  private event(kind: 'o' | 'r', data: string): void {
    if (this.firstError !== null || this.closing !== null) return;
    // Monotonic even with an injected clock that steps back.
    const elapsed = Math.max(this.lastTime, (this.now() - this.startedAt) / 1000);
    this.lastTime = elapsed;
    this.write(JSON.stringify([Number(elapsed.toFixed(6)), kind, data]));
  }

  private write(line: string): void {
    if (this.firstError !== null) return;
    if (this.stream.destroyed || this.stream.writableEnded) {
      this.fail(this.stream.errored ?? new Error('recording stream is closed'));
      return;
    }
    // The stream buffers; write() returning false only means "slow down", which a pty cannot.
    this.stream.write(`${line}\n`, (err) => {
      if (err) this.fail(err);
    });
  }

  private fail(err: Error): void {
    this.firstError ??= err;
    if (!this.stream.destroyed) this.stream.destroy();
  }
}
