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
  /** Seconds before the dyno reports `up` (a restarted dyno boots slower than the demo's first start). Default 1. */
  bootSeconds?: number;
  /** A web dyno also writes the router's line for each request it logs, into the app's router log. */
  router?: { logFile: string; host: string };
}

/** Env var holding the pid of the dynotty process; the loop ends when it is gone. */
export const PARENT_PID_VAR = 'DYNOTTY_PARENT_PID';

/** Seconds between two application log lines, by behaviour. */
const LOG_EVERY: Record<DynoBehaviour, number> = { serve: 2, work: 3, crash: 1, attached: 0 };
/** Loop turns (about one second each) after booting before the crashing dyno exits. */
const CRASH_AFTER_UP = 1;
/** Seconds a dyno first started by the demo takes to boot. */
const FIRST_BOOT = 1;
/** From spawn until every demo dyno is in its steady state: up, or (the crashing one) crashed. */
export const DEMO_SETTLE_MS = (FIRST_BOOT + CRASH_AFTER_UP) * 1000 + 500;
const ROUTER_PATHS = ['/', '/health', '/api/items', '/assets/app.css'];

export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A `say` call: the text becomes part of a `date` format, so `%` is doubled. */
function say(text: string): string {
  return `say ${shQuote(text.replace(/%/g, '%%'))}`;
}

/** The router's line for a request served by this dyno, as Heroku's router logs it. */
function routerLine(spec: DynoScriptSpec, n: number): string {
  const path = ROUTER_PATHS[n % ROUTER_PATHS.length] ?? '/';
  const status = path === '/api/items' && n % 3 === 2 ? 503 : 200;
  const service = 3 + ((n * 37) % 90);
  return (
    `heroku[router]: at=info method=GET path="${path}" host=${spec.router?.host ?? ''} ` +
    `request_id=00000000-0000-4000-8000-${String(100000000000 + n).slice(-12)} fwd="10.1.${n % 250}.${(n * 7) % 250}" ` +
    `dyno=${spec.dyno} connect=0ms service=${service}ms status=${status} bytes=${512 + n * 13} protocol=https`
  );
}

function appLines(spec: DynoScriptSpec, boot: number): string[] {
  const app = (line: string): string => say(`app[${spec.dyno}]: ${line}`);
  if (spec.behaviour === 'crash') {
    return [`  if [ "$i" -ge ${boot + CRASH_AFTER_UP} ]; then`, ...spec.lines.map((l) => `    ${app(l)}`), '    exit 1', '  fi'];
  }
  const every = LOG_EVERY[spec.behaviour];
  if (every === 0 || spec.lines.length === 0) return [];
  const route = spec.router
    ? [`    case $(((i / ${every}) % ${ROUTER_PATHS.length * 3})) in`, ...Array.from({ length: ROUTER_PATHS.length * 3 }, (_, n) => `      ${n}) ${say(routerLine(spec, n)).replace(/^say /, 'route ')} ;;`), '    esac']
    : [];
  return [
    `  if [ "$i" -gt ${boot} ] && [ $((i % ${every})) -eq 0 ]; then`,
    ...route,
    `    case $(((i / ${every} - 1) % ${spec.lines.length})) in`,
    ...spec.lines.map((l, n) => `      ${n}) ${app(l)} ;;`),
    '    esac',
    '  fi',
  ];
}

export function dynoScript(spec: DynoScriptSpec): string {
  const by = spec.user ? ` by user ${spec.user}` : '';
  const boot = Math.max(1, Math.floor(spec.bootSeconds ?? 1));
  return [
    `log=${shQuote(spec.logFile)}`,
    `rlog=${shQuote(spec.router?.logFile ?? '/dev/null')}`,
    // Logplex stamps microseconds; a date(1) without %N (BSD) gets zeros there.
    "frac=.000000; case $(date +%6N 2>/dev/null) in [0-9][0-9][0-9][0-9][0-9][0-9]) frac=.%6N ;; esac",
    'say() { date -u "+%Y-%m-%dT%H:%M:%S$frac+00:00 $1" >>"$log" 2>/dev/null; }',
    'route() { date -u "+%Y-%m-%dT%H:%M:%S$frac+00:00 $1" >>"$rlog" 2>/dev/null; }',
    say(`heroku[${spec.dyno}]: Starting process with command \`${spec.command}\`${by}`),
    'i=0',
    `while kill -0 "$${PARENT_PID_VAR}" 2>/dev/null; do`,
    '  sleep 1',
    '  i=$((i + 1))',
    `  if [ "$i" -eq ${boot} ]; then ${say(`heroku[${spec.dyno}]: State changed from starting to up`)}; fi`,
    ...appLines(spec, boot),
    'done',
    '',
  ].join('\n');
}
