// `npm run bench [-- --json] [-- --only NAME,NAME]`: measures dynotty and its anchors on the
// same work in one run and reports ratios. Progress goes to stderr; the table (or, with
// --json, one JSON object as the last line) to stdout.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { echo } from './echo.js';
import { firstFrame } from './first-frame.js';
import { runCleanups, setNodeEnv, setProfileDir } from './lib/env.js';
import { profilesIn, renderProfile, summarizeProfile } from './lib/profile.js';
import { isJsonKey, JSON_KEYS, type Figure, type Measurement } from './lib/figures.js';
import { listing } from './listing.js';
import { memory } from './memory.js';
import { picker10k } from './picker-10k.js';
import { evaluateTargets, renderTable } from './table.js';
import { throughput } from './throughput.js';

const MEASUREMENTS: Record<string, Measurement> = {
  'first-frame': firstFrame,
  listing,
  'picker-10k': picker10k,
  throughput,
  echo,
  memory,
};

interface Args {
  json: boolean;
  only: string[] | null;
  profile: string | null;
  nodeEnv: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, only: null, profile: null, nodeEnv: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a?.startsWith('--only=')) args.only = a.slice('--only='.length).split(',').filter(Boolean);
    else if (a === '--profile') args.profile = path.resolve(argv[++i] ?? 'bench-profiles');
    else if (a === '--node-env') args.nodeEnv = argv[++i] ?? 'production';
    else if (a === '-h' || a === '--help') {
      process.stdout.write(
        `usage: npm run bench -- [--json] [--only ${Object.keys(MEASUREMENTS).join(',')}] [--profile DIR] [--node-env VALUE]\n` +
          '  --json           also print one JSON object with the headline figures as the last line\n' +
          '  --only A,B       run only these measurements\n' +
          '  --profile DIR    every dynotty started writes a CPU profile (node --cpu-prof) to DIR, summarised at the end\n' +
          '  --node-env VALUE run dynotty with NODE_ENV=VALUE (an experiment; by default it is unset, as for a user)\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${String(a)}`);
  }
  for (const name of args.only ?? []) if (!(name in MEASUREMENTS)) throw new Error(`unknown measurement ${name}`);
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  setNodeEnv(args.nodeEnv);
  if (args.nodeEnv !== null) log(`dynotty runs with NODE_ENV=${args.nodeEnv}`);
  if (args.profile !== null) {
    mkdirSync(args.profile, { recursive: true });
    setProfileDir(args.profile);
    log(`CPU profiles of every dynotty go to ${args.profile}`);
  }
  const figures: Figure[] = [];
  let failed = 0;
  for (const [name, m] of Object.entries(MEASUREMENTS)) {
    if (args.only !== null && !args.only.includes(name)) continue;
    const t0 = Date.now();
    log(`${m.name} ...`);
    try {
      figures.push(...(await m.run((line) => log(`  ${line}`))));
      log(`${m.name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed++;
      log(`${m.name}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // Before the table: with --json the JSON object must stay the last line, even with 2>&1.
  if (args.profile !== null) {
    for (const file of profilesIn(args.profile)) process.stderr.write(`\n${renderProfile(summarizeProfile(file))}\n\n`);
  }
  const values: Record<string, number> = {};
  for (const f of figures) values[f.key] = f.value;
  const targets = evaluateTargets(values);
  const cpus = os.cpus();
  const env = args.nodeEnv === null ? '' : ` · dynotty NODE_ENV=${args.nodeEnv}`;
  const header = `dynotty bench · ${new Date().toISOString()} · node ${process.version} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'} · ${((Date.now() - started) / 1000).toFixed(0)} s${env}`;
  process.stdout.write(`${renderTable(figures, targets, header)}\n`);
  if (args.json) {
    const json: Record<string, number | null> = {};
    for (const key of JSON_KEYS) {
      const v = figures.find((f) => f.key === key && isJsonKey(f.key))?.value;
      json[key] = v === undefined || !Number.isFinite(v) ? null : Math.round(v * 100) / 100;
    }
    process.stdout.write(`${JSON.stringify(json)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

// Ctrl-C or a kill: every process, tmux server and temporary file goes all the same.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}: cleaning up\n`);
    void runCleanups().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await runCleanups();
}
process.exit(code);
