// Output throughput of the same `cat` of a 40 MB text file, typed at the same bash prompt:
// in a bare pty, in tmux attached in a pty, in dynotty's embedded pane (--demo, `r`) and
// in dynotty's full-screen hand-off (`f` then `r`). Timed from the write of the command
// line to the arrival of the chunk that carries the done mark (printed after the cat); the bench
// only scans the raw bytes for it, it does not parse them.
import { haveTmux, killTmuxServer, startBareShell, startTmuxShell } from './lib/anchors.js';
import { bigFile, COLS, doneMark, FLOOD_BYTES, PICKER_READY, PROMPT_ON_SCREEN, ROWS, startDynotty } from './lib/env.js';
import type { Figure, Measurement } from './lib/figures.js';
import type { BenchPty } from './lib/pty.js';
import { fmtList, median } from './lib/stats.js';

const RUNS = 5;
const FLOOD_TIMEOUT_MS = 60_000;

/** Types the flood command and returns MB/s (10^6 bytes per second). */
async function floodOnce(p: BenchPty, file: string): Promise<number> {
  const { command, mark } = doneMark();
  const done = p.waitRaw(mark, FLOOD_TIMEOUT_MS, `${mark} after cat of ${file}`);
  const t0 = p.write(`cat ${file}; ${command}\r`);
  const at = await done;
  // Let the prompt and the last frame come, so runs do not overlap.
  await p.settle(150);
  return FLOOD_BYTES / 1e6 / ((at - t0) / 1000);
}

/** dynotty --demo with one `run` session open at its prompt; embedded or full screen. */
export async function openDemoSession(p: BenchPty, fullscreen: boolean): Promise<void> {
  await p.waitScreen(PICKER_READY, 20_000, 'the picker');
  if (fullscreen) {
    p.write('f');
    await p.waitScreen(/\[full-screen next\]/, 5000, 'full-screen next');
    p.write('r');
    await p.waitScreen((lines) => PROMPT_ON_SCREEN.test(lines.join('\n')) && !lines.some((l) => l.includes('compare ways in')), 10_000, 'the full-screen prompt');
  } else {
    p.write('r');
    await p.waitScreen((lines) => (lines[0] ?? '').includes('run bash · ') && PROMPT_ON_SCREEN.test(lines.join('\n')), 10_000, 'the session prompt');
  }
}

interface Target {
  key: string;
  label: string;
  how: string;
  pty: BenchPty;
  close: () => Promise<void>;
  runs: number[];
}

async function bareTarget(): Promise<Target> {
  const p = startBareShell();
  await p.waitScreen(PROMPT_ON_SCREEN, 10_000, 'the bash prompt');
  const close = async (): Promise<void> => {
    p.write('exit\r');
    await p.close(2000);
  };
  return { key: 'barePtyMBps', label: 'bare pty (bash)', how: 'bash in a pty, drained by the bench', pty: p, close, runs: [] };
}

async function tmuxTarget(): Promise<Target> {
  const { pty: p, socket } = startTmuxShell();
  await p.waitScreen(PROMPT_ON_SCREEN, 10_000, 'the bash prompt in tmux');
  const close = async (): Promise<void> => {
    killTmuxServer(socket);
    await p.close(2000);
  };
  return { key: 'tmuxMBps', label: 'tmux attached', how: 'tmux 3 client in a pty, private server, default config', pty: p, close, runs: [] };
}

async function dynottyTarget(fullscreen: boolean): Promise<Target> {
  const p = startDynotty({ args: ['--demo'] });
  const close = async (): Promise<void> => {
    // SIGTERM: dynotty ends its sessions and the demo fleet, restores the terminal, exits.
    try {
      p.proc.kill('SIGTERM');
    } catch {
      // gone
    }
    await p.close(5000);
  };
  try {
    await openDemoSession(p, fullscreen);
  } catch (err) {
    await close();
    throw err;
  }
  return fullscreen
    ? { key: 'fullscreenMBps', label: 'dynotty full-screen hand-off', how: 'dynotty --demo, f, r', pty: p, close, runs: [] }
    : { key: 'embeddedMBps', label: 'dynotty embedded pane', how: `dynotty --demo, r, ${COLS}x${ROWS} terminal`, pty: p, close, runs: [] };
}

export const throughput: Measurement = {
  name: 'throughput: cat of 40 MB',
  async run(log) {
    const file = bigFile();
    const targets: Target[] = [];
    try {
      targets.push(await bareTarget());
      if (haveTmux()) targets.push(await tmuxTarget());
      else log('tmux is not installed: tmuxMBps not measured');
      targets.push(await dynottyTarget(false));
      targets.push(await dynottyTarget(true));
      // From here on only the raw bytes are scanned: the bench must not parse 40 MB floods itself.
      for (const t of targets) t.pty.stopScreen();
      // A warm-up each (file cache, JIT), then the timed rounds, one flood per target in turn,
      // so a slow spell of the machine falls on every target alike.
      for (const t of targets) await floodOnce(t.pty, file);
      for (let round = 0; round < RUNS; round++) for (const t of targets) t.runs.push(await floodOnce(t.pty, file));
    } finally {
      for (const t of targets) await t.close();
    }
    return targets.map((t): Figure => {
      log(`${t.label}: ${fmtList(t.runs)} MB/s`);
      return { key: t.key, label: t.label, value: median(t.runs), unit: 'MB/s', detail: `${t.how}; median of ${t.runs.length} (round-robin) after a warm-up` };
    });
  },
};
