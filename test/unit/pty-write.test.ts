import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pty from 'node-pty';
import { writeToPtyNow } from '../../src/session/pty-write.js';
import { waitFor } from '../helpers/wait.js';

/** `cat` in a pty: what is written to the master comes back (the tty echoes it, cat prints it). */
function startCat(): { proc: pty.IPty; output: () => string; close: () => void } {
  const proc = pty.spawn('/bin/cat', [], { cols: 80, rows: 24, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  let out = '';
  proc.onData((d) => (out += d));
  return { proc, output: () => out, close: () => proc.kill('SIGKILL') };
}

describe('writeToPtyNow', () => {
  it('writes short input straight to the pty master and says nothing is left', async () => {
    const { proc, output, close } = startCat();
    try {
      assert.equal(writeToPtyNow(proc, 'héllo\r', 16), null);
      await waitFor(() => output().includes('héllo'), 'the echo', { timeoutMs: 3000 });
    } finally {
      close();
    }
  });

  it('leaves input longer than the limit, or behind what node-pty still has queued, to node-pty, in order', async () => {
    const { proc, output, close } = startCat();
    try {
      assert.equal(writeToPtyNow(proc, 'x'.repeat(17), 16), 'x'.repeat(17), 'too long: all of it is returned');
      proc.write(`${'a'.repeat(2000)}\r`);
      const rest = writeToPtyNow(proc, 'tail\r', 16);
      assert.equal(rest, 'tail\r', 'node-pty has a write queued: this one must not overtake it');
      proc.write(rest);
      await waitFor(() => /a{2000}[\s\S]*tail/.test(output()), 'both lines, in order', { timeoutMs: 3000 });
    } finally {
      close();
    }
  });
});
