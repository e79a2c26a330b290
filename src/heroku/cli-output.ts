// Reading the heroku CLI's words: the command as the user would type it, and the error in
// its stderr. Kept apart from cli-runner.ts so that naming a command loads no execa.
import path from 'node:path';
import stripAnsi from 'strip-ansi';
import { displayCommand } from './argv.js';

/** What the CLI prints when a call meets a 401: it waits for a key to open a browser. */
export const LOGIN_PROMPT = /Press any key to open up the browser to login/;

/** The command as the user would type it, for errors: `heroku ps --json -a acme-web`. */
export function attemptedCommand(argv: readonly string[], bin: string): string {
  return displayCommand(argv, path.basename(bin) === 'heroku' ? 'heroku' : bin);
}

const BANG_ERROR = /^ ?[›»] {3}(\w*Error): ?(.*)$/;
const BANG_WARNING = /^ ?[›»] {3}Warning: ?(.*)$/;
const BANG_MORE = /^ ?[›»](?: {3}(.*))?$/;
const PLAIN_ERROR = /^ {4}(\w*Error): (.*)$/;
const PLAIN_MORE = /^ {4}(.*)$/;

/**
 * The error text in the CLI's stderr: ` ›   Error: ` blocks (and the four-space form
 * oclif uses for plain JavaScript errors) with their prefixes stripped; ` ›   Warning:`
 * blocks are dropped, warnings never count as errors. Falls back to the last other
 * lines when no block is marked. Empty when stderr holds nothing but warnings.
 */
export function cliProblem(stderr: string): string {
  const lines = stripAnsi(stderr).split(/\r?\n/);
  const errors: string[] = [];
  const other: string[] = [];
  let block: 'bang-error' | 'plain-error' | 'warning' | null = null;
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = BANG_WARNING.exec(line))) {
      block = 'warning';
    } else if ((m = BANG_ERROR.exec(line))) {
      block = 'bang-error';
      errors.push(m[1] === 'Error' ? (m[2] ?? '') : `${m[1]}: ${m[2] ?? ''}`);
    } else if (block !== 'plain-error' && (m = PLAIN_ERROR.exec(line))) {
      block = 'plain-error';
      errors.push(m[1] === 'Error' ? (m[2] ?? '') : `${m[1]}: ${m[2] ?? ''}`);
    } else if ((block === 'bang-error' || block === 'warning') && (m = BANG_MORE.exec(line))) {
      if (block === 'bang-error') errors.push(m[1] ?? '');
    } else if (block === 'plain-error' && (m = PLAIN_MORE.exec(line))) {
      errors.push(m[1] ?? '');
    } else {
      block = null;
      if (line.trim() !== '') other.push(line.trim());
    }
  }
  const text = errors.length > 0 ? errors : other.slice(-3);
  return text
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .join('\n');
}
