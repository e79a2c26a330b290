// 10,000 dynos (the fake API with manyApps(100, 100)): from a key press to the frame that
// shows its effect, read through a VT emulator fed with dynotty's output as it arrives.
// - cursor10kP99Ms: `j`/`k` in the apps list, then in the dynos list; the effect is the
//   comparison pane's title naming another app · dyno.
// - filter10kP99Ms: `/`, then queries typed and erased a key at a time; the effect is the
//   filter line showing the query (drawn in the same frame as the filtered lists).
// Keys go one at a time, each after the previous effect plus a seeded 20-120 ms pause.
import { FAKE_TOKEN, manyApps, startFakeApi } from '../test/fakes/fake-api.js';
import { onCleanup, startDynotty } from './lib/env.js';
import type { Figure, Measurement } from './lib/figures.js';
import { sleep, type BenchPty } from './lib/pty.js';
import { median, percentile, seededUniform } from './lib/stats.js';

const APPS = 100;
const DYNOS_EACH = 100;
const KEY_TIMEOUT_MS = 5000;
const GAP_MIN = 20;
const GAP_MAX = 120;
/** Moves in each list: apps (down to the end and back) and dynos. */
const APP_MOVES = 100;
const DYNO_MOVES = 100;
/** Typed and erased a key at a time: 2 × their lengths key presses. */
const QUERIES = ['app42web7', 'load0077 web.19', 'ld9w3', 'web.100', 'app-0100 web.1', 'a5w5', 'zzz', 'load-app-0013', 'web.42', 'app9'];
/** Typed and erased first, not counted (JIT, fuzzysort's caches). */
const WARMUP_QUERY = 'wu3';
const BACKSPACE = '\x7f';

function comparisonTitle(lines: string[]): string | null {
  return lines.find((l) => l.includes('compare ways in: ')) ?? null;
}

/** Presses `key`; resolves with the ms until the comparison title differs from before. */
async function moveOnce(p: BenchPty, key: string): Promise<number> {
  const before = comparisonTitle(p.lines());
  const seen = p.waitScreen((lines) => {
    const now = comparisonTitle(lines);
    return now !== null && now !== before;
  }, KEY_TIMEOUT_MS, `the selection to move on ${JSON.stringify(key)} from ${before ?? '(none)'}`);
  const t0 = p.write(key);
  return (await seen) - t0;
}

export async function cursorSeries(p: BenchPty, rand: (lo: number, hi: number) => number): Promise<number[]> {
  const out: number[] = [];
  // Apps list: down to the last app, then back up.
  for (let i = 0; i < APP_MOVES; i++) {
    out.push(await moveOnce(p, i < APPS - 1 ? 'j' : 'k'));
    await sleep(rand(GAP_MIN, GAP_MAX));
  }
  // Focus moves to the dynos list (→; `l` opens the logs): only colours change, so no text to wait for.
  p.write('\x1b[C');
  await p.settle(150);
  for (let i = 0; i < DYNO_MOVES; i++) {
    out.push(await moveOnce(p, i < DYNOS_EACH - 1 ? 'j' : 'k'));
    await sleep(rand(GAP_MIN, GAP_MAX));
  }
  p.write('\x1b[D');
  await p.settle(100);
  return out;
}

/** The filter line while editing: ` / QUERY` then the cursor cell, then the match count. */
function filterLineShows(query: string): (lines: string[]) => boolean {
  const prefix = ` / ${query} `;
  return (lines) => {
    const last = [...lines].reverse().find((l) => l.trim() !== '') ?? '';
    return last.startsWith(prefix) && /\d+ apps? · Enter keep/.test(last);
  };
}

export async function filterSeries(p: BenchPty, rand: (lo: number, hi: number) => number): Promise<number[]> {
  const out: number[] = [];
  p.write('/');
  await p.waitScreen(filterLineShows(''), KEY_TIMEOUT_MS, 'the filter line');
  await p.settle(100);
  for (const [n, q] of [WARMUP_QUERY, ...QUERIES].entries()) {
    const steps: { key: string; query: string }[] = [];
    for (let i = 1; i <= q.length; i++) steps.push({ key: q[i - 1] ?? '', query: q.slice(0, i) });
    for (let i = q.length - 1; i >= 0; i--) steps.push({ key: BACKSPACE, query: q.slice(0, i) });
    for (const step of steps) {
      const seen = p.waitScreen(filterLineShows(step.query), KEY_TIMEOUT_MS, `the filter line showing "${step.query}"`);
      const t0 = p.write(step.key);
      const ms = (await seen) - t0;
      if (n > 0) out.push(ms);
      await sleep(rand(GAP_MIN, GAP_MAX));
    }
  }
  p.write('\x1b');
  await p.settle(100);
  return out;
}

function describe(samples: number[]): string {
  return `${samples.length} keys; p50 ${median(samples).toFixed(1)} / p90 ${percentile(samples, 90).toFixed(1)} / p99 ${percentile(samples, 99).toFixed(1)} / max ${percentile(samples, 100).toFixed(1)} ms`;
}

export const picker10k: Measurement = {
  name: `picker with ${APPS * DYNOS_EACH} dynos`,
  async run(log) {
    const api = await startFakeApi({ state: manyApps(APPS, DYNOS_EACH) });
    onCleanup(() => api.close());
    const p = startDynotty({ args: ['--source', 'api'], env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
    try {
      const t = await p.waitScreen((lines) => (lines[0] ?? '').includes(`│ ${APPS} apps │`) && comparisonTitle(lines) !== null, 60_000, `${APPS} apps listed`);
      log(`listed ${APPS * DYNOS_EACH} dynos ${(t - p.spawnedAt).toFixed(0)} ms after start`);
      await p.settle(300);
      const rand = seededUniform(11);
      // Warm-up: a few moves and a short query, not counted.
      for (const k of ['j', 'j', 'k', 'k']) await moveOnce(p, k);
      const cursor = await cursorSeries(p, rand);
      log(`cursor: ${describe(cursor)}`);
      const filter = await filterSeries(p, rand);
      log(`filter: ${describe(filter)}`);
      const figures: Figure[] = [
        { key: 'filter10kP99Ms', label: 'filter key → frame, 10k dynos', value: percentile(filter, 99), unit: 'ms', detail: describe(filter) },
        { key: 'cursor10kP99Ms', label: 'cursor key → frame, 10k dynos', value: percentile(cursor, 99), unit: 'ms', detail: describe(cursor) },
      ];
      return figures;
    } finally {
      p.write('q');
      await p.close(5000);
    }
  },
};
