// Keystroke echo: one key typed into `cat` (the tty echoes it) to the frame on the outer
// terminal that shows it. dynotty's embedded pane vs tmux attached in a pty (and a bare
// pty, table only). Keys are typed one at a time like a fast typist: each after the
// previous echo plus a pause drawn from [GAP_MIN, GAP_MAX) ms (the same seeded draws for
// every target), lines of LINE_LEN random letters, Enter in between (not timed).
import { haveTmux, killTmuxServer, startBareShell, startTmuxShell } from './lib/anchors.js';
import { PROMPT_ON_SCREEN, startDynotty } from './lib/env.js';
import type { Figure, Measurement } from './lib/figures.js';
import { sleep, type BenchPty } from './lib/pty.js';
import { median, percentile, seededUniform } from './lib/stats.js';
import { openDemoSession } from './throughput.js';

const KEYS = 200;
/** Keys typed first and not counted (JIT, first frames). */
const WARMUP_KEYS = 10;
const LINE_LEN = 40;
const GAP_MIN = 20;
const GAP_MAX = 120;
const ECHO_TIMEOUT_MS = 3000;

/** Starts `cat` at the prompt in front of us and waits until it reads. */
async function startCat(p: BenchPty): Promise<void> {
  p.write('cat\r');
  await p.waitScreen((lines) => lines.some((l) => l.trimEnd().endsWith('$ cat')), 5000, 'cat typed');
  // cat is reading once the shell has run it; a short settle covers the fork.
  await p.settle(100);
  await sleep(100);
}

/** Types WARMUP_KEYS + KEYS keys into cat; returns the write-to-echo time in ms of the last KEYS. */
export async function echoSeries(p: BenchPty, seed = 7): Promise<number[]> {
  const rand = seededUniform(seed);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const samples: number[] = [];
  let line = '';
  for (let i = 0; i < WARMUP_KEYS + KEYS; i++) {
    const ch = letters[Math.floor(rand(0, letters.length))] ?? 'x';
    const expected = line + ch;
    // The row holding exactly what was typed on this line so far (cat has no prompt).
    const seen = p.waitScreen((lines) => lines.some((l) => l.trimEnd() === expected), ECHO_TIMEOUT_MS, `echo of key ${i} (${expected})`);
    const t0 = p.write(ch);
    const at = await seen;
    if (i >= WARMUP_KEYS) samples.push(at - t0);
    line = expected;
    if (line.length >= LINE_LEN) {
      // cat prints the line back after Enter: two rows of it.
      const full = line;
      const back = p.waitScreen((lines) => lines.filter((l) => l.trimEnd() === full).length >= 2, ECHO_TIMEOUT_MS, 'the line printed back');
      p.write('\r');
      await back;
      line = '';
    }
    await sleep(rand(GAP_MIN, GAP_MAX));
  }
  return samples;
}

async function dynottyEcho(): Promise<number[]> {
  const p = startDynotty({ args: ['--demo'] });
  try {
    await openDemoSession(p, false);
    await startCat(p);
    return await echoSeries(p);
  } finally {
    try {
      p.proc.kill('SIGTERM');
    } catch {
      // gone
    }
    await p.close(5000);
  }
}

async function tmuxEcho(): Promise<number[]> {
  const { pty: p, socket } = startTmuxShell();
  try {
    await p.waitScreen(PROMPT_ON_SCREEN, 10_000, 'the bash prompt in tmux');
    await startCat(p);
    return await echoSeries(p);
  } finally {
    killTmuxServer(socket);
    await p.close(2000);
  }
}

async function bareEcho(): Promise<number[]> {
  const p = startBareShell();
  try {
    await p.waitScreen(PROMPT_ON_SCREEN, 10_000, 'the bash prompt');
    await startCat(p);
    return await echoSeries(p);
  } finally {
    p.write('\x04');
    p.write('exit\r');
    await p.close(2000);
  }
}

function describe(samples: number[]): string {
  return `p50 ${median(samples).toFixed(1)} / p90 ${percentile(samples, 90).toFixed(1)} / p99 ${percentile(samples, 99).toFixed(1)} / max ${percentile(samples, 100).toFixed(1)} ms`;
}

export const echo: Measurement = {
  name: `keystroke echo (${KEYS} keys into cat)`,
  async run(log) {
    const figures: Figure[] = [];
    const how = `${KEYS} keys into cat (after ${WARMUP_KEYS}), ${GAP_MIN}-${GAP_MAX} ms apart`;
    const dyn = await dynottyEcho();
    log(`dynotty embedded: ${describe(dyn)}`);
    figures.push({ key: 'echoP99Ms', label: 'echo p99, dynotty embedded', value: percentile(dyn, 99), unit: 'ms', detail: `${how}; ${describe(dyn)}` });
    if (haveTmux()) {
      const tm = await tmuxEcho();
      log(`tmux: ${describe(tm)}`);
      figures.push({ key: 'tmuxEchoP99Ms', label: 'echo p99, tmux attached', value: percentile(tm, 99), unit: 'ms', detail: `${how}; ${describe(tm)}` });
    } else log('tmux is not installed: tmuxEchoP99Ms not measured');
    const bare = await bareEcho();
    log(`bare pty: ${describe(bare)}`);
    figures.push({ key: 'barePtyEchoP99Ms', label: 'echo p99, bare pty', value: percentile(bare, 99), unit: 'ms', detail: `${how}; ${describe(bare)}` });
    return figures;
  },
};
