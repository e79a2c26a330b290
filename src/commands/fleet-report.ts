// `dynotty ls`: the fleet as data (the stable --json shape) and as a plain table. Pure
// functions: the command feeds them a loaded fleet and prints what they return.
import stringWidth from 'string-width';
import type { AccessModeId, Verdict } from '../access/model.js';
import { modesFor, MODES } from '../access/modes.js';
import { isProtectedApp } from '../access/protect.js';
import { availability } from '../access/rules.js';
import { argvFor, displayCommand, type ArgvOptions } from '../heroku/argv.js';
import type { App, Dyno } from '../heroku/model.js';
import { isOneOff } from '../heroku/model.js';
import type { Fleet, SourceKind } from '../heroku/source.js';
import { sanitize, truncateToWidth } from '../text/sanitize.js';

/** Bumped only when a field changes meaning or goes away; new fields may be added. */
export const REPORT_VERSION = 1;

export interface ModeReport {
  mode: AccessModeId;
  /** `heroku run bash`, `heroku ps:exec`, `heroku run:inside`. */
  title: string;
  /** The exact command dynotty would run, shell-quoted; null when the mode needs a dyno and there is none. */
  command: string | null;
  /** False only for verdict `unavailable`. */
  available: boolean;
  verdict: Verdict;
  reason: string;
}

export interface DynoReport {
  name: string;
  type: string;
  state: string;
  size: string;
  command: string;
  createdAt: string | null;
  oneOff: boolean;
  modes: ModeReport[];
}

export interface AppReport {
  name: string;
  generation: App['generation'];
  team: string | null;
  region: string | null;
  space: { name: string; shield: boolean } | null;
  processTier: string | null;
  /** The runtime-heroku-exec feature: null when the source cannot tell (cli). */
  execEnabled: boolean | null;
  /** null: in no pipeline, or the source cannot tell (cli, demo). */
  pipelineStage: string | null;
  /** Exec into it asks for its name first (--protect, the config file, a production stage). */
  protected: boolean;
  /** Why its dynos could not be listed, or null. */
  error: string | null;
  /** A one-off dyno needs no existing dyno: `run`, for an app listed with none too. */
  run: ModeReport;
  dynos: DynoReport[];
}

export interface FleetReport {
  version: number;
  source: SourceKind;
  account: string | null;
  apps: AppReport[];
}

export interface ReportOptions {
  source: SourceKind;
  isProtected: (app: string) => boolean;
  argv: ArgvOptions;
}

function modeReport(mode: AccessModeId, app: App, dyno: Dyno | null, argv: ArgvOptions): ModeReport {
  const a = availability(mode, { app, dyno });
  const args = argvFor(mode, app.name, dyno?.name ?? null, argv);
  return {
    mode,
    title: MODES[mode].title,
    command: args === null ? null : displayCommand(args),
    available: a.verdict !== 'unavailable',
    verdict: a.verdict,
    reason: a.reason,
  };
}

export function fleetReport(fleet: Fleet, options: ReportOptions): FleetReport {
  return {
    version: REPORT_VERSION,
    source: options.source,
    account: fleet.account,
    apps: fleet.apps.map((app) => ({
      name: app.name,
      generation: app.generation,
      team: app.team,
      region: app.region,
      space: app.space,
      processTier: app.processTier,
      execEnabled: app.execEnabled,
      pipelineStage: app.pipelineStage ?? null,
      protected: isProtectedApp(app, options.isProtected),
      error: fleet.appErrors[app.name] ?? null,
      run: modeReport('run', app, null, options.argv),
      dynos: (fleet.dynos[app.name] ?? []).map((dyno) => ({
        name: dyno.name,
        type: dyno.type,
        state: String(dyno.state),
        size: dyno.size,
        command: dyno.command,
        createdAt: dyno.createdAt,
        oneOff: isOneOff(dyno),
        modes: modesFor(app).map((m) => modeReport(m.id, app, dyno, options.argv)),
      })),
    })),
  };
}

// Valid JSON either way; escaped, no character in a name from the API can act on a terminal
// the JSON is printed to (C1 controls, bidi overrides, line separators).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function reportJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export interface TableStyle {
  color: boolean;
  /** Cut every line to this many columns (a terminal); null: never cut (a pipe). */
  width: number | null;
}

const VERDICT_SYMBOL: Record<Verdict, string> = { ok: '✔', caution: '⚠', unavailable: '✖' };

const STATE_SYMBOL: Record<string, string> = {
  up: '●',
  starting: '◐',
  created: '◐',
  provisioning: '◐',
  crashed: '✖',
  down: '○',
  idle: '◌',
  complete: '✓',
};

const SHORT_TITLE: Record<AccessModeId, string> = { run: 'run', exec: 'exec', 'run-inside': 'run:inside' };

/** Display columns of plain text that may hold wide characters. */
function padEnd(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

function displayWidth(text: string): number {
  return stringWidth(text);
}

const SYMBOL_SGR: Record<string, string> = { '✔': '32', '⚠': '33', '✖': '31', '●': '32', '◐': '33', '○': '90', '◌': '90', '✓': '90' };
const SYMBOLS = new RegExp(`[${Object.keys(SYMBOL_SGR).join('')}]`, 'g');

/** The fleet as a readable table: one block per app, one line per dyno. */
export function reportTable(report: FleetReport, style: TableStyle): string {
  const paint = (sgr: string, text: string): string => (style.color ? `\x1b[${sgr}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  /** One line: cut to the width first, then coloured, so a cut line keeps its colours. */
  const push = (plain: string, opts: { whole?: string; lead?: string } = {}): void => {
    let line = style.width !== null && displayWidth(plain) > style.width ? truncateToWidth(plain, style.width) : plain;
    if (!style.color) return void lines.push(line);
    if (opts.whole) return void lines.push(paint(opts.whole, line));
    line = line.replace(SYMBOLS, (c) => paint(SYMBOL_SGR[c] ?? '0', c));
    if (opts.lead && line.startsWith(opts.lead)) line = paint('1', opts.lead) + line.slice(opts.lead.length);
    lines.push(line);
  };
  const account = report.account === null ? '' : ` · ${sanitize(report.account)}`;
  push(`${report.apps.length} app${report.apps.length === 1 ? '' : 's'} · source ${report.source}${account}`);

  for (const app of report.apps) {
    const facts: string[] = [app.generation];
    if (app.team) facts.push(`team ${sanitize(app.team)}`);
    if (app.region) facts.push(sanitize(app.region));
    if (app.space) facts.push(`${app.space.shield ? 'shield space' : 'space'} ${sanitize(app.space.name)}`);
    if (app.execEnabled !== null) facts.push(app.execEnabled ? 'exec enabled' : 'exec not enabled');
    if (app.pipelineStage !== null) facts.push(`pipeline ${sanitize(app.pipelineStage)}`);
    if (app.protected) facts.push('protected');
    lines.push('');
    const name = sanitize(app.name);
    push(`${name}  (${facts.join(', ')})`, { lead: name });
    if (app.error !== null) push(`  ! ${sanitize(app.error)}`, { whole: '31' });
    if (app.dynos.length === 0) {
      if (app.error === null) push(`  no dynos · ${modeCell(app.run)}`);
      continue;
    }
    const nameWidth = Math.min(40, Math.max(4, ...app.dynos.map((d) => displayWidth(sanitize(d.name)))));
    const stateWidth = Math.min(16, Math.max(5, ...app.dynos.map((d) => displayWidth(sanitize(d.state)) + 2)));
    const sizeWidth = Math.min(16, Math.max(4, ...app.dynos.map((d) => displayWidth(sanitize(d.size)))));
    push(`  ${padEnd('DYNO', nameWidth)}  ${padEnd('STATE', stateWidth)}  ${padEnd('SIZE', sizeWidth)}  MODES`);
    for (const dyno of app.dynos) {
      // Unknown states are shown as they come, marked `?` (uncoloured: it may be in a name too).
      const symbol = STATE_SYMBOL[dyno.state] ?? '?';
      push(
        `  ${padEnd(sanitize(dyno.name), nameWidth)}  ${padEnd(`${symbol} ${sanitize(dyno.state)}`, stateWidth)}  ${padEnd(sanitize(dyno.size), sizeWidth)}  ${dyno.modes.map(modeCell).join(' · ')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `run ✔`, or `exec ✖ dyno is crashed`: the reason only when it is not a plain yes. */
function modeCell(mode: ModeReport): string {
  return `${SHORT_TITLE[mode.mode]} ${VERDICT_SYMBOL[mode.verdict]}${mode.verdict === 'ok' ? '' : ` ${mode.reason}`}`;
}
