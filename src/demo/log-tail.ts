// `heroku logs --tail` on the demo fleet: real tailing of the log files the dyno
// processes append to. The last lines first (all files merged by timestamp, as
// logplex merges sources), then whatever is appended, polled like `tail -F` does.
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LogHandlers, LogStream } from '../ops/operations.js';

export interface FileTailOptions {
  /** The files to follow; called again on every poll, so a file that appears later is picked up. */
  files: () => Promise<string[]>;
  /** Lines shown from before the start (heroku logs shows 100). */
  initialLines?: number;
  pollMs?: number;
  /** Applied to each complete line before it is handed on (the CLI's colouring). */
  decorate?: (line: string) => string;
}

const HISTORY_BYTES = 256 * 1024;
const READ_LIMIT = 4 * 1024 * 1024;

async function readRange(file: string, start: number, end: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const length = Math.max(0, Math.min(end - start, READ_LIMIT));
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, start);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The log files of one dyno, or of every dyno (and the router) of an app. */
export function demoLogFiles(logDir: string, dyno: string | null): () => Promise<string[]> {
  return async () => {
    if (dyno !== null) return [path.join(logDir, `${dyno}.log`)];
    try {
      return (await readdir(logDir)).filter((f) => f.endsWith('.log')).sort().map((f) => path.join(logDir, f));
    } catch {
      return [];
    }
  };
}

export function tailFiles(opts: FileTailOptions, handlers: LogHandlers): LogStream {
  const initial = opts.initialLines ?? 100;
  const decorate = opts.decorate ?? ((l: string) => l);
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const emit = (lines: string[]): void => {
    if (lines.length > 0 && !stopped) handlers.onData(lines.map((l) => `${decorate(l)}\n`).join(''));
  };

  const complete = (file: string, text: string): string[] => {
    const parts = ((partial.get(file) ?? '') + text).split('\n');
    partial.set(file, parts.pop() ?? '');
    return parts;
  };

  const start = async (): Promise<void> => {
    const lines: string[] = [];
    for (const file of await opts.files()) {
      const size = await stat(file).then((s) => s.size).catch(() => 0);
      offsets.set(file, size);
      const from = Math.max(0, size - HISTORY_BYTES);
      const text = size === 0 ? '' : await readRange(file, from, size).catch(() => '');
      const got = complete(file, text);
      lines.push(...(from > 0 ? got.slice(1) : got).slice(-initial));
    }
    // Timestamps lead every line (ISO 8601 in UTC): as strings they sort in time order.
    lines.sort((a, b) => (a.slice(0, 32) < b.slice(0, 32) ? -1 : a.slice(0, 32) > b.slice(0, 32) ? 1 : 0));
    emit(lines.slice(-initial));
  };

  const poll = async (): Promise<void> => {
    const lines: string[] = [];
    for (const file of await opts.files()) {
      const size = await stat(file).then((s) => s.size).catch(() => null);
      if (size === null) continue;
      let offset = offsets.get(file) ?? 0;
      if (size < offset) {
        // Truncated or replaced: start again from its beginning, as tail -F does.
        offset = 0;
        partial.delete(file);
      }
      if (size > offset) {
        const text = await readRange(file, offset, size).catch(() => '');
        offsets.set(file, offset + Buffer.byteLength(text));
        lines.push(...complete(file, text));
      } else offsets.set(file, offset);
    }
    lines.sort((a, b) => (a.slice(0, 32) < b.slice(0, 32) ? -1 : a.slice(0, 32) > b.slice(0, 32) ? 1 : 0));
    emit(lines);
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = poll().catch((err: unknown) => {
        stopped = true;
        handlers.onEnd(`reading the demo logs failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      void running.then(schedule);
    }, opts.pollMs ?? 200);
  };

  running = start().then(schedule, (err: unknown) => {
    stopped = true;
    handlers.onEnd(`reading the demo logs failed: ${err instanceof Error ? err.message : String(err)}`);
  });

  return {
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
