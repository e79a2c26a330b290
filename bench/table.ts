// The readable report: every figure, then each target with its ratio and pass/miss.
import { JSON_KEYS, type Figure, type JsonKey } from './lib/figures.js';

export interface TargetResult {
  name: string;
  /** "2.1 ms ≤ 16 ms", "1.3x tmux (≥ 1x)". */
  check: string;
  pass: boolean | null;
}

type Values = Partial<Record<string, number>>;

function num(v: number | undefined, digits = 1): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
}

function ratio(a: number | undefined, b: number | undefined): number {
  return a === undefined || b === undefined || b === 0 ? Number.NaN : a / b;
}

function verdict(ok: boolean | null): string {
  return ok === null ? 'n/a ' : ok ? 'pass' : 'MISS';
}

/** The targets of the issue, evaluated against what was measured (null: not measured). */
export function evaluateTargets(v: Values): TargetResult[] {
  const has = (...keys: string[]): boolean => keys.every((k) => v[k] !== undefined && Number.isFinite(v[k]));
  const out: TargetResult[] = [];
  const add = (name: string, keys: string[], check: () => string, pass: () => boolean): void => {
    out.push(has(...keys) ? { name, check: check(), pass: pass() } : { name, check: 'not measured', pass: null });
  };
  const frameRatio = ratio(v.firstFrameMs, v.herokuCliStartMs);
  add('first frame ≤ ¼ of heroku CLI start', ['firstFrameMs', 'herokuCliStartMs'],
    () => `${num(v.firstFrameMs, 0)} ms = ${num(frameRatio, 2)}x of ${num(v.herokuCliStartMs, 0)} ms (≤ 0.25x)`,
    () => frameRatio <= 0.25);
  const trips = ratio(v.listing50AppsMs, v.roundTripMs);
  add('50 apps listed in ≤ 3 round trips', ['listing50AppsMs', 'roundTripMs'],
    () => `${num(v.listing50AppsMs, 0)} ms = ${num(trips, 1)} round trips of ${num(v.roundTripMs, 0)} ms (≤ 3)`,
    () => trips <= 3);
  add('10k dynos: filter key p99 ≤ 16 ms', ['filter10kP99Ms'], () => `${num(v.filter10kP99Ms)} ms (≤ 16)`, () => (v.filter10kP99Ms ?? Infinity) <= 16);
  add('10k dynos: cursor key p99 ≤ 16 ms', ['cursor10kP99Ms'], () => `${num(v.cursor10kP99Ms)} ms (≤ 16)`, () => (v.cursor10kP99Ms ?? Infinity) <= 16);
  const emb = ratio(v.embeddedMBps, v.tmuxMBps);
  add('embedded throughput ≥ tmux', ['embeddedMBps', 'tmuxMBps'],
    () => `${num(v.embeddedMBps)} MB/s = ${num(emb, 2)}x tmux's ${num(v.tmuxMBps)} MB/s (≥ 1x)`,
    () => emb >= 1);
  add('embedded throughput ≥ 1.5x tmux (aim)', ['embeddedMBps', 'tmuxMBps'], () => `${num(emb, 2)}x (≥ 1.5x)`, () => emb >= 1.5);
  const full = ratio(v.fullscreenMBps, v.barePtyMBps);
  add('full-screen ≥ 0.9x bare pty', ['fullscreenMBps', 'barePtyMBps'],
    () => `${num(v.fullscreenMBps)} MB/s = ${num(full, 2)}x bare pty's ${num(v.barePtyMBps)} MB/s (≥ 0.9x)`,
    () => full >= 0.9);
  add('echo p99 ≤ 16 ms', ['echoP99Ms'], () => `${num(v.echoP99Ms)} ms (≤ 16)`, () => (v.echoP99Ms ?? Infinity) <= 16);
  add('echo p99 ≤ tmux echo p99', ['echoP99Ms', 'tmuxEchoP99Ms'],
    () => `${num(v.echoP99Ms)} ms vs tmux ${num(v.tmuxEchoP99Ms)} ms`,
    () => (v.echoP99Ms ?? Infinity) <= (v.tmuxEchoP99Ms ?? -Infinity));
  add('RSS with the live sessions < 150 MB', ['rssMB10Sessions'], () => `${num(v.rssMB10Sessions)} MB (< 150)`, () => (v.rssMB10Sessions ?? Infinity) < 150);
  return out;
}

function pad(s: string, n: number): string {
  const len = [...s].length;
  return len >= n ? s : s + ' '.repeat(n - len);
}

function padStart(s: string, n: number): string {
  const len = [...s].length;
  return len >= n ? s : ' '.repeat(n - len) + s;
}

/** The figures (JSON keys first, extras after) and the targets, as plain text. */
export function renderTable(figures: Figure[], targets: TargetResult[], header: string): string {
  const order = (f: Figure): number => {
    const i = JSON_KEYS.indexOf(f.key as JsonKey);
    return i >= 0 ? i : JSON_KEYS.length;
  };
  const sorted = [...figures].sort((a, b) => order(a) - order(b));
  const keyW = Math.max(...sorted.map((f) => f.key.length), 4);
  const labelW = Math.max(...sorted.map((f) => [...f.label].length), 6);
  const lines: string[] = [header, ''];
  lines.push(`${pad('key', keyW)}  ${pad('what', labelW)}  ${padStart('value', 9)}  unit  how`);
  lines.push(`${'-'.repeat(keyW)}  ${'-'.repeat(labelW)}  ${'-'.repeat(9)}  ----  ---`);
  let extras = false;
  for (const f of sorted) {
    if (!extras && order(f) === JSON_KEYS.length) {
      extras = true;
      lines.push(`${pad('(extras, table only)', keyW)}`);
    }
    const digits = f.unit === 'ms' && f.value >= 100 ? 0 : 1;
    lines.push(`${pad(f.key, keyW)}  ${pad(f.label, labelW)}  ${padStart(num(f.value, digits), 9)}  ${pad(f.unit, 4)}  ${f.detail}`);
  }
  lines.push('', 'targets');
  const nameW = Math.max(...targets.map((t) => [...t.name].length));
  for (const t of targets) lines.push(`  ${verdict(t.pass)}  ${pad(t.name, nameW)}  ${t.check}`);
  const missed = targets.filter((t) => t.pass === false).length;
  lines.push('', `${missed === 0 ? 'every measured target met' : `${missed} target(s) missed`}`);
  return lines.join('\n');
}
