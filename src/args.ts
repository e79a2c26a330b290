import { parseArgs } from 'node:util';
import { PROTECT_PATTERN } from './access/protect.js';
import type { ConfigFile } from './config.js';

export type SourceChoice = 'auto' | 'api' | 'cli' | 'demo';
export const SOURCES: readonly SourceChoice[] = ['auto', 'api', 'cli', 'demo'];
/** `--mode`: what a scripted session opens. `exec` means run:inside on a Fir app. */
export type ScriptMode = 'run' | 'exec';
const SCRIPT_MODES: readonly ScriptMode[] = ['run', 'exec'];

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
  /** `--protect PATTERN` (repeatable) and the config file's: exec into these apps asks for the app's name first. */
  protect: string[];
  /** `--config PATH`: the config file to read instead of the default one. */
  config: string | null;
  /** From the config file; null: each source's own default. */
  refreshSeconds: number | null;
  cliTimeoutMs: number | null;
  apiTimeoutMs: number | null;
}

/** The options a flag set, so the config file fills in only the others. */
export type ExplicitFlags = ReadonlySet<'source' | 'size' | 'record'>;

/** `--app APP --dyno NAME --mode run|exec`: one session, straight away, no picker. */
export interface SessionTarget {
  app: string;
  dyno: string | null;
  mode: ScriptMode;
}

export type ParsedArgs =
  | { kind: 'run'; options: RunOptions; explicit: ExplicitFlags }
  | { kind: 'session'; options: RunOptions; explicit: ExplicitFlags; target: SessionTarget }
  | { kind: 'ls'; options: RunOptions; explicit: ExplicitFlags; json: boolean }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

export const usage = `Usage: dynotty [options]                     the picker (full screen)
       dynotty -a APP --mode run               a one-off dyno's shell, no picker
       dynotty -a APP --dyno NAME --mode exec  a shell in a live dyno, no picker
       dynotty ls [-a APP] [--json]            print the fleet and exit

Pick a Heroku app and dyno, compare the ways in, and get a shell.

Options:
  --demo             the built-in demo fleet: local processes stand in for
                     dynos, no Heroku account needed (same as --source demo)
  --source SOURCE    where apps and dynos come from: auto (default), api, cli,
                     demo
                       api   the Platform API with your token (HEROKU_API_KEY,
                             ~/.netrc, or heroku auth:token)
                       cli   the heroku CLI (heroku apps/ps --json)
                       auto  api when a token is found, else cli; else a
                             start screen that says what is missing
  -a, --app APP      select APP at start (else HEROKU_APP, else the git
                     remote); with --mode, the app to open; with ls, the only
                     app listed
  -r, --remote NAME  select the app of this git remote at start
  --dyno NAME        with --mode: the dyno (web.1, web-848cd4f64d-pvpr2)
  --mode run|exec    open this session at once, without the picker, and exit
                     with its status. run: heroku run bash -x, the remote
                     command's status. exec: heroku ps:exec (run:inside -x on
                     Fir); ps:exec does not pass the remote status back, so
                     exec exits with the heroku CLI's own (0 once connected)
  --json             with ls: JSON instead of a table (shape in the README)
  --heroku-bin PATH  the heroku CLI to run (default: heroku on PATH)
  --size SIZE        dyno size for heroku run (e.g. Standard-2X)
  --fullscreen       sessions take the whole terminal (f toggles it)
  --record DIR       record every session as an asciicast v2 file in DIR
  --protect PATTERN  production guard: exec into a matching app (e.g. '*-prod')
                     asks you to type the app's name first; repeatable, added
                     to the config file's list. Apps in a pipeline's
                     production stage are guarded too (api source only)
  --config PATH      the config file (default: $XDG_CONFIG_HOME/dynotty/
                     config.json, else ~/.config/dynotty/config.json)
  -h, --help         show this help and exit
  -v, --version      print the version and exit

Keys in the picker:
  arrows, j k        move in the focused list; PgUp PgDn, g G: page, ends
  Tab, <- ->, h      focus the apps or the dynos list (h: apps)
  /                  filter (fuzzy over names); Enter keeps, Esc clears
  Enter              open the recommended mode (heroku run bash)
  r                  heroku run bash: a new one-off dyno of the app
  x                  heroku ps:exec into the dyno (heroku run:inside on Fir)
  l                  logs (heroku logs --tail) of the dyno, or of the app
  s                  restart the dyno (heroku ps:restart), after a yes
  c                  copy the highlighted mode's exact command (OSC 52)
  f                  full-screen hand-off for the next sessions (on/off)
  1-9                bring session N back
  R                  refresh now
  ?                  every key, on screen
  q, Ctrl-C          quit (asks first while sessions are live)
Keys in the logs view:
  arrows, j k        scroll; PgUp PgDn page; g G oldest, newest (following)
  space, p           pause (lines are still collected)
  /, n, N            search; next, previous match
  Esc, q             back to the picker (the logs command ends)
Keys in a session:
  Ctrl-]             detach: back to the picker; the session keeps running
  anything else      goes to the session; Enter after it ended returns

Exit status: 0 done; 1 a failure (the source could not list, a mode the
rules refuse, the production guard not confirmed); 2 a usage error (a bad
flag, app or dyno name or config file; an app or dyno not in the fleet; no
terminal). With --mode: the session's own status (128+N after signal N).

Environment:
  HEROKU_API_KEY     the API token (never put on any command line)
  HEROKU_HOST        another API host, as the heroku CLI reads it
  HEROKU_APP         the app selected at start
  XDG_CONFIG_HOME    where the config file is looked for (dynotty/config.json)
  NO_COLOR           any value turns colour off (states keep their symbols)
`;

export const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
export const SIZE_NAME = /^[A-Za-z][A-Za-z0-9.-]{0,39}$/;
/** `web.1`, `worker_2.3`, one-off `run.4821`, Fir `web-848cd4f64d-pvpr2`: never a leading dash or a space. */
export const DYNO_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(?:[.-][a-zA-Z0-9_]+)*$/;
const MAX_DYNO_NAME = 100;

interface Values {
  demo?: boolean;
  source?: string;
  app?: string;
  remote?: string;
  dyno?: string;
  mode?: string;
  json?: boolean;
  config?: string;
  'heroku-bin'?: string;
  size?: string;
  help?: boolean;
  version?: boolean;
  fullscreen?: boolean;
  record?: string;
  protect?: string[];
}

const error = (message: string): ParsedArgs => ({ kind: 'error', message });

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        demo: { type: 'boolean' },
        source: { type: 'string' },
        app: { type: 'string', short: 'a' },
        remote: { type: 'string', short: 'r' },
        dyno: { type: 'string' },
        mode: { type: 'string' },
        json: { type: 'boolean' },
        config: { type: 'string' },
        'heroku-bin': { type: 'string' },
        size: { type: 'string' },
        fullscreen: { type: 'boolean' },
        record: { type: 'string' },
        protect: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    // Node's messages run on with advice about '--'; the first sentence is the useful part.
    const message = err instanceof Error ? (err.message.split('. ')[0] ?? err.message) : String(err);
    const ambiguous = /^Option '(-[^' ]+)[^']*' argument is ambiguous/.exec(message);
    if (ambiguous) return error(`${ambiguous[1]} needs a value, and a value starting with - is not one`);
    return error(message.replace(/^Unknown/, 'unknown').replace(/^Unexpected/, 'unexpected').replace(/\.$/, ''));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...extra] = positionals;
  if (command !== undefined && command !== 'ls') return error(`unexpected argument '${command}'`);
  if (extra.length > 0) return error(`unexpected argument '${extra[0]}'`);
  const listing = command === 'ls';

  const source = values.demo ? 'demo' : (values.source ?? 'auto');
  if (!SOURCES.includes(source as SourceChoice)) {
    return error(`--source must be one of ${SOURCES.join(', ')}, not ${JSON.stringify(source)}`);
  }
  if (values.demo && values.source !== undefined && values.source !== 'demo') {
    return error(`--demo and --source ${values.source} contradict each other`);
  }
  if (values.app !== undefined && !APP_NAME.test(values.app)) {
    return error(`${JSON.stringify(values.app)} is not a Heroku app name (lowercase letters, digits and dashes, 3 to 30 characters, starting with a letter)`);
  }
  if (values.dyno !== undefined && (!DYNO_NAME.test(values.dyno) || values.dyno.length > MAX_DYNO_NAME)) {
    return error(`${JSON.stringify(values.dyno)} is not a dyno name (e.g. web.1, worker.2, run.4821, web-848cd4f64d-pvpr2)`);
  }
  if (values.mode !== undefined && !SCRIPT_MODES.includes(values.mode as ScriptMode)) {
    return error(`--mode must be run or exec, not ${JSON.stringify(values.mode)}`);
  }
  if (values.size !== undefined && !SIZE_NAME.test(values.size)) {
    return error(`${JSON.stringify(values.size)} is not a dyno size (e.g. Standard-1X, Performance-M)`);
  }
  for (const pattern of values.protect ?? []) {
    if (!PROTECT_PATTERN.test(pattern)) {
      return error(`--protect ${JSON.stringify(pattern)}: use an app name, with * and ? as wildcards`);
    }
  }
  for (const flag of ['record', 'heroku-bin', 'remote', 'config'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') return error(`--${flag} needs a value`);
  }
  if (listing && (values.mode !== undefined || values.dyno !== undefined)) return error('ls takes no --mode or --dyno: it lists every dyno');
  if (!listing && values.json) return error('--json goes with ls: dynotty ls --json');
  if (values.dyno !== undefined && values.mode === undefined) return error('--dyno needs --mode run or --mode exec');
  if (values.mode !== undefined && values.app === undefined) return error(`--mode needs --app APP: dynotty --app APP${values.mode === 'exec' ? ' --dyno NAME' : ''} --mode ${values.mode}`);
  if (values.mode === 'exec' && values.dyno === undefined) return error('--mode exec needs --dyno NAME: the live dyno to enter');
  if ((values.mode !== undefined || listing) && values.remote !== undefined) return error(`--remote selects an app in the picker; ${listing ? 'ls' : '--mode'} takes --app APP`);

  const explicit = new Set<'source' | 'size' | 'record'>();
  if (values.demo || values.source !== undefined) explicit.add('source');
  if (values.size !== undefined) explicit.add('size');
  if (values.record !== undefined) explicit.add('record');
  const options: RunOptions = {
    source: source as SourceChoice,
    app: values.app ?? null,
    remote: values.remote ?? null,
    herokuBin: values['heroku-bin'] ?? null,
    size: values.size ?? null,
    fullscreen: values.fullscreen ?? false,
    record: values.record ?? null,
    protect: values.protect ?? [],
    config: values.config ?? null,
    refreshSeconds: null,
    cliTimeoutMs: null,
    apiTimeoutMs: null,
  };
  if (listing) return { kind: 'ls', options, explicit, json: values.json ?? false };
  if (values.mode !== undefined && values.app !== undefined) {
    return { kind: 'session', options, explicit, target: { app: values.app, dyno: values.dyno ?? null, mode: values.mode as ScriptMode } };
  }
  return { kind: 'run', options, explicit };
}

/** The config file's values under the flags': a flag always wins; protect lists are merged. */
export function withConfig(options: RunOptions, explicit: ExplicitFlags, config: ConfigFile): RunOptions {
  const seconds = (s: number | undefined): number | null => (s === undefined ? null : Math.round(s * 1000));
  return {
    ...options,
    source: explicit.has('source') ? options.source : (config.source ?? options.source),
    size: explicit.has('size') ? options.size : (config.runSize ?? options.size),
    record: explicit.has('record') ? options.record : (config.recordDir ?? options.record),
    protect: [...new Set([...(config.protect ?? []), ...options.protect])],
    refreshSeconds: config.refreshSeconds ?? options.refreshSeconds,
    cliTimeoutMs: seconds(config.cliTimeoutSeconds) ?? options.cliTimeoutMs,
    apiTimeoutMs: seconds(config.apiTimeoutSeconds) ?? options.apiTimeoutMs,
  };
}
