// What every measurement shares: the built CLI, a private temporary folder (the 40 MB
// file lives there, made once), the environment children get, and one clean-up list
// that runs on every exit path.
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchPty } from './pty.js';
import { NODE_FLAGS } from '../../src/node-flags.js';

/** The repository root, from dist/bench/lib. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The bundled CLI: what `bin` and `npm start` run. */
export const cliPath = path.join(repoRoot, 'dist/bundle/cli.js');

/** The terminal every measurement uses (the end-to-end tests' size). */
export const COLS = 100;
export const ROWS = 30;

/** MB here is 10^6 bytes; the flood is exactly 40 MB. */
export const FLOOD_BYTES = 40_000_000;
let doneCount = 0;

/**
 * A command that prints a mark no screen has shown before (a full redraw would repeat an
 * old one); the command line itself shows `DONE-7-$((6*7))`, so only the output matches.
 */
export function doneMark(): { command: string; mark: string } {
  doneCount++;
  return { command: `echo DONE-${doneCount}-$((6*7))`, mark: `DONE-${doneCount}-42` };
}

type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];

/** Runs `fn` at the end (last registered, first run), whatever happens. */
export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn?.();
    } catch (err) {
      console.error(`bench: clean-up step failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

let root: string | null = null;

/** The bench's private temporary folder (0700), removed at the end. */
export function benchDir(): string {
  if (root !== null) return root;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-bench-'));
  root = dir;
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An empty folder under the bench folder (HOME and cwd for dynotty). */
export function emptyDir(name: string): string {
  const dir = path.join(benchDir(), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

let floodFile: string | null = null;

/**
 * A 40 MB text file of lower-case words and numbers in lines of 20-79 columns (no line
 * wraps at 100 columns, no escape sequences, never the upper-case done mark); made once.
 */
export function bigFile(): string {
  if (floodFile !== null) return floodFile;
  const file = path.join(benchDir(), 'flood-40MB.txt');
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'metro', 'nova', 'oscar', 'papa', 'dyno', 'web', 'worker', 'release', 'slug', 'router'];
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  // One MB of varied lines, then variations of it (a line number prefix keeps blocks distinct).
  const lines: string[] = [];
  let size = 0;
  while (size < 1_000_000) {
    const target = 20 + rand(60);
    let line = '';
    while (line.length < target) line += `${words[rand(words.length)] ?? 'x'}${rand(4) === 0 ? ` ${rand(100000)}` : ''} `;
    line = line.slice(0, target).trimEnd();
    lines.push(line);
    size += line.length + 1;
  }
  const fd = openSync(file, 'w', 0o600);
  try {
    let written = 0;
    for (let block = 0; written < FLOOD_BYTES; block++) {
      const text = lines.map((l, i) => (i === 0 ? `${block} ${l}`.slice(0, 79) : l)).join('\n') + '\n';
      const buf = Buffer.from(text).subarray(0, FLOOD_BYTES - written);
      // The last byte of the file is a newline, so the done mark starts its own line.
      if (written + buf.length === FLOOD_BYTES) buf[buf.length - 1] = 0x0a;
      writeSync(fd, buf);
      written += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  if (statSync(file).size !== FLOOD_BYTES) throw new Error(`${file} is not ${FLOOD_BYTES} bytes`);
  floodFile = file;
  return file;
}

let nodeEnv: string | null = null;

/** `--node-env VALUE`: dynotty runs with NODE_ENV=VALUE (an experiment); by default NODE_ENV is unset, as for a user. */
export function setNodeEnv(value: string | null): void {
  nodeEnv = value;
}

/** The user's environment without what would change how children behave under a benchmark. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(CI|CONTINUOUS_INTEGRATION|TMUX|TMUX_PANE|NODE_OPTIONS|NODE_ENV|HEROKU_.*|npm_.*)$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, TERM: 'xterm-256color', LANG: env['LANG'] ?? 'C.UTF-8', ...extra };
}

/**
 * Live ptys, ended at the end whatever happened: SIGHUP first (dynotty then stops its
 * sessions and demo fleet and removes its folders, bash and tmux clients exit), SIGKILL
 * after a grace.
 */
const live = new Set<BenchPty>();
onCleanup(async () => {
  const left = [...live];
  live.clear();
  await Promise.all(
    left.map(async (p) => {
      try {
        p.proc.kill('SIGHUP');
      } catch {
        // gone
      }
      await p.close(3000);
    }),
  );
});

export function track(p: BenchPty): BenchPty {
  live.add(p);
  void p.exit.then(() => live.delete(p));
  return p;
}

export interface DynottyOptions {
  args: string[];
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
  screen?: boolean;
}

let profileDir: string | null = null;

/** `--profile DIR`: every dynotty the bench starts writes a V8 CPU profile there. */
export function setProfileDir(dir: string | null): void {
  profileDir = dir;
}

/** The built CLI straight in a pty (no shell in between), HOME and cwd an empty folder. */
export function startDynotty(opts: DynottyOptions): BenchPty {
  const home = emptyDir('home');
  const prof = profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  return track(
    new BenchPty(process.execPath, [...NODE_FLAGS, ...prof, ...(opts.nodeFlags ?? []), cliPath, ...opts.args], {
      cols: COLS,
      rows: ROWS,
      cwd: home,
      env: baseEnv({ HOME: home, ...(nodeEnv === null ? {} : { NODE_ENV: nodeEnv }), ...opts.env }),
      screen: opts.screen ?? true,
    }),
  );
}

/** The shell the demo fleet's sessions run: bash without rc files, the same prompt. */
export const SHELL_FILE = '/bin/bash';
export const SHELL_ARGS = ['--noprofile', '--norc', '-i'];
export const SHELL_PROMPT = '~ $ ';

export function shellEnv(): Record<string, string> {
  const home = emptyDir('home');
  return baseEnv({ HOME: home, PS1: '\\w $ ', SHELL: SHELL_FILE });
}

/** The picker's full frame: the fleet listed and the comparison pane drawn. */
export const PICKER_READY = /compare ways in: /;
/** The prompt of a session shell on the screen. */
export const PROMPT_ON_SCREEN = /^~ \$/m;

/** Quits dynotty from the picker (no live sessions) and waits for it to go; SIGKILL after `graceMs`. */
export async function quitDynotty(p: BenchPty, graceMs = 5000): Promise<void> {
  p.write('q');
  await p.close(graceMs);
}
