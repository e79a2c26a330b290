// rssMB10Sessions: dynotty's own resident memory (VmRSS of its node process, from
// /proc/PID/status) once its sessions have each printed 40 MB. dynotty holds at most 9
// sessions (MAX_SESSIONS, the keys 1-9): the bench opens 9, asks for a 10th and reports
// what dynotty says, then reads the memory with the 9 live.
import { readFileSync } from 'node:fs';
import { bigFile, doneMark, FLOOD_BYTES, PICKER_READY, PROMPT_ON_SCREEN, startDynotty } from './lib/env.js';
import type { Figure, Measurement } from './lib/figures.js';
import { sleep, type BenchPty } from './lib/pty.js';
import { fmtList, median } from './lib/stats.js';

const SESSIONS_ASKED = 10;
const FLOOD_TIMEOUT_MS = 60_000;
const DETACH = '\x1d';

/** A field of /proc/PID/status in MB (10^6 bytes), e.g. VmRSS, VmHWM. */
export function procStatusMB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return (Number(m[1]) * 1024) / 1e6;
}

const REFUSED = /sessions are live/;

/**
 * Opens one `run` session from the picker, floods it, detaches: MB/s of its flood; or
 * dynotty's words when it refuses the session.
 */
async function floodedSession(p: BenchPty, file: string, n: number): Promise<number | string> {
  p.write('r');
  const inSession = (lines: string[]): boolean => (lines[0] ?? '').includes('run bash · ') && PROMPT_ON_SCREEN.test(lines.join('\n'));
  await p.waitScreen((lines) => inSession(lines) || REFUSED.test(lines.join('\n')), 10_000, `session ${n}'s prompt`);
  if (!inSession(p.lines())) {
    const words = p.lines().find((l) => REFUSED.test(l))?.replace(/[│|]/g, '').trim().replace(/\s+/g, ' ') ?? 'refused';
    p.write('\x1b');
    await p.waitScreen((lines) => !REFUSED.test(lines.join('\n')), 5000, 'the notice to close');
    return words;
  }
  const { command, mark } = doneMark();
  const done = p.waitRaw(mark, FLOOD_TIMEOUT_MS, `${mark} in session ${n}`);
  const t0 = p.write(`cat ${file}; ${command}\r`);
  const at = await done;
  await p.settle(100);
  p.write(DETACH);
  await p.waitScreen(PICKER_READY, 5000, `the picker after detaching session ${n}`);
  return FLOOD_BYTES / 1e6 / ((at - t0) / 1000);
}

export const memory: Measurement = {
  name: 'memory with the most sessions live',
  async run(log) {
    const file = bigFile();
    const p = startDynotty({ args: ['--demo'] });
    const pid = p.proc.pid;
    try {
      await p.waitScreen(PICKER_READY, 20_000, 'the picker');
      await p.settle(200);
      const idleMB = procStatusMB(pid, 'VmRSS');
      const speeds: number[] = [];
      let refusal: string | null = null;
      let opened = 0;
      for (let n = 1; n <= SESSIONS_ASKED; n++) {
        const got = await floodedSession(p, file, n);
        if (typeof got === 'string') {
          refusal = got;
          break;
        }
        speeds.push(got);
        opened = n;
      }
      log(`${opened} sessions, each flooded with 40 MB: ${fmtList(speeds)} MB/s`);
      if (refusal !== null) log(`session ${opened + 1}: "${refusal}"`);
      // Let timers fire and garbage be collected the way it would be while the user reads.
      await sleep(2000);
      const rss = procStatusMB(pid, 'VmRSS');
      const hwm = procStatusMB(pid, 'VmHWM');
      log(`VmRSS ${rss.toFixed(1)} MB (idle picker before: ${idleMB.toFixed(1)} MB; peak VmHWM ${hwm.toFixed(1)} MB)`);
      const figures: Figure[] = [
        {
          key: 'rssMB10Sessions',
          label: `RSS, ${opened} live sessions × 40 MB`,
          value: rss,
          unit: 'MB',
          detail: `VmRSS of dynotty's node process 2 s after the last flood; dynotty holds ${opened} (10th: ${refusal ?? 'accepted'})`,
        },
        { key: 'rssPeakMB', label: 'peak RSS (VmHWM) in that run', value: hwm, unit: 'MB', detail: 'highest resident memory while the floods were parsed' },
        { key: 'rssIdleMB', label: 'RSS, idle picker, no session', value: idleMB, unit: 'MB', detail: 'demo fleet, before the first session' },
        { key: 'embeddedFloodMBps', label: 'embedded MB/s, sessions 1-9', value: median(speeds), unit: 'MB/s', detail: `median over the ${opened} floods of this run (hidden sessions idle)` },
      ];
      return figures;
    } finally {
      try {
        p.proc.kill('SIGTERM');
      } catch {
        // gone
      }
      await p.close(8000);
    }
  },
};
