#!/usr/bin/env node
import { parseCliArgs, usage } from './args.js';
import { runPicker } from './picker.js';
import { readVersion } from './version.js';

function fail(message: string, status: number): never {
  process.stderr.write(`dynotty: ${message}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
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
  process.exitCode = await runPicker(parsed.options);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`dynotty: ${message}\n`);
  if (process.env['DEBUG']?.split(',').includes('dynotty') && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
});
