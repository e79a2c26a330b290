// A program in a real pseudo-terminal, driven the way a user's terminal would drive it,
// with every output chunk timestamped on arrival. Two ways to wait:
// - waitRaw(marker): a byte search in the raw stream (cheap enough for a 40 MB flood);
// - waitScreen(predicate): the bytes go through a headless VT emulator and the predicate
//   reads the screen; the time reported is the arrival of the chunk that made it true,
//   so the bench's own parsing is not counted.
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { performance } from 'node:perf_hooks';
import { writeToPtyNow } from '../../src/session/pty-write.js';

const { Terminal } = xterm;
/** Keys and command lines go straight to the pty master (see write()). */
const KEY_MAX_CHARS = 4096;

export interface BenchPtyOptions {
  cols: number;
  rows: number;
  env: Record<string, string>;
  cwd: string;
  /** Keep a VT emulator of the screen (switch it off with stopScreen() before a flood). */
  screen: boolean;
}

interface RawWaiter {
  marker: Buffer;
  carry: Buffer;
  resolve: (at: number) => void;
}

interface ScreenWaiter {
  test: (lines: string[]) => boolean;
  resolve: (at: number) => void;
}

export class BenchPty {
  /** performance.now() just before the spawn. */
  readonly spawnedAt: number;
  readonly proc: pty.IPty;
  /** Bytes received so far. */
  bytes = 0;
  /** Arrival time of the first output byte, or null. */
  firstByteAt: number | null = null;
  /** Arrival time of the latest chunk. */
  lastChunkAt = 0;
  exited = false;
  readonly exit: Promise<{ exitCode: number; signal?: number }>;
  private term: InstanceType<typeof Terminal> | null;
  private rawWaiters: RawWaiter[] = [];
  private screenWaiters: ScreenWaiter[] = [];
  /** Keeps the last few KB of output for error messages. */
  private recent: Buffer = Buffer.alloc(0);

  constructor(
    readonly file: string,
    readonly args: string[],
    readonly opts: BenchPtyOptions,
  ) {
    this.term = opts.screen ? new Terminal({ cols: opts.cols, rows: opts.rows, allowProposedApi: true, scrollback: 0 }) : null;
    this.spawnedAt = performance.now();
    this.proc = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: opts.cols,
      rows: opts.rows,
      cwd: opts.cwd,
      env: opts.env,
      // Raw bytes: no UTF-8 decoding of a 40 MB flood in the bench itself.
      encoding: null,
    });
    this.exit = new Promise((resolve) => {
      this.proc.onExit((e) => {
        this.exited = true;
        resolve(e);
      });
    });
    // With encoding null node-pty hands over Buffers (its typings say string).
    const onData = this.proc.onData as unknown as pty.IEvent<Buffer>;
    onData((chunk) => this.onChunk(chunk));
    // Answers the program's queries (cursor position, device attributes) like a real terminal.
    this.term?.onData((reply) => this.write(reply));
  }

  private onChunk(chunk: Buffer): void {
    const at = performance.now();
    this.lastChunkAt = at;
    this.firstByteAt ??= at;
    this.bytes += chunk.length;
    this.recent = chunk.length >= 4096 ? chunk.subarray(chunk.length - 4096) : Buffer.concat([this.recent, chunk]).subarray(-4096);
    if (this.rawWaiters.length > 0) this.searchRaw(chunk, at);
    const term = this.term;
    if (term !== null) term.write(chunk, () => this.checkScreen(at));
  }

  private searchRaw(chunk: Buffer, at: number): void {
    for (const w of [...this.rawWaiters]) {
      const buf = w.carry.length > 0 ? Buffer.concat([w.carry, chunk.subarray(0, Math.min(chunk.length, w.marker.length - 1))]) : null;
      const found = (buf !== null && buf.indexOf(w.marker) >= 0) || chunk.indexOf(w.marker) >= 0;
      if (found) {
        this.rawWaiters.splice(this.rawWaiters.indexOf(w), 1);
        w.resolve(at);
        continue;
      }
      const keep = w.marker.length - 1;
      w.carry = Buffer.from(chunk.length >= keep ? chunk.subarray(chunk.length - keep) : Buffer.concat([w.carry, chunk]).subarray(-keep));
    }
  }

  private checkScreen(at: number): void {
    if (this.screenWaiters.length === 0) return;
    const lines = this.lines();
    for (const w of [...this.screenWaiters]) {
      if (w.test(lines)) {
        this.screenWaiters.splice(this.screenWaiters.indexOf(w), 1);
        w.resolve(at);
      }
    }
  }

  /** The visible screen, one string per row, trailing blanks trimmed. */
  lines(): string[] {
    const term = this.term;
    if (term === null) return [];
    const buf = term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < term.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return out;
  }

  /** What arrived last, as text, for error messages. */
  tail(): string {
    const screen = this.lines().join('\n');
    return screen.trim() !== '' ? screen : this.recent.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }

  /** Stops feeding the emulator for good: a flood would otherwise be parsed by the bench too. */
  stopScreen(): void {
    this.term?.dispose();
    this.term = null;
    for (const w of this.screenWaiters.splice(0)) w.resolve(Number.NaN);
  }

  /**
   * Writes and returns performance.now() just before the write. A key goes straight to the
   * pty master, as a terminal's write would: node-pty's own write goes through the thread
   * pool, a hop (0.1-0.15 ms, more when that thread waits for a CPU) that would be counted
   * in every latency measured from here.
   */
  write(data: string): number {
    const at = performance.now();
    if (!this.exited) {
      try {
        const rest = writeToPtyNow(this.proc, data, KEY_MAX_CHARS);
        if (rest !== null) this.proc.write(rest);
      } catch {
        // gone
      }
    }
    return at;
  }

  /** Resolves with the arrival time of the chunk completing `marker`, looking only at output from now on. */
  waitRaw(marker: string, timeoutMs: number, what = marker): Promise<number> {
    return this.withTimeout(
      new Promise<number>((resolve) => this.rawWaiters.push({ marker: Buffer.from(marker), carry: Buffer.alloc(0), resolve })),
      timeoutMs,
      what,
      () => {
        this.rawWaiters = this.rawWaiters.filter((w) => w.marker.toString() !== marker);
      },
    );
  }

  /**
   * Resolves with the arrival time of the chunk after which the screen satisfies `test`
   * (tested at once against the current screen too: then the time is now).
   */
  waitScreen(test: string | RegExp | ((lines: string[]) => boolean), timeoutMs: number, what?: string): Promise<number> {
    if (this.term === null) return Promise.reject(new Error('waitScreen after stopScreen'));
    const fn = typeof test === 'function' ? test : (lines: string[]): boolean => matches(lines.join('\n'), test);
    const label = what ?? String(test);
    const p = new Promise<number>((resolve) => {
      const waiter: ScreenWaiter = { test: fn, resolve };
      this.screenWaiters.push(waiter);
      // The screen may already show it once the emulator has caught up.
      this.term?.write('', () => {
        if (this.screenWaiters.includes(waiter) && fn(this.lines())) {
          this.screenWaiters.splice(this.screenWaiters.indexOf(waiter), 1);
          resolve(performance.now());
        }
      });
    });
    return this.withTimeout(p, timeoutMs, label, () => {
      this.screenWaiters = this.screenWaiters.filter((w) => w.test !== fn);
    });
  }

  /** Resolves once no output has arrived for `quietMs` (or after `maxMs`). */
  async settle(quietMs: number, maxMs = 5000): Promise<void> {
    const end = performance.now() + maxMs;
    for (;;) {
      const now = performance.now();
      if (now - this.lastChunkAt >= quietMs || now > end) return;
      await sleep(Math.min(quietMs, Math.max(1, this.lastChunkAt + quietMs - now)));
    }
  }

  private async withTimeout(p: Promise<number>, timeoutMs: number, what: string, cancel: () => void): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cancel();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} from ${this.file} ${this.args.join(' ')}; screen:\n${this.tail()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits up to `graceMs` for the exit, then SIGKILLs the process. */
  async close(graceMs = 3000): Promise<void> {
    if (!this.exited) {
      const gone = await Promise.race([this.exit.then(() => true), sleep(graceMs).then(() => false)]);
      if (!gone) {
        try {
          this.proc.kill('SIGKILL');
        } catch {
          // gone
        }
        await Promise.race([this.exit, sleep(1000)]);
      }
    }
    (this.proc as pty.IPty & { destroy?: () => void }).destroy?.();
    this.term?.dispose();
    this.term = null;
  }

  /** SIGKILL now, no grace: for clean-up after a failure. */
  kill(): void {
    if (!this.exited) {
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // gone
      }
    }
    this.term?.dispose();
    this.term = null;
  }
}

function matches(text: string, test: string | RegExp): boolean {
  return typeof test === 'string' ? text.includes(test) : test.test(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
