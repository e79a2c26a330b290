// The /bin/sh program a demo dyno runs: a one-second loop (a shell and a
// `sleep` cost far less than a Node process) that writes Heroku-style log
// lines and ends as soon as the dynotty process it watches is gone.
import type { DynoBehaviour } from './fleet-definition.js';

export interface DynoScriptSpec {
  dyno: string;
  command: string;
  behaviour: DynoBehaviour;
  /** Absolute path of the dyno's log file (appended to). */
  logFile: string;
  /** Application lines, cycled (serve, work) or written before exiting 1 (crash). */
  lines: readonly string[];
  /** Shown on the one-off's start line, like `heroku run` does. */
  user?: string;
}

/** Env var holding the pid of the dynotty process; the loop ends when it is gone. */
export const PARENT_PID_VAR = 'DYNOTTY_PARENT_PID';

/** Seconds between two application log lines, by behaviour. */
const LOG_EVERY: Record<DynoBehaviour, number> = { serve: 2, work: 3, crash: 1, attached: 0 };
/** Loop turns (about one second each) before the crashing dyno exits. */
const CRASH_AFTER = 2;
/** From spawn until every demo dyno is in its steady state: up, or (the crashing one) crashed. */
export const DEMO_SETTLE_MS = CRASH_AFTER * 1000 + 500;

export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A `say` call: the text becomes part of a `date` format, so `%` is doubled. */
function say(text: string): string {
  return `say ${shQuote(text.replace(/%/g, '%%'))}`;
}

function appLines(spec: DynoScriptSpec): string[] {
  const app = (line: string): string => say(`app[${spec.dyno}]: ${line}`);
  if (spec.behaviour === 'crash') {
    return [`  if [ "$i" -ge ${CRASH_AFTER} ]; then`, ...spec.lines.map((l) => `    ${app(l)}`), '    exit 1', '  fi'];
  }
  const every = LOG_EVERY[spec.behaviour];
  if (every === 0 || spec.lines.length === 0) return [];
  return [
    `  if [ $((i % ${every})) -eq 0 ]; then`,
    `    case $(((i / ${every} - 1) % ${spec.lines.length})) in`,
    ...spec.lines.map((l, n) => `      ${n}) ${app(l)} ;;`),
    '    esac',
    '  fi',
  ];
}

export function dynoScript(spec: DynoScriptSpec): string {
  const by = spec.user ? ` by user ${spec.user}` : '';
  return [
    `log=${shQuote(spec.logFile)}`,
    'say() { date -u "+%Y-%m-%dT%H:%M:%S+00:00 $1" >>"$log" 2>/dev/null; }',
    say(`heroku[${spec.dyno}]: Starting process with command \`${spec.command}\`${by}`),
    'i=0',
    `while kill -0 "$${PARENT_PID_VAR}" 2>/dev/null; do`,
    '  sleep 1',
    '  i=$((i + 1))',
    `  if [ "$i" -eq 1 ]; then ${say(`heroku[${spec.dyno}]: State changed from starting to up`)}; fi`,
    ...appLines(spec),
    'done',
    '',
  ].join('\n');
}
