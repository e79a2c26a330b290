import { writeSync } from 'node:fs';
import type { IPty } from 'node-pty';

/** node-pty's internals this reads: the master fd and its write queue. */
type PtyInternals = IPty & { fd?: number; _writeStream?: { _writeQueue?: unknown[] } };

/**
 * node-pty writes through the thread pool: a hop (0.1-0.15 ms, more when that thread waits
 * for a CPU) that shows in key echo. Input up to `maxChars` goes straight to the pty master
 * (non-blocking) when node-pty has nothing queued, so the order holds; what did not go
 * (all of it, when it cannot) is returned for node-pty's own write.
 */
export function writeToPtyNow(proc: IPty, data: string, maxChars: number): string | Buffer | null {
  const { fd, _writeStream } = proc as PtyInternals;
  const queue = _writeStream?._writeQueue;
  if (typeof fd !== 'number' || !Array.isArray(queue) || queue.length > 0 || data.length > maxChars) return data;
  const bytes = Buffer.from(data, 'utf8');
  let written = 0;
  try {
    written = writeSync(fd, bytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
  }
  return written >= bytes.length ? null : bytes.subarray(written);
}
