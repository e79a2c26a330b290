import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import { describe, it } from 'node:test';
import { PtySession } from '../../src/session/pty-session.js';
import type { SpawnSpec } from '../../src/session/spec.js';
import { waitFor } from '../helpers/wait.js';

function spec(args: string[]): SpawnSpec {
  return {
    file: '/bin/sleep',
    args,
    cwd: os.tmpdir(),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    title: 'sleep',
    dynoName: null,
    dispose: async () => undefined,
  };
}

function exeOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

function ptyMastersOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target === '/dev/ptmx' || target.startsWith('/dev/pts/ptmx'));
}

// node-pty 1.1.0 let every later pty child inherit the masters of earlier sessions, so one
// session's shell could read and write another's terminal; 1.2.0 closes them in the child.
describe('pty masters stay with dynotty', () => {
  it('a second session inherits no pty master of the first', async () => {
    const opts = { cols: 80, rows: 24, onFrame: () => undefined, onExit: () => undefined };
    const first = PtySession.start(spec(['30']), opts);
    const second = PtySession.start(spec(['30']), opts);
    try {
      // Until the child has exec'd, it is a copy of this process with all its fds.
      await waitFor(() => [first.pid, second.pid].every((pid) => exeOf(pid).endsWith('/sleep')), 'both children to exec sleep');
      assert.deepEqual(ptyMastersOf(first.pid), []);
      assert.deepEqual(ptyMastersOf(second.pid), [], 'the second session holds no master of the first');
    } finally {
      await Promise.all([first.kill(200), second.kill(200)]);
    }
  });
});
