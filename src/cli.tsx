#!/usr/bin/env node
import type * as PickerModuleNs from './picker.js';
import os from 'node:os';
import { parseCliArgs, usage, withConfig, type RunOptions } from './args.js';
import { ConfigError, loadConfig } from './config.js';
import { readVersion } from './version.js';

type PickerModule = typeof PickerModuleNs;

function fail(message: string, status: number): never {
  process.stderr.write(`dynotty: ${message}\n`);
  process.exit(status);
}

/**
 * Loads the UI with production React. Also: Ink renders only its last frame when it believes it runs in CI (is-in-ci reads CI and
 * CONTINUOUS_INTEGRATION once, at import). dynotty runs only on a real terminal, checked
 * before this, so that guess is wrong here: hide the variables while Ink loads, then put
 * them back so sessions still inherit the user's environment unchanged.
 */
async function importInkForATerminal(): Promise<PickerModule> {
  const names = ['CI', 'CONTINUOUS_INTEGRATION', 'NODE_ENV'] as const;
  const saved = names.map((n) => process.env[n]);
  for (const n of names) if (n in process.env) process.env[n] = 'false';
  // React picks its build when first loaded: the development one is slower and keeps growing
  // performance marks (measured: 305 MB vs 187 MB with nine sessions).
  process.env['NODE_ENV'] = 'production';
  try {
    return await import('./picker.js');
  } finally {
    names.forEach((n, i) => {
      if (saved[i] === undefined) delete process.env[n];
      else process.env[n] = saved[i];
    });
  }
}

function debugging(): boolean {
  return process.env['DEBUG']?.split(',').includes('dynotty') === true;
}

async function main(): Promise<void> {
  // Stack traces (printed only for DEBUG=dynotty) point into the TypeScript sources through
  // the bundle's source maps; reading those maps would cost every other start.
  if (debugging()) process.setSourceMapsEnabled(true);
  const parsed = parseCliArgs(process.argv.slice(2));
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(usage);
      return;
    case 'version':
      process.stdout.write(`${readVersion()}\n`);
      return;
    case 'error':
      // The synopsis, not all of --help: the mistake stays on screen.
      process.stderr.write(`dynotty: ${parsed.message}\n\n${usage.split('\n\n')[0]}\n\nRun dynotty --help for every flag and key.\n`);
      process.exit(2);
  }
  const options = optionsWithConfig(parsed.options, parsed.explicit);
  if (parsed.kind === 'ls') {
    process.exitCode = await runCommand(() => import('./commands/ls.js').then(({ runLs }) => runLs(options, parsed.json)));
    return;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail('needs an interactive terminal: stdin and stdout must both be a TTY (see dynotty --help)', 2);
  }
  if (parsed.kind === 'session') {
    process.exitCode = await runCommand(() => import('./commands/session.js').then(({ runSession }) => runSession(options, parsed.target)));
    return;
  }
  const { runPicker } = await importInkForATerminal();
  process.exitCode = await runPicker(options);
}

/** The flags over the config file; a bad config file is a usage error (exit 2). */
function optionsWithConfig(options: RunOptions, explicit: Parameters<typeof withConfig>[1]): RunOptions {
  try {
    return withConfig(options, explicit, loadConfig(options.config, { env: process.env, homeDir: os.homedir() }));
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
}

/** ls and scripted sessions: a CommandError is one line on stderr and its status. */
async function runCommand(command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (err) {
    const { CommandError } = await import('./commands/open-fleet.js');
    if (!(err instanceof CommandError)) throw err;
    process.stderr.write(`dynotty: ${err.message}\n`);
    return err.status;
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`dynotty: ${message}\n`);
  if (debugging() && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
});
