// `npm run soak`: dynotty run for a long time the way a user runs it, through the built CLI
// on the demo fleet in a real pty, watching its process from outside (/proc):
//  1. sessions: N `run` sessions opened and closed one after another (r, exit, Enter); the
//     dynotty process's open fds, its descendant processes and its RSS must not grow;
//  2. stream: one session printing lines for a long time (in front, so frames are drawn);
//     RSS must stay bounded (the emulator's scrollback is capped).
// Not part of `npm test`: it takes minutes. Prints a summary; exits 1 when a check fails.
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { demoDynosOf, dynottyPid, killScreens, startDynotty } from '../helpers/dynotty.js';
import { childrenOf, descendantsOf, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';

/** What may differ after the soak from before it, and why. */
const TOLERANCE = {
  /** Every session's pty master, held slave and pipes are closed when it ends: none may stay. */
  fds: 0,
  /** Each session's shell (and its throwaway folder's helpers) is gone when it ends. */
  processes: 0,
  /**
   * V8 keeps some of the heap it grew while sessions came and went, and frees it lazily;
   * a leak of one emulator (1000 lines of scrollback) per session would be ~ 200 x 1-2 MB.
   */
  sessionsRssMB: 25,
  /** Over the second half of the stream, against its first sample after warm-up. */
  streamRssMB: 25,
};

const COLS = 100;
const ROWS = 30;
const PICKER = /compare ways in: /;
const PROMPT = /^~ \$/m;

interface Sample {
  at: number;
  fds: number;
  /** Descendants that are not the demo fleet's (whose loops start a `sleep` every second): sessions and what they started. */
  processes: number;
  /** The demo dynos' own shells (children of dynotty). */
  dynos: number;
  rssMB: number;
}

function rssMB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

function sample(pid: number, t0: number): Sample {
  const fleet = new Set(demoDynosOf(pid));
  return {
    at: (Date.now() - t0) / 1000,
    fds: readdirSync(`/proc/${pid}/fd`).length,
    processes: descendantsOf(pid).filter((p) => !fleet.has(p)).length,
    dynos: childrenOf(pid).filter((p) => fleet.has(p)).length,
    rssMB: rssMB(pid),
  };
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '(gone)';
  }
}

/** The processes below dynotty that are not the demo fleet's, with their command lines. */
function sessionProcesses(pid: number): string {
  const fleet = new Set(demoDynosOf(pid));
  return descendantsOf(pid)
    .filter((p) => !fleet.has(p))
    .map((p) => `${p} ${commandOf(p)}`)
    .join('; ');
}

const mb = (x: number): string => `${x.toFixed(1)} MB`;
const fmt = (s: Sample): string => `fds ${s.fds}, session processes ${s.processes}, demo dynos ${s.dynos}, RSS ${mb(s.rssMB)}`;

interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

function check(what: string, value: number, limit: number, unit: (x: number) => string = String): Check {
  return { what, ok: value <= limit, detail: `${unit(value)} (limit ${unit(limit)})` };
}

/** Waits until the process tree and fds are back where they were, or gives up and reports what is. */
async function settled(pid: number, t0: number, before: Sample): Promise<Sample> {
  try {
    await waitUntil(() => {
      const s = sample(pid, t0);
      return s.processes <= before.processes && s.fds <= before.fds;
    }, 5000, 'processes and fds to settle');
  } catch {
    // Reported by the checks below.
  }
  return sample(pid, t0);
}

/** `--node-options`: NODE_OPTIONS for dynotty, e.g. a smaller heap to tell a leak from lazy collection. */
let dynottyNodeOptions: string | undefined;

async function startOnDemo(): Promise<{ screen: PtyScreen; pid: number }> {
  const env = dynottyNodeOptions === undefined ? {} : { NODE_OPTIONS: dynottyNodeOptions };
  const screen = startDynotty(['--demo'], { cols: COLS, rows: ROWS, rawLimit: 64 * 1024, env });
  const pid = await dynottyPid(screen);
  await screen.waitFor(PICKER, 20_000);
  // The fleet at rest (part of "before"): its dynos started, and acme-billing's worker crashed as it does.
  await screen.waitFor(/worker\.1 +crashed/, 10_000);
  await waitUntil(() => demoDynosOf(pid).length >= 11, 10_000, 'the demo dynos');
  return { screen, pid };
}

async function quit(screen: PtyScreen): Promise<Check[]> {
  screen.proc.write('q');
  const { exitCode } = await screen.waitExit(15_000);
  const raw = screen.raw;
  const stty = raw.slice(raw.lastIndexOf('EXIT='));
  return [
    { what: 'dynotty exits with status 0', ok: exitCode === 0 && raw.includes('EXIT=0'), detail: stty.split(/\r?\n/)[0] ?? '' },
    { what: 'terminal back in cooked mode with echo', ok: /(^|\s)icanon(\s|$)/m.test(stty) && /(^|\s)echo(\s|$)/m.test(stty), detail: 'stty -a after exit' },
  ];
}

async function soakSessions(count: number, log: (s: string) => void): Promise<Check[]> {
  const { screen, pid } = await startOnDemo();
  const t0 = Date.now();
  const before = sample(pid, t0);
  log(`sessions: before: ${fmt(before)}`);
  const samples: Sample[] = [];
  let warm: Sample | null = null;
  const warmAfter = Math.min(10, count);
  let inSessionPeak = before;
  for (let n = 1; n <= count; n++) {
    await screen.send('r', (t) => t.includes('run bash · ') && PROMPT.test(t), 15_000);
    const during = sample(pid, t0);
    if (during.processes > inSessionPeak.processes) console.log(`  session ${n} open: ${sessionProcesses(pid)}`);
    if (during.fds > inSessionPeak.fds || during.processes > inSessionPeak.processes) inSessionPeak = during;
    await screen.send('exit\r', /exited with status 0 after/, 15_000);
    await screen.send(keys.enter, (t) => PICKER.test(t) && !t.includes('exited with status'), 15_000);
    const s = sample(pid, t0);
    samples.push(s);
    if (n === warmAfter) warm = s;
    if (n % 20 === 0 || n === count) log(`  after ${String(n).padStart(3)} sessions (${s.at.toFixed(0)} s): ${fmt(s)}`);
  }
  const after = await settled(pid, t0, before);
  const warmed = warm ?? before;
  const peakRss = Math.max(...samples.map((s) => s.rssMB));
  log(`sessions: during (one session open): ${fmt(inSessionPeak)}`);
  log(`sessions: after ${count}: ${fmt(after)}; RSS after ${warmAfter} sessions ${mb(warmed.rssMB)}, peak ${mb(peakRss)}`);
  log(`sessions: ${((Date.now() - t0) / count / 1000).toFixed(2)} s per open/exit/return cycle`);
  const checks = [
    check(`open fds after ${count} sessions vs before`, after.fds - before.fds, TOLERANCE.fds),
    check(`session processes after ${count} sessions vs before`, after.processes - before.processes, TOLERANCE.processes),
    check(`demo dynos after ${count} sessions vs before`, Math.abs(after.dynos - before.dynos), 0),
    check(`RSS growth from session ${warmAfter} to session ${count}`, after.rssMB - warmed.rssMB, TOLERANCE.sessionsRssMB, mb),
  ];
  return [...checks, ...(await quit(screen))];
}

/** `--detached`: the streaming session runs detached (Ctrl-]), so no frame is drawn: tells parsing from drawing. */
let streamDetached = false;

async function soakStream(durationMs: number, log: (s: string) => void): Promise<Check[]> {
  const { screen, pid } = await startOnDemo();
  const t0 = Date.now();
  const before = sample(pid, t0);
  log(`stream: before: ${fmt(before)}`);
  await screen.send('r', (t) => t.includes('run bash · ') && PROMPT.test(t), 15_000);
  // About 8,000 lines (500 KB) a second, each numbered, forever: far past the 1000-line scrollback.
  const command = `i=0; while :; do i=$((i+1)); seq 1 400 | sed "s/^/tick $i line /;s/$/ streaming output to fill a row of the pane/"; sleep 0.05; done`;
  await screen.send(`${command}\r`, /tick \d+ line 400 /, 15_000);
  const samples: Sample[] = [];
  const interval = Math.max(1000, Math.min(10_000, durationMs / 60));
  const tickOnScreen = (): number => Math.max(0, ...[...screen.text().matchAll(/tick (\d+) line/g)].map((m) => Number(m[1])));
  let lastTick = 0;
  let stalls = 0;
  if (streamDetached) {
    lastTick = tickOnScreen();
    await screen.send('\x1d', PICKER, 15_000);
  }
  while (Date.now() - t0 < durationMs) {
    await new Promise((r) => setTimeout(r, interval));
    const s = sample(pid, t0);
    samples.push(s);
    // Detached, the count is read once at the end (the screen shows the picker meanwhile).
    const tick = streamDetached ? lastTick + 1 : tickOnScreen() || lastTick;
    if (tick <= lastTick) stalls++;
    lastTick = tick;
    if (samples.length % Math.max(1, Math.round(60_000 / interval)) === 0) log(`  ${s.at.toFixed(0)} s: tick ${tick}, ${fmt(s)}`);
  }
  // The first samples include loading the session and growing the heap to its working size.
  const warmIndex = Math.floor(samples.length / 4);
  const warm = samples[warmIndex] ?? before;
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const peak = Math.max(...secondHalf.map((s) => s.rssMB));
  const last = samples[samples.length - 1] ?? before;
  if (streamDetached) {
    const ticksBefore = lastTick;
    await screen.send('1', /run bash · /, 15_000);
    await screen.waitFor(() => tickOnScreen() > ticksBefore, 15_000);
    lastTick = tickOnScreen();
  }
  await screen.send(keys.ctrlC, PROMPT, 15_000);
  await screen.send('exit\r', /exited with status/, 15_000);
  await screen.send(keys.enter, (t) => PICKER.test(t) && !t.includes('exited with status'), 15_000);
  const after = await settled(pid, t0, before);
  log(`stream: ${(durationMs / 60000).toFixed(1)} min, ${lastTick} ticks of 400 lines (${((lastTick * 400) / 1e6).toFixed(2)} M lines) ${streamDetached ? 'parsed while detached' : 'drawn in front'}`);
  log(`stream: RSS at ${warm.at.toFixed(0)} s ${mb(warm.rssMB)}, peak of the second half ${mb(peak)}, last ${mb(last.rssMB)}, all-time max ${mb(Math.max(...samples.map((s) => s.rssMB)))}`);
  log(`stream: after the session ended: ${fmt(after)}`);
  const checks = [
    check(`RSS peak in the second half vs at ${warm.at.toFixed(0)} s`, peak - warm.rssMB, TOLERANCE.streamRssMB, mb),
    { what: 'output kept flowing (the tick counter rose at every sample)', ok: stalls === 0 && lastTick > 0, detail: `${stalls} stalled samples of ${samples.length}` },
    check('open fds after the stream vs before', after.fds - before.fds, TOLERANCE.fds),
    check('session processes after the stream vs before', after.processes - before.processes, TOLERANCE.processes),
  ];
  return [...checks, ...(await quit(screen))];
}

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min)?$/.exec(text.trim());
  if (!m) throw new Error(`--stream takes a duration like 10m, 90s or 500ms, not ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '200' },
      stream: { type: 'string', default: '10m' },
      only: { type: 'string' },
      'node-options': { type: 'string' },
      detached: { type: 'boolean', default: false },
    },
  });
  streamDetached = values.detached;
  dynottyNodeOptions = values['node-options'];
  const sessions = Number(values.sessions);
  if (!Number.isInteger(sessions) || sessions < 1) throw new Error('--sessions takes a positive whole number');
  const streamMs = parseDuration(values.stream);
  const only = values.only;
  if (only !== undefined && only !== 'sessions' && only !== 'stream') throw new Error('--only takes sessions or stream');

  const log = (s: string): void => console.log(s);
  log(`dynotty soak, ${new Date().toISOString()}: ${only === 'stream' ? '' : `${sessions} sessions`}${only === undefined ? ', then ' : ''}${only === 'sessions' ? '' : `a ${values.stream} stream`}`);
  const checks: Check[] = [];
  if (only !== 'stream') checks.push(...(await soakSessions(sessions, log)));
  if (only !== 'sessions') checks.push(...(await soakStream(streamMs, log)));

  log('');
  for (const c of checks) log(`${c.ok ? 'pass' : 'FAIL'}  ${c.what}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  log(failed === 0 ? `soak passed (${checks.length} checks)` : `soak FAILED: ${failed} of ${checks.length} checks`);
  return failed === 0 ? 0 : 1;
}

main()
  .then((code) => {
    killScreens();
    process.exit(code);
  })
  .catch((err: unknown) => {
    killScreens();
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
