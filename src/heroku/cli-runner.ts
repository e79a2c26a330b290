// Running the real `heroku` CLI for data: an argv (never a shell), stdin closed (the
// CLI otherwise waits for a key at its login prompt), a timeout, cancellation, and its
// stderr turned into a SourceError the user can act on.
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { attemptedCommand, cliProblem, LOGIN_PROMPT } from './cli-output.js';
import type { SourceErrorKind } from './errors.js';
import { SourceError } from './errors.js';
import { forgetGroup, killGroup, trackGroup } from './process-groups.js';

export { attemptedCommand, cliProblem } from './cli-output.js';

export const DEFAULT_TIMEOUT_MS = 20_000;
const KILL_GRACE_MS = 2_000;
const MAX_BUFFER = 256 * 1024 * 1024;

export interface HerokuRunOptions {
  /** The `heroku` executable: a name found on PATH or a path (`--heroku-bin`). */
  bin: string;
  /** The whole environment for the child; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Aborting it (quit) ends the call with a 'cancelled' SourceError. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs `heroku ...argv` and returns its stdout; throws a SourceError when it fails. */
export async function runHeroku(argv: readonly string[], opts: HerokuRunOptions): Promise<string> {
  const attempted = attemptedCommand(argv, opts.bin);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (opts.signal?.aborted) throw cancelled(attempted);

  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, timeoutMs);
  const onCancel = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onCancel, { once: true });

  const child = execa(opts.bin, [...argv], {
    stdin: 'ignore',
    env: opts.env ?? process.env,
    extendEnv: false,
    detached: true,
    cancelSignal: stop.signal,
    forceKillAfterDelay: KILL_GRACE_MS,
    maxBuffer: MAX_BUFFER,
    reject: false,
    encoding: 'utf8',
  });
  const pgid = child.pid;
  let killTimer: NodeJS.Timeout | undefined;
  if (pgid !== undefined) {
    trackGroup(pgid);
    stop.signal.addEventListener(
      'abort',
      () => {
        killGroup(pgid, 'SIGTERM');
        killTimer = setTimeout(() => killGroup(pgid, 'SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
      },
      { once: true },
    );
  }

  const result = await child;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onCancel);
  if (pgid !== undefined) {
    forgetGroup(pgid);
    // Whatever the stopped CLI left behind in its group goes with it.
    if (stop.signal.aborted) killGroup(pgid, 'SIGKILL');
    clearTimeout(killTimer);
  }

  if (opts.signal?.aborted) throw cancelled(attempted);
  if (timedOut) {
    throw new SourceError(attempted, `no answer within ${formatSeconds(timeoutMs)}`, 'press R to retry', 'timeout');
  }
  if (!result.failed) return result.stdout;

  const cause = result.cause;
  const code = cause instanceof Error && 'code' in cause ? (cause as NodeJS.ErrnoException).code : undefined;
  if (code === 'ENOENT') {
    throw new SourceError(
      attempted,
      `${opts.bin} not found`,
      'install the Heroku CLI (https://devcenter.heroku.com/articles/heroku-cli), or give its path with --heroku-bin PATH',
      'missing-cli',
    );
  }
  if (code === 'EACCES') {
    throw new SourceError(attempted, `${opts.bin} cannot be run (permission denied)`, 'check --heroku-bin PATH', 'missing-cli');
  }
  if (result.isMaxBuffer) throw new SourceError(attempted, 'more output than dynotty accepts', null, 'bad-output');
  throw failure(attempted, result.exitCode, result.signal, result.stdout, result.stderr);
}

function cancelled(attempted: string): SourceError {
  return new SourceError(attempted, 'cancelled', null, 'cancelled');
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}


function failure(
  attempted: string,
  exitCode: number | undefined,
  signal: string | undefined,
  stdout: string,
  stderr: string,
): SourceError {
  const problem =
    cliProblem(stderr) ||
    (signal ? `ended by ${signal}` : exitCode !== undefined ? `exited with status ${exitCode}` : 'failed');
  const text = `${stdout}\n${stderr}`;
  let kind: SourceErrorKind = 'other';
  let hint: string | null = null;
  if (/HEROKU_API_KEY is invalid/.test(text)) {
    kind = 'invalid-token';
    hint = 'check HEROKU_API_KEY, or unset it and run heroku login';
  } else if (exitCode === 100 || LOGIN_PROMPT.test(text) || /not logged in/i.test(problem)) {
    kind = 'not-logged-in';
    hint = 'run heroku login';
  } else if (/Couldn't find that/.test(problem)) {
    kind = 'not-found';
  } else if (/rate limit/i.test(problem)) {
    kind = 'rate-limited';
    hint = 'wait a minute, then press R to retry';
  }
  // The login prompt is noise once recognised; say what it means instead.
  const shown = kind === 'not-logged-in' && LOGIN_PROMPT.test(text) ? 'not logged in' : problem;
  return new SourceError(attempted, shown, hint, kind);
}

/** A JSON array from the CLI's stdout, or a 'bad-output' SourceError naming what came back. */
export function parseJsonArray(stdout: string, attempted: string): unknown[] {
  const text = stripAnsi(stdout).trim();
  if (text === '') throw new SourceError(attempted, 'printed nothing (expected a JSON list)', null, 'bad-output');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SourceError(attempted, `printed something other than JSON: ${preview(text)}`, null, 'bad-output');
  }
  if (!Array.isArray(value)) {
    throw new SourceError(attempted, `printed JSON that is not a list: ${preview(text)}`, null, 'bad-output');
  }
  return value;
}

/** The first 80 characters, on one line, with nothing a terminal would act on. */
function preview(text: string): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return flat.length > 80 ? `"${flat.slice(0, 80)}…"` : `"${flat}"`;
}

/** The token `heroku auth:token` prints, or null when not logged in. Never in an error. */
export async function herokuAuthToken(
  bin: string,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<string | null> {
  return lastLineOrNull(['auth:token'], { bin, env, signal, timeoutMs });
}

/** The account's email from `heroku auth:whoami`, or null when not logged in. */
export async function herokuWhoami(
  bin: string,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<string | null> {
  return lastLineOrNull(['auth:whoami'], { bin, env, signal, timeoutMs });
}

async function lastLineOrNull(argv: string[], opts: HerokuRunOptions): Promise<string | null> {
  let stdout: string;
  try {
    stdout = await runHeroku(argv, opts);
  } catch (error) {
    if (error instanceof SourceError && error.kind === 'not-logged-in') return null;
    throw error;
  }
  const line = stripAnsi(stdout)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .pop();
  return line ?? null;
}
