import { parseArgs } from 'node:util';

export interface RunOptions {
  demo: boolean;
  /** Sessions take the whole terminal (toggled with `f` in the picker). */
  fullscreen: boolean;
  /** A folder for asciicast recordings of every session, or null. */
  record: string | null;
}

export type ParsedArgs =
  | { kind: 'run'; options: RunOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

export const usage = `Usage: dynotty [options]

Pick a Heroku app and dyno, compare the ways in, and get a shell.

Options:
  --demo          use the built-in demo fleet (local processes stand in for dynos;
                  no Heroku account needed). This is the default for now.
  --fullscreen    sessions take the whole terminal (f in the picker toggles it)
  --record DIR    record every session as an asciicast v2 file in DIR (mode 0600)
  -h, --help      show this help and exit
  -v, --version   print the version and exit

Keys: arrows or j/k move, Tab or h/l switch lists, / filters, Enter opens the
recommended mode, r runs a one-off, x execs into the dyno (run:inside on Fir),
1-9 bring a session back, Ctrl-] detaches from one, R refreshes, ? shows every
key, q or Ctrl-C quits.

Environment:
  NO_COLOR        any value turns colour off (states keep their symbols)
`;

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let values: { demo?: boolean; help?: boolean; version?: boolean; fullscreen?: boolean; record?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        demo: { type: 'boolean' },
        fullscreen: { type: 'boolean' },
        record: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // Node's messages run on with advice about '--'; the first sentence is the useful part.
    const message = err instanceof Error ? (err.message.split('. ')[0] ?? err.message) : String(err);
    return { kind: 'error', message: message.replace(/^Unknown/, 'unknown').replace(/^Unexpected/, 'unexpected') };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (values.record !== undefined && values.record.trim() === '') return { kind: 'error', message: '--record needs a folder' };
  return {
    kind: 'run',
    options: { demo: values.demo ?? true, fullscreen: values.fullscreen ?? false, record: values.record ?? null },
  };
}
