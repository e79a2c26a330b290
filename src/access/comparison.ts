// The comparison pane's content for the selected app and dyno: one column per
// access mode, one row per question a user asks before choosing.
import type { App } from '../heroku/model.js';
import { argvFor, displayCommand } from '../heroku/argv.js';
import { sanitize, truncateToWidth } from '../text/sanitize.js';
import type { AccessMode, AccessModeId, AccessTarget, Availability } from './model.js';
import { modesFor } from './modes.js';
import { availability, recommendedMode } from './rules.js';

/** Cells are cut to this many columns; the fixed wording already fits. */
export const CELL_WIDTH = 22;

export interface ComparisonOptions {
  /** `--size` the run would use; the app's default size otherwise. */
  runSize?: string;
  /** Exec through the system's OpenSSH (`ps:exec --ssh`). */
  ssh?: boolean;
}

export interface ComparisonRow {
  label: string;
  /** One per column, in column order. */
  values: string[];
}

export interface ComparisonColumn {
  mode: AccessMode;
  availability: Availability;
  /** What is handed to `heroku`; null when the mode needs a dyno and none is selected. */
  argv: string[] | null;
  /** argv as a pasteable command line; null with argv. */
  command: string | null;
}

export interface Comparison {
  columns: ComparisonColumn[];
  rows: ComparisonRow[];
  recommended: AccessModeId;
}

type Cells = Record<AccessModeId, string>;

/** The size `heroku run` picks without `--size`, or null when it cannot be told. */
export function defaultRunSize(app: App): string | null {
  // Fir sizes follow another scheme; guessing one would mislead.
  if (app.generation === 'fir') return null;
  if (app.space !== null) return app.space.shield ? 'Shield-M' : 'Private-M';
  switch (app.processTier?.toLowerCase()) {
    case 'eco':
      return 'Eco';
    case 'basic':
      return 'Basic';
    case 'production':
      return 'Standard-1X';
    case 'private':
      return 'Private-M';
    case 'shield':
      return 'Shield-M';
    default:
      return null;
  }
}

function runCost(app: App, runSize: string | undefined): string {
  const size = runSize !== undefined && runSize !== '' ? sanitize(runSize) : defaultRunSize(app);
  if (size === null) return 'default size, per sec';
  // Eco is a monthly pool of hours shared by all Eco dynos, one-offs included.
  if (size.toLowerCase() === 'eco') return 'uses Eco dyno hours';
  return `${size} per second`;
}

function liveRisk(app: App): string {
  if (app.space !== null) return 'high: live production';
  const tier = app.processTier?.toLowerCase();
  // Eco and Basic apps may well be staging, but they cannot scale a process type
  // past one dyno, so that dyno is the whole service: still high.
  return tier === 'production' ? 'high: live production' : 'high: live dyno';
}

function rows(target: AccessTarget, opts: ComparisonOptions): Array<{ label: string; cells: Cells }> {
  const { app, dyno } = target;
  const live = dyno === null ? 'a live dyno' : `live dyno ${truncateToWidth(sanitize(dyno.name), 12)}`;
  return [
    { label: 'where', cells: { run: 'new one-off dyno', exec: live, 'run-inside': live } },
    {
      label: 'persists',
      cells: {
        run: 'nothing: gone on exit',
        exec: 'dyno fs until restart',
        'run-inside': 'dyno fs until restart',
      },
    },
    {
      label: 'risk',
      cells: {
        run: 'low: isolated copy',
        // Enabling exec on first use restarts every dyno of the app.
        exec: app.execEnabled === false ? 'high: restarts dynos' : liveRisk(app),
        'run-inside': liveRisk(app),
      },
    },
    { label: 'requires', cells: { run: 'any app', exec: 'Cedar, not Shield', 'run-inside': 'Fir app' } },
    {
      label: 'cost',
      cells: {
        run: runCost(app, opts.runSize),
        exec: 'no extra: shares dyno',
        'run-inside': 'no extra: shares dyno',
      },
    },
    {
      label: 'config vars',
      // Exec's SSH shell lacks them (Dev Center); run:inside prepends the launcher, which sets them.
      cells: { run: 'set', exec: 'not set (ssh shell)', 'run-inside': 'set (via launcher)' },
    },
    {
      label: 'terminal',
      // run sends COLUMNS/LINES once; ps:exec's built-in ssh2 stays 80x24, OpenSSH follows.
      cells: {
        run: 'size sent once',
        exec: opts.ssh ? 'real size, resizes' : '80x24, no resize',
        'run-inside': 'not confirmed',
      },
    },
    {
      label: 'uses',
      cells: { run: 'migrations, consoles', exec: 'debug live process', 'run-inside': 'debug live process' },
    },
  ];
}

export function compare(target: AccessTarget, opts: ComparisonOptions = {}): Comparison {
  const modes = modesFor(target.app);
  const dynoName = target.dyno?.name ?? null;
  const columns = modes.map((mode): ComparisonColumn => {
    const argv = argvFor(mode.id, target.app.name, dynoName, { size: opts.runSize, ssh: opts.ssh });
    return {
      mode,
      availability: availability(mode.id, target),
      argv,
      command: argv === null ? null : displayCommand(argv),
    };
  });
  return {
    columns,
    rows: rows(target, opts).map(({ label, cells }) => ({
      label,
      values: modes.map((m) => truncateToWidth(cells[m.id], CELL_WIDTH)),
    })),
    recommended: recommendedMode(target),
  };
}
