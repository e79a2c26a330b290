import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const { Terminal } = xterm;

/** The repository root, found from this compiled file (dist/test/helpers). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The bundled CLI (`npm run build`'s dist/bundle): what `bin` and `npm start` run, so the tests run what users run. */
export const cliPath = path.join(repoRoot, 'dist/bundle/cli.js');

export interface ScreenOptions {
  cols?: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep only the last this many characters of `raw` (a long soak would otherwise hold all of it). */
  rawLimit?: number;
}

/**
 * A program running in a real pseudo-terminal, its screen kept by a real VT emulator:
 * what a user would see, read back as text.
 */
export class PtyScreen {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  /** Every byte the program wrote, for checks on raw sequences. */
  raw = '';
  exit: Promise<{ exitCode: number; signal?: number }>;
  private exited = false;

  constructor(file: string, args: string[], opts: ScreenOptions = {}) {
    const cols = opts.cols ?? 80;
    const rows = opts.rows ?? 24;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    this.proc = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, TERM: 'xterm-256color', ...opts.env } as Record<string, string>,
    });
    this.exit = new Promise((resolve) => {
      this.proc.onExit((e) => {
        this.exited = true;
        resolve(e);
      });
    });
    const rawLimit = opts.rawLimit ?? Number.POSITIVE_INFINITY;
    this.proc.onData((d) => {
      this.raw += d;
      if (this.raw.length > rawLimit) this.raw = this.raw.slice(-rawLimit);
      this.term.write(d);
    });
    // The emulator answers the program's queries (cursor position, device attributes).
    this.term.onData((d) => {
      if (!this.exited) this.proc.write(d);
    });
  }

  /** The visible screen, one string per row, trailing blanks trimmed. */
  lines(): string[] {
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** Lets the emulator finish parsing what has arrived. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  async waitFor(predicate: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = (s: string): boolean =>
      typeof predicate === 'string' ? s.includes(predicate) : predicate instanceof RegExp ? predicate.test(s) : predicate(s);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      const screen = this.text();
      if (test(screen)) return screen;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${String(predicate)}; screen was:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Types, then waits for the screen to show what the keys should bring. Waiting for
   * "any change" would race the clock and the background refresh, which redraw too.
   */
  async send(keys: string, expect: string | RegExp | ((screen: string) => boolean), timeoutMs = 5000): Promise<string> {
    this.proc.write(keys);
    return this.waitFor(expect, timeoutMs);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  async waitExit(timeoutMs = 10_000): Promise<{ exitCode: number; signal?: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms; screen:\n${this.text()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
      await this.flush();
    }
  }

  kill(): void {
    if (!this.exited) {
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.term.dispose();
  }
}

export const keys = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  ctrlC: '\x03',
  backspace: '\x7f',
} as const;
