// Argument vectors handed to the `heroku` binary (never a shell string), and the
// same command rendered as a user would type it.
import type { AccessModeId } from '../access/model.js';

export interface RunOptions {
  /** Dyno size for the one-off dyno; the CLI uses the app's default when absent. */
  size?: string;
  /** `-x`: the remote command's exit status becomes the CLI's (run and run:inside only). */
  exitCode?: boolean;
}

export interface ExecOptions {
  /** Use the system's OpenSSH client: real terminal size and resizes. */
  ssh?: boolean;
}

export type ArgvOptions = RunOptions & ExecOptions;

export function runArgv(appName: string, opts: RunOptions = {}): string[] {
  const argv = ['run', 'bash', '-a', appName];
  if (opts.size) argv.push('--size', opts.size);
  if (opts.exitCode) argv.push('-x');
  return argv;
}

export function execArgv(appName: string, dynoName: string, opts: ExecOptions = {}): string[] {
  const argv = ['ps:exec', '-a', appName, '--dyno', dynoName];
  if (opts.ssh) argv.push('--ssh');
  return argv;
}

export function runInsideArgv(appName: string, dynoName: string, opts: Pick<RunOptions, 'exitCode'> = {}): string[] {
  const argv = ['run:inside', dynoName, 'bash', '-a', appName];
  if (opts.exitCode) argv.push('-x');
  return argv;
}

/** The argv for a mode, or null when the mode needs a dyno and none is selected. */
export function argvFor(
  modeId: AccessModeId,
  appName: string,
  dynoName: string | null,
  opts: ArgvOptions = {},
): string[] | null {
  switch (modeId) {
    case 'run':
      return runArgv(appName, { size: opts.size, exitCode: opts.exitCode });
    case 'exec':
      return dynoName === null ? null : execArgv(appName, dynoName, { ssh: opts.ssh });
    case 'run-inside':
      return dynoName === null ? null : runInsideArgv(appName, dynoName, { exitCode: opts.exitCode });
  }
}

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;
// Characters a terminal would act on (C0, DEL, C1) or that reorder text (bidi).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');
const utf8 = new TextEncoder();

/**
 * One argument, quoted for a POSIX shell. Arguments holding control or bidi
 * characters use `$'...'` with three-digit octal byte escapes (POSIX.1-2024, bash,
 * zsh, ksh; hex escapes may swallow a following hex digit): pasting it runs exactly
 * this argv, and showing it cannot drive the terminal.
 */
export function shellQuote(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  if (!UNPRINTABLE.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`;
  const body = arg
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replace(UNPRINTABLE_ALL, (ch) =>
      Array.from(utf8.encode(ch), (b) => `\\${b.toString(8).padStart(3, '0')}`).join(''),
    );
  return `$'${body}'`;
}

/** The command line as a user would type it, safe to copy and paste. */
export function displayCommand(argv: readonly string[], bin = 'heroku'): string {
  return [bin, ...argv].map(shellQuote).join(' ');
}
