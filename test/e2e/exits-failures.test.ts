// The exits nobody plans: an internal error (an exception or rejection nobody caught), a
// session child that crashes, a child that floods its pane. In the embedded pane and in the
// full-screen hand-off, each leaves the terminal as found (cooked mode, echo, cursor shown,
// main screen) and no process behind. Signals and q are in exits.test.ts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertTerminalRestored, demoDynosOf, dynottyPid, killScreens, startDynotty } from '../helpers/dynotty.js';
import { descendantsOf, isAlive, processesWithEnv, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';

after(killScreens);

const DETACH = '\x1d';
const PROMPT = /^~ \$/m;
type View = 'picker' | 'embedded session' | 'full screen';

interface Running {
  screen: PtyScreen;
  pid: number;
  /** Every process dynotty started that should be gone at the end: dynos, shells, their jobs. */
  children: () => number[];
}

/**
 * dynotty on the demo fleet with a detached session that has a job of its own (so a shell
 * and its background process must both be ended), then the view asked for in front.
 */
async function openView(view: View, env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const screen = startDynotty(['--demo'], { cols: 100, rows: 30, env });
  const pid = await dynottyPid(screen);
  await screen.waitFor(/compare ways in: /);
  await screen.send('r', /run bash · acme-billing/);
  await screen.waitFor(PROMPT);
  await screen.send('sleep 600 &\r', /\[1\] \d+/);
  await screen.send(DETACH, /1 run bash/);
  if (view === 'embedded session') {
    await screen.send('r', /run bash · acme-billing/);
    await screen.waitFor(PROMPT);
  }
  if (view === 'full screen') {
    await screen.send('f', /full-screen next/);
    await screen.send('r', (t) => PROMPT.test(t) && !t.includes('compare ways in'));
  }
  await waitUntil(() => demoDynosOf(pid).length >= 8, 5000, 'the demo dynos');
  const seen = new Set<number>();
  const children = (): number[] => {
    for (const p of [...descendantsOf(pid), ...demoDynosOf(pid)]) seen.add(p);
    return [...seen];
  };
  // Sessions' shells and the background sleep: at least 2 more than the dynos.
  await waitUntil(() => children().length >= demoDynosOf(pid).length + 2, 5000, 'the sessions and their job');
  return { screen, pid, children };
}

async function assertNothingLeft(children: number[]): Promise<void> {
  await waitUntil(() => children.every((p) => !isAlive(p)), 5000, `every child to be gone (${children.filter(isAlive).join(', ')})`);
}

describe('an internal error leaves the terminal as found and no process behind', () => {
  for (const fault of ['uncaught-exception', 'unhandled-rejection'] as const) {
    for (const view of ['picker', 'embedded session', 'full screen'] as const) {
      it(`${fault} in the ${view}`, async () => {
        const { screen, pid, children } = await openView(view, { DYNOTTY_TEST_FAULT: fault });
        const started = children();
        process.kill(pid, 'SIGUSR2');
        await screen.waitExit();
        assertTerminalRestored(screen, 'EXIT=1', { altScreenEntries: 1 });
        const text = screen.text();
        assert.match(text, new RegExp(`dynotty: internal error: injected fault \\(DYNOTTY_TEST_FAULT=${fault}\\)`), 'the message is on the main screen');
        assert.doesNotMatch(text, /at .*\.js:\d+/, 'no stack trace without DEBUG');
        await assertNothingLeft(started);
      });
    }
  }
});

describe('a session child that crashes', () => {
  it('in the embedded pane: the banner says so, the picker lives on, quitting leaves nothing', async () => {
    const { screen, children } = await openView('embedded session');
    await screen.send('kill -SEGV $$\r', /killed by signal 11 after \d+:\d\d · Enter returns to the picker/);
    await screen.send(keys.enter, (t) => /compare ways in: /.test(t) && !t.includes('killed by signal'));
    await screen.send('j', /compare ways in: acme-ml-fir/);
    const started = children();
    await screen.send('q', /quit dynotty\?[\s\S]*1 session is live/);
    screen.proc.write('y');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
    await assertNothingLeft(started);
  });

  it('in full screen: dynotty takes the terminal back, shows the banner, the picker lives on; quitting leaves nothing', async () => {
    const { screen, children } = await openView('full screen');
    await screen.send('kill -SEGV $$\r', /killed by signal 11 after \d+:\d\d · Enter returns to the picker/);
    assert.equal(screen.term.buffer.active.type, 'alternate', 'dynotty has its screen back');
    await screen.send(keys.enter, (t) => /compare ways in: /.test(t) && !t.includes('killed by signal'));
    await screen.send('j', /compare ways in: acme-ml-fir/);
    const started = children();
    await screen.send('q', /quit dynotty\?[\s\S]*1 session is live/);
    screen.proc.write('y');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0', { altScreenEntries: 2 });
    await assertNothingLeft(started);
  });
});

describe('a session child that floods its output', () => {
  const FLOOD = 'yes flood-line-of-output\r';
  const flooding = /flood-line-of-output\n[\s\S]*flood-line-of-output/;

  it('in the embedded pane: Ctrl-C stops it; flooding again, detach and q end it', async () => {
    const { screen, children } = await openView('embedded session');
    await screen.send(FLOOD, flooding);
    screen.proc.write(keys.ctrlC);
    await screen.send('echo STOPPED-$((2+3))\r', /STOPPED-5/, 10_000);
    await screen.send(FLOOD, (t) => flooding.test(t) && !t.includes('STOPPED-5'));
    await screen.send(DETACH, (t) => /compare ways in: /.test(t) && /2 run bash/.test(t));
    const started = children();
    await screen.send('q', /quit dynotty\?[\s\S]*2 sessions are live/);
    screen.proc.write('y');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
    await assertNothingLeft(started);
  });

  it('in full screen: Ctrl-C stops it; flooding again, Ctrl-] gives the picker back and q ends it', async () => {
    const { screen, children } = await openView('full screen');
    await screen.send(FLOOD, flooding);
    screen.proc.write(keys.ctrlC);
    await screen.send('echo STOPPED-$((2+3))\r', /STOPPED-5/, 10_000);
    await screen.send(FLOOD, (t) => flooding.test(t) && !t.includes('STOPPED-5'));
    await screen.send(DETACH, (t) => /compare ways in: /.test(t) && /2 run bash/.test(t), 10_000);
    assert.equal(screen.term.buffer.active.type, 'alternate', 'the picker has its screen back');
    const started = children();
    await screen.send('q', /quit dynotty\?[\s\S]*2 sessions are live/);
    screen.proc.write('y');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0', { altScreenEntries: 2 });
    await assertNothingLeft(started);
  });
});

describe('a job in a session that ignores SIGHUP', () => {
  // An interactive shell runs each job in a process group of its own, so ending the shell's
  // group missed it, and `trap '' HUP` let it outlive dynotty: every process of the child's
  // terminal session is ended now.
  let marks = 0;
  for (const how of ['q', 'SIGTERM', 'an internal error', 'its shell exiting first'] as const) {
    it(`is ended on ${how}`, async () => {
      const screen = startDynotty(['--demo'], { cols: 100, rows: 30, env: { DYNOTTY_TEST_FAULT: 'uncaught-exception' } });
      const pid = await dynottyPid(screen);
      await screen.waitFor(/compare ways in: /);
      await screen.send('r', /run bash · acme-billing/);
      await screen.waitFor(PROMPT);
      // Found by a mark in its environment: once its shell is gone it is no descendant of dynotty.
      const mark = `${process.pid}-${++marks}`;
      const job = `trap '' HUP; LEFTOVER_MARK=${mark} exec sleep 600`;
      let sleeper = 0;
      const found = (): boolean => (sleeper = processesWithEnv('LEFTOVER_MARK', mark)[0] ?? 0) > 0;
      if (how === 'its shell exiting first') {
        screen.proc.write(`(${job}) & disown; exit\r`);
        await screen.waitFor(/exited with status 0/);
        await waitUntil(found, 5000, 'the sleep');
        await screen.send(keys.enter, (t) => /compare ways in: /.test(t) && !t.includes('exited with status'));
        await waitUntil(() => !isAlive(sleeper), 5000, 'the sleep left by the dismissed session to be ended');
        screen.proc.write('q');
        await screen.waitExit();
        assertTerminalRestored(screen, 'EXIT=0');
        return;
      }
      screen.proc.write(`${job}\r`);
      await waitUntil(found, 5000, 'the sleep');
      if (how === 'q') {
        await screen.send('\x1d', /1 run bash/);
        await screen.send('q', /quit dynotty\?/);
        screen.proc.write('y');
      } else {
        process.kill(pid, how === 'SIGTERM' ? 'SIGTERM' : 'SIGUSR2');
      }
      await screen.waitExit();
      assertTerminalRestored(screen, how === 'q' ? 'EXIT=0' : how === 'SIGTERM' ? 'EXIT=143' : 'EXIT=1');
      await waitUntil(() => !isAlive(sleeper), 5000, 'the sleep that ignores SIGHUP to be ended');
    });
  }
});
