// Every process of a pty child's terminal session. node-pty makes the child a session
// leader, so all it starts share its session id, but an interactive shell puts each job in a
// process group of its own: signalling the child's group misses them, and a job that ignores
// SIGHUP (`trap '' HUP; sleep 600`) outlived dynotty. Linux only (/proc); elsewhere none are
// found and the process-group signals are all there is.
import { readdirSync, readFileSync } from 'node:fs';

const SIGHUP_BIT = 1n << 0n;

/** Live (not zombie) processes whose session id is `sid` (or one of `sid`). */
export function sessionMembers(sid: number | ReadonlySet<number>): number[] {
  const wanted = typeof sid === 'number' ? new Set([sid]) : sid;
  if (wanted.size === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command's closing parenthesis: state ppid pgrp session ...
      const [state, , , session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (wanted.has(Number(session)) && state !== 'Z') found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
}

/** Whether SIGHUP would not end the process: ignored or blocked (a caught one may still exit). */
export function ignoresHangup(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = (name: string): bigint => BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`);
    return ((mask('SigIgn') | mask('SigBlk')) & SIGHUP_BIT) !== 0n;
  } catch {
    return false;
  }
}

/**
 * Ends what is left of a session: SIGHUP, then SIGKILL for whatever is still there after
 * `graceMs`. Resolves when none is left (or after the SIGKILL).
 */
export async function endSession(sid: number, graceMs: number): Promise<void> {
  let left = sessionMembers(sid);
  if (left.length === 0) return;
  signalAll(left, 'SIGHUP');
  const deadline = Date.now() + graceMs;
  while ((left = sessionMembers(sid)).length > 0 && Date.now() < deadline) await delay(25);
  signalAll(left, 'SIGKILL');
}

/**
 * For an exit that cannot wait (an internal error): SIGHUP to every member, and SIGKILL at
 * once to those that would survive it.
 */
export function endSessionsNow(sids: ReadonlySet<number>): void {
  const members = sessionMembers(sids);
  signalAll(members, 'SIGHUP');
  signalAll(members.filter(ignoresHangup), 'SIGKILL');
}

/** Not unref'd: at quit nothing else may keep Node running while the leftovers are ended. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Terminal sessions started by this process whose leftovers were not ended yet. Kept here,
 * not in pty-session.ts, so the fatal-error path can reach it without loading node-pty.
 */
export const startedSessions = new Set<number>();

/** An internal error is ending dynotty: every session's processes, at once, synchronously. */
export function endAllSessionsNow(): void {
  endSessionsNow(startedSessions);
}
