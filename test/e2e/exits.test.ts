import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { assertTerminalRestored, demoDynosOf, dynottyPid, killScreens, startDynotty } from '../helpers/dynotty.js';
import { descendantsOf, isAlive, waitUntil } from '../helpers/processes.js';

after(killScreens);

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

describe('every way dynotty is ended leaves the terminal as it was and no process behind', () => {
  for (const [signal, code] of Object.entries(EXIT_CODES)) {
    for (const view of ['picker', 'session', 'full screen'] as const) {
      it(`${signal} in the ${view}`, async () => {
        const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
        const pid = await dynottyPid(screen);
        await screen.waitFor(/compare ways in: /);
        // A detached session with a child of its own, and (unless in the picker) one in front.
        await screen.send('r', /run bash · acme-billing/);
        await screen.waitFor(/^~ \$/m);
        await screen.send('sleep 600 &\r', /\[1\] \d+/);
        await screen.send('\x1d', /1 run bash/);
        if (view === 'session') await screen.send('r', /run bash · acme-billing/);
        if (view === 'full screen') {
          await screen.send('f', /full-screen next/);
          await screen.send('r', (t) => /^~ \$/m.test(t) && !t.includes('compare ways in'));
        }
        let dynos: number[] = [];
        await waitUntil(() => (dynos = demoDynosOf(pid)).length >= 8, 5000, 'the demo dynos');
        const children = descendantsOf(pid);
        assert.ok(children.some((p) => commandOf(p).startsWith('sleep 600')), 'the background sleep is ours');

        process.kill(pid, signal);
        await screen.waitExit();
        assertTerminalRestored(screen, `EXIT=${code}`, { altScreenEntries: 1 });
        await waitUntil(() => [...dynos, ...children].every((p) => !isAlive(p)), 5000, 'every child to be gone');
      });
    }
  }
});
