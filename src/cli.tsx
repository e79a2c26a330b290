#!/usr/bin/env node
import type * as PickerModuleNs from './picker.js';
import { parseCliArgs, usage } from './args.js';
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
      process.stderr.write(`dynotty: ${parsed.message}\n\n${usage}`);
      process.exit(2);
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail('needs an interactive terminal: stdin and stdout must both be a TTY (see dynotty --help)', 2);
  }
  const { runPicker } = await importInkForATerminal();
  process.exitCode = await runPicker(parsed.options);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`dynotty: ${message}\n`);
  if (debugging() && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
});
