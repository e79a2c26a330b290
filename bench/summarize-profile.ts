// node dist/bench/summarize-profile.js FILE.cpuprofile|DIR ...: where the time went.
import { statSync } from 'node:fs';
import { profilesIn, renderProfile, summarizeProfile } from './lib/profile.js';

const args = process.argv.slice(2);
const n = Number(process.env['TOP'] ?? 15);
if (args.length === 0) {
  console.error('usage: node dist/bench/summarize-profile.js FILE.cpuprofile|DIR ...');
  process.exit(2);
}
for (const arg of args) {
  const files = statSync(arg).isDirectory() ? profilesIn(arg) : [arg];
  for (const f of files) process.stdout.write(`${renderProfile(summarizeProfile(f, n))}\n\n`);
}
