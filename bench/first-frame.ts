// firstFrameMs (demo fleet), firstFrameApiMs (fake API, table only) and herokuCliStartMs
// (`heroku --version` of the real CLI, installed as the conformance test installs it).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ensureRealHerokuCli, realHerokuEnv } from '../test/conformance/heroku-cli.js';
import { FAKE_TOKEN, startFakeApi } from '../test/fakes/fake-api.js';
import { onCleanup, PICKER_READY, quitDynotty, startDynotty } from './lib/env.js';
import type { Figure, Measurement } from './lib/figures.js';
import { fmtList, median } from './lib/stats.js';

const RUNS = 5;

interface FrameTimes {
  /** Process start to the first frame of the picker at all (header drawn, maybe "loading…"). */
  paint: number;
  /** Process start to the first frame showing the fleet (apps listed, comparison pane drawn). */
  fleet: number;
}

/** One start of dynotty: times from spawn to its first frames, then quit and wait for it to go. */
async function oneStart(args: string[], env: Record<string, string> = {}): Promise<FrameTimes> {
  const p = startDynotty({ args, env });
  try {
    const paint = p.waitScreen(/^ dynotty /m, 20_000, 'the picker header');
    const fleet = p.waitScreen(PICKER_READY, 20_000, 'the picker with the fleet');
    const [paintAt, fleetAt] = await Promise.all([paint, fleet]);
    return { paint: paintAt - p.spawnedAt, fleet: fleetAt - p.spawnedAt };
  } finally {
    await quitDynotty(p);
  }
}

async function startSeries(label: string, args: string[], env: Record<string, string>, log: (l: string) => void): Promise<FrameTimes[]> {
  // Warm-up: the file cache, and dynotty's code cache (written in the bench's fresh HOME by this first start).
  const cold = await oneStart(args, env);
  const runs: FrameTimes[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneStart(args, env));
  log(`${label}: fleet frame ${fmtList(runs.map((r) => r.fleet), 0)} ms; first paint ${fmtList(runs.map((r) => r.paint), 0)} ms; the warm-up ${cold.fleet.toFixed(0)} ms`);
  return runs;
}

/** `heroku --version` from spawn to exit. */
function herokuVersionOnce(bin: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(bin, ['--version'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0 && /heroku\/\d/.test(out)) resolve(ms);
      else reject(new Error(`heroku --version exited ${String(code)}: ${out.slice(0, 500)}`));
    });
  });
}

export const firstFrame: Measurement = {
  name: 'first frame and CLI start',
  async run(log) {
    const api = await startFakeApi();
    onCleanup(() => api.close());

    const demo = await startSeries('demo', ['--demo'], {}, log);
    const apiRuns = await startSeries('fake API', ['--source', 'api'], { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN }, log);

    const bin = await ensureRealHerokuCli();
    const env = realHerokuEnv(api.url);
    await herokuVersionOnce(bin, env); // warm-up (oclif's first run writes its caches)
    const cli: number[] = [];
    for (let i = 0; i < RUNS; i++) cli.push(await herokuVersionOnce(bin, env));
    log(`heroku --version: ${fmtList(cli, 0)} ms`);

    const figures: Figure[] = [
      {
        key: 'firstFrameMs',
        label: 'first frame, demo fleet',
        value: median(demo.map((r) => r.fleet)),
        unit: 'ms',
        detail: `spawn → apps listed + comparison drawn; median of ${RUNS} after a warm-up`,
      },
      {
        key: 'firstFrameApiMs',
        label: 'first frame, fake API',
        value: median(apiRuns.map((r) => r.fleet)),
        unit: 'ms',
        detail: `--source api, demo-like fleet, 0 ms latency; median of ${RUNS}`,
      },
      {
        key: 'firstPaintMs',
        label: 'first paint (header, loading…)',
        value: median(demo.map((r) => r.paint)),
        unit: 'ms',
        detail: `demo fleet, before its data; median of ${RUNS}`,
      },
      {
        key: 'herokuCliStartMs',
        label: 'heroku --version (real CLI 11.10.0)',
        value: median(cli),
        unit: 'ms',
        detail: `spawn → exit; median of ${RUNS} after a warm-up`,
      },
    ];
    return figures;
  },
};
