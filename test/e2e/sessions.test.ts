import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import xterm from '@xterm/headless';
import { assertTerminalRestored, dynottyPid, killScreens, startDynotty, terminalSettings } from '../helpers/dynotty.js';
import { descendantsOf, isAlive, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';

const DETACH = '\x1d';

after(killScreens);

/** Filters down to one dyno of one app, so the keys that follow act on it. */
async function selectDyno(screen: PtyScreen, app: string, dyno: string): Promise<void> {
  await screen.waitFor(/compare ways in: /);
  await screen.send('/', /Enter keep/);
  await screen.send(`${app} ${dyno}`, new RegExp(`compare ways in: ${app} · ${dyno.replace('.', '\\.')}`));
  await screen.send(keys.enter, /filter: /);
}

/** Types a command line into the session in front and waits for what it should print. */
async function run(screen: PtyScreen, line: string, expect: RegExp): Promise<string> {
  return screen.send(`${line}\r`, expect, 8000);
}


/** The picker as a whole frame: its header on the first row and only there, no session banner or header left. */
function pickerDrawnWhole(screen: string): boolean {
  const rows = screen.split('\n');
  return /│ demo fleet │/.test(rows[0] ?? '') && rows.filter((r) => /│ demo fleet │/.test(r)).length === 1 && !/exited with status|Ctrl-\] detach/.test(screen);
}

describe('sessions on the demo fleet, in a real terminal', () => {
  it('exec lands in the live dyno, run in a fresh copy: a file made through exec is seen by the next exec, never by a run', async () => {
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
    await selectDyno(screen, 'acme-storefront', 'web.1');

    await screen.send('x', /ps:exec · acme-storefront · web\.1 .*Ctrl-\] detach/);
    await screen.waitFor(/^~ \$/m);
    await run(screen, 'echo "D=$DYNO"; echo marker > made-by-exec; echo done-$((6*7))', /D=web\.1[\s\S]*done-42/);
    await screen.send(DETACH, /1 ps:exec acme-storefront web\.1 ● live/);

    await screen.send('x', /ps:exec · acme-storefront · web\.1/);
    await run(screen, 'cat made-by-exec && echo SEEN-$((1+1))', /SEEN-2/);
    await run(screen, 'printenv DATABASE_URL || echo NO-CONFIG-$((2+2))', /NO-CONFIG-4/);
    await screen.send('exit\r', /exited with status 0 after/);
    // The picker comes back whole: drawn from the top row, nothing of the session view left.
    await screen.send(keys.enter, (t) => t.includes('DYNOS acme-storefront') && pickerDrawnWhole(t));

    await screen.send('r', /run bash · acme-storefront · run\.\d{4}/);
    await run(screen, 'echo "D=$DYNO"; cat made-by-exec 2>/dev/null || echo ABSENT-$((3+3))', /D=run\.\d{4}[\s\S]*ABSENT-6/);
    await run(screen, 'printenv DATABASE_URL >/dev/null && echo CONFIG-SET-$((4+4))', /CONFIG-SET-8/);
    await screen.send('exit 3\r', /exited with status 3 after 0:\d\d · Enter returns to the picker/);
    await screen.send(keys.enter, (t) => t.includes('DYNOS acme-storefront') && pickerDrawnWhole(t));

    await screen.send('q', /quit dynotty\?[\s\S]*1 session is live/);
    await screen.send('y', /EXIT=0/);
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });

  it('leaving the last session\'s banner draws the picker whole, from the top row', async () => {
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
    await screen.waitFor(/compare ways in: /);
    await screen.send('r', /run bash · acme-billing · run\.\d{4}/);
    await screen.waitFor(/^~ \$/m);
    await screen.send('exit\r', /exited with status 0 after/);
    await screen.send(keys.enter, (t) => t.includes('DYNOS acme-billing') && pickerDrawnWhole(t));
    await screen.send('q', /EXIT=0/);
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });

  it('detach and re-attach keep the screen; Ctrl-C goes to the child; a resize reaches it', async () => {
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
    const pid = await dynottyPid(screen);
    await screen.waitFor(/compare ways in: /);
    await screen.send('r', /run bash · acme-billing · run\.\d{4}/);
    await screen.waitFor(/^~ \$/m);
    await run(screen, 'echo KEEP-$((20+1))', /KEEP-21/);
    // Ctrl-C interrupts the child's command, not dynotty.
    await run(screen, 'sleep 30', /sleep 30/);
    await screen.send(keys.ctrlC, (t) => (t.match(/^~ \$/mg) ?? []).length >= 3);
    await screen.send(DETACH, /1 run bash acme-billing run\.\d{4} ● live/);
    let text = await screen.send('1', /run bash · acme-billing/);
    assert.match(text, /KEEP-21/, 'the screen survived the detach');

    await run(screen, 'tput cols; tput lines', /\n100\s*\n27/);
    screen.resize(120, 40);
    await screen.waitFor((t) => t.split('\n').some((l) => l.length > 100));
    text = await run(screen, 'echo "size $(tput cols)x$(tput lines)"', /size 120x37/);
    assert.match(text, /size 120x37/, 'pane is the terminal less the header and status lines');

    const shells = descendantsOf(pid).filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('bash'));
    assert.ok(shells.length >= 1, 'the session shell is a child of dynotty');
    await screen.send(DETACH, /1 run bash/);
    await screen.send(keys.ctrlC, /quit dynotty\?/);
    await screen.send('n', (t) => !t.includes('quit dynotty?'));
    await screen.send(keys.ctrlC, /quit dynotty\?/);
    screen.proc.write('y');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
    await waitUntil(() => shells.every((p) => !isAlive(p)), 5000, 'session shells to end');
  });

  it('records a session as asciicast v2 that replays to the same text', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'dynotty-rec-test-')), 'casts');
    try {
      const screen = startDynotty(['--demo', '--record', dir], { cols: 90, rows: 26 });
      await screen.waitFor(/compare ways in: /);
      await screen.send('r', /run bash · acme-billing/);
      await screen.waitFor(/^~ \$/m);
      await run(screen, 'printf "\\033[1;32mRECORDED-%s\\033[0m\\n" $((40+2))', /RECORDED-42/);
      await screen.send('exit 0\r', /exited with status 0/);
      await screen.send(keys.enter, /DYNOS/);
      screen.proc.write('q');
      await screen.waitExit();

      const files = readdirSync(dir);
      assert.equal(files.length, 1);
      assert.match(files[0] ?? '', /^\d{8}-\d{6}-acme-billing-run\.\d{4}-run\.cast$/);
      const file = path.join(dir, files[0]!);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const [headerLine, ...eventLines] = readFileSync(file, 'utf8').trim().split('\n');
      const header = JSON.parse(headerLine ?? '{}') as { version: number; width: number; height: number; command: string };
      assert.equal(header.version, 2);
      assert.equal(header.width, 90);
      assert.equal(header.height, 23);
      assert.equal(header.command, 'heroku run bash -a acme-billing');
      const events = eventLines.map((l) => JSON.parse(l) as [number, string, string]);
      const replay = new xterm.Terminal({ cols: header.width, rows: header.height, allowProposedApi: true });
      const output = events.filter((e) => e[1] === 'o').map((e) => e[2]).join('');
      await new Promise<void>((resolve) => replay.write(output, resolve));
      const lines: string[] = [];
      for (let y = 0; y < replay.buffer.active.length; y++) lines.push(replay.buffer.active.getLine(y)?.translateToString(true) ?? '');
      assert.ok(lines.some((l) => l === 'RECORDED-42'), `replay shows the output:\n${lines.join('\n')}`);
      replay.dispose();
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('full-screen hand-off gives the child the whole terminal and takes it back', async () => {
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
    await screen.waitFor(/compare ways in: /);
    await screen.send('f', /\[full-screen next\]/);
    await screen.send('r', (t) => /^~ \$/m.test(t) && !t.includes('compare ways in'));
    assert.equal(screen.term.buffer.active.type, 'normal', 'the child has the main screen');
    const text = await run(screen, 'echo "full $(tput cols)x$(tput lines)"', /full 100x30/);
    assert.doesNotMatch(text, /Ctrl-\] detach/, 'no dynotty chrome around the child');
    // The child's own pty translates its newlines; the real terminal must not do it again.
    assert.match(terminalSettings(screen), /(^|\s)-opost(\s|$)/m, 'no output processing during the hand-off');
    const bare = await run(screen, "stty -onlcr; printf 'left\\ngoes-on\\n'; stty onlcr; echo", /left\s*\n\s+goes-on/);
    assert.match(bare, /^left *\n {4}goes-on/m, 'a bare LF moves down only, as on a real terminal');
    await screen.send(DETACH, /1 run bash acme-billing run\.\d{4} ● live/);
    assert.equal(screen.term.buffer.active.type, 'alternate', 'the picker is back on its own screen');
    assert.match(terminalSettings(screen), /(^|\s)opost(\s|$)/m, 'output processing back for the picker');
    await screen.send('1', /run bash · acme-billing/);
    await run(screen, 'echo "embedded $(tput cols)x$(tput lines)"', /embedded 100x27/);
    await screen.send('exit\r', /exited with status 0/);
    await screen.send(keys.enter, /DYNOS/);
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0', { altScreenEntries: 2 });
  });
});

describe('production guard, in a real terminal', () => {
  it('--protect makes exec ask for the app name; run does not', async () => {
    const screen = startDynotty(['--demo', '--protect', 'acme-store*'], { cols: 100, rows: 30 });
    await selectDyno(screen, 'acme-storefront', 'web.1');
    await screen.send('x', /acme-storefront is protected[\s\S]*Type[\s\S]*the app name/);
    await screen.send('acme-storefron', /› acme-storefron/);
    await screen.send(keys.enter, /› acme-storefron/);
    assert.doesNotMatch(screen.text(), /ps:exec · acme-storefront/, 'a wrong name opens nothing');
    await screen.send('t', /Enter opens the session/);
    await screen.send(keys.enter, /ps:exec · acme-storefront · web\.1/);
    await screen.waitFor(/^~ \$/m);
    await screen.send('exit\r', /exited with status 0/);
    await screen.send(keys.enter, /DYNOS acme-storefront/);
    await screen.send('x', /is protected/);
    await screen.send(keys.esc, (t) => !t.includes('is protected'));
    await screen.send('r', /run bash · acme-storefront/);
    await screen.send('exit\r', /exited with status 0/);
    await screen.send(keys.enter, /DYNOS/);
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });
});
