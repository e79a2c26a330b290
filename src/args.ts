import { parseArgs } from 'node:util';
import { PROTECT_PATTERN } from './access/protect.js';

export type SourceChoice = 'auto' | 'api' | 'cli' | 'demo';
const SOURCES: readonly SourceChoice[] = ['auto', 'api', 'cli', 'demo'];

export interface RunOptions {
  source: SourceChoice;
  /** `-a/--app`: the app selected at start. */
  app: string | null;
  /** `-r/--remote`: the git remote whose app is selected at start. */
  remote: string | null;
  /** `--heroku-bin`: the heroku CLI to use instead of the one on PATH. */
  herokuBin: string | null;
  /** `--size`: the dyno size `heroku run` asks for. */
  size: string | null;
  /** Sessions take the whole terminal (toggled with `f` in the picker). */
  fullscreen: boolean;
  /** A folder for asciicast recordings of every session, or null. */
  record: string | null;
  /** `--protect PATTERN` (repeatable): exec into these apps asks for the app's name first. */
  protect: string[];
}

export type ParsedArgs =
  | { kind: 'run'; options: RunOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

export const usage = `Usage: dynotty [options]

Pick a Heroku app and dyno, compare the ways in, and get a shell.

Options:
  --demo              the built-in demo fleet: local processes stand in for dynos,
                      no Heroku account needed (same as --source demo)
  --source SOURCE     where apps and dynos come from: auto (default), api, cli, demo
                        api   the Platform API with your token (HEROKU_API_KEY,
                              ~/.netrc, or heroku auth:token)
                        cli   the heroku CLI (heroku apps --json, heroku ps --json)
                        auto  api when a token is found, else cli; else a start
                              screen that says what is missing and offers the demo
  -a, --app APP       select APP at start (else HEROKU_APP, else the git remote)
  -r, --remote NAME   select the app of this git remote at start
  --heroku-bin PATH   the heroku CLI to run (default: heroku on PATH)
  --size SIZE         dyno size for heroku run (e.g. Standard-2X)
  --fullscreen        sessions take the whole terminal (f in the picker toggles it)
  --record DIR        record every session as an asciicast v2 file in DIR (mode 0600)
  --protect PATTERN   production guard: exec into a matching app (e.g. '*-prod')
                      asks you to type the app's name first; repeatable
  -h, --help          show this help and exit
  -v, --version       print the version and exit

Keys: arrows or j/k move, Tab or ←/→ switch lists, / filters, Enter opens the
recommended mode, r runs a one-off, x execs into the dyno (run:inside on Fir),
l shows the dyno's logs, s restarts it, c copies the command line (OSC 52),
1-9 bring a session back, Ctrl-] detaches from one, R refreshes, ? shows every
key, q or Ctrl-C quits.

Environment:
  HEROKU_API_KEY  the API token (never put on any command line)
  HEROKU_HOST     another API host, as the heroku CLI reads it
  HEROKU_APP      the app selected at start
  NO_COLOR        any value turns colour off (states keep their symbols)
`;

const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
const SIZE_NAME = /^[A-Za-z][A-Za-z0-9.-]{0,39}$/;

interface Values {
  demo?: boolean;
  source?: string;
  app?: string;
  remote?: string;
  'heroku-bin'?: string;
  size?: string;
  help?: boolean;
  version?: boolean;
  fullscreen?: boolean;
  record?: string;
  protect?: string[];
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        demo: { type: 'boolean' },
        source: { type: 'string' },
        app: { type: 'string', short: 'a' },
        remote: { type: 'string', short: 'r' },
        'heroku-bin': { type: 'string' },
        size: { type: 'string' },
        fullscreen: { type: 'boolean' },
        record: { type: 'string' },
        protect: { type: 'string', multiple: true },
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

  const source = values.demo ? 'demo' : (values.source ?? 'auto');
  if (!SOURCES.includes(source as SourceChoice)) {
    return { kind: 'error', message: `--source must be one of ${SOURCES.join(', ')}, not ${JSON.stringify(source)}` };
  }
  if (values.demo && values.source !== undefined && values.source !== 'demo') {
    return { kind: 'error', message: `--demo and --source ${values.source} contradict each other` };
  }
  if (values.app !== undefined && !APP_NAME.test(values.app)) {
    return { kind: 'error', message: `${JSON.stringify(values.app)} is not a Heroku app name (lowercase letters, digits and dashes, 3 to 30 characters, starting with a letter)` };
  }
  if (values.size !== undefined && !SIZE_NAME.test(values.size)) {
    return { kind: 'error', message: `${JSON.stringify(values.size)} is not a dyno size (e.g. Standard-1X, Performance-M)` };
  }
  for (const pattern of values.protect ?? []) {
    if (!PROTECT_PATTERN.test(pattern)) {
      return { kind: 'error', message: `--protect ${JSON.stringify(pattern)}: use an app name, with * and ? as wildcards` };
    }
  }
  for (const flag of ['record', 'heroku-bin', 'remote'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') return { kind: 'error', message: `--${flag} needs a value` };
  }
  return {
    kind: 'run',
    options: {
      source: source as SourceChoice,
      app: values.app ?? null,
      remote: values.remote ?? null,
      herokuBin: values['heroku-bin'] ?? null,
      size: values.size ?? null,
      fullscreen: values.fullscreen ?? false,
      record: values.record ?? null,
      protect: values.protect ?? [],
    },
  };
}
