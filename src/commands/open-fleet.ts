// What `ls` and scripted sessions share: the source the options ask for, loaded once,
// with no start screen (a problem is one line and an exit status, not a screen).
import os from 'node:os';
import type { RunOptions } from '../args.js';
import { resolveBackend, type Backend } from '../backend.js';
import type { Fleet } from '../heroku/source.js';
import { sanitize } from '../text/sanitize.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_SETTLE_MS } from '../demo/dyno-script.js';

const DEMO_SETTLE_LIMIT_MS = DEMO_SETTLE_MS * 3;

function anyStarting(fleet: Fleet): boolean {
  return Object.values(fleet.dynos).some((list) => list.some((d) => d.state === 'starting'));
}

/** A command that cannot go on: one line for stderr and the exit status (1 a failure, 2 a usage error). */
export class CommandError extends Error {
  override name = 'CommandError';

  constructor(
    message: string,
    readonly status: 1 | 2,
  ) {
    super(message);
  }
}

export interface OpenedFleet {
  backend: Backend;
  fleet: Fleet;
}

/**
 * Resolves the backend and lists the fleet. On failure the backend is closed (the demo
 * fleet's processes stopped) before the CommandError is thrown; on success the caller closes it.
 */
export async function openFleet(
  options: RunOptions,
  opts: { exitCode?: boolean; signal?: AbortSignal; onBackend?: (backend: Backend) => void } = {},
): Promise<OpenedFleet> {
  const startedAt = Date.now();
  const resolution = await resolveBackend(options, {
    env: process.env,
    homeDir: os.homedir(),
    cwd: process.cwd(),
    exitCode: opts.exitCode,
    signal: opts.signal,
  });
  if (resolution.kind === 'problem') {
    const { title, details, fixes } = resolution.problem;
    throw new CommandError([`${title}.`, ...details, fixes[0] ? `${fixes[0]}.` : ''].join(' ').replace(/\.\./g, '.').trim(), 1);
  }
  const { backend } = resolution;
  opts.onBackend?.(backend);
  // No picker frame to wait for here: the demo fleet's processes start at once.
  backend.startAfterFirstFrame?.();
  try {
    let fleet = await backend.source.load(opts.signal);
    // A one-shot look at a demo fleet that has just started would show every dyno starting:
    // wait until its dynos reach the states the picker shows a moment later.
    while (backend.source.kind === 'demo' && (Date.now() - startedAt < DEMO_SETTLE_MS || anyStarting(fleet)) && Date.now() - startedAt < DEMO_SETTLE_LIMIT_MS) {
      await sleep(100, undefined, { signal: opts.signal });
      fleet = await backend.source.load(opts.signal);
    }
    return { backend, fleet };
  } catch (err) {
    await backend.source.close();
    throw new CommandError(`could not list the fleet (${backend.source.label}): ${sanitize(err instanceof Error ? err.message : String(err))}`, 1);
  }
}
