// Logs, restart, enabling exec and copying the command, on the demo fleet, in a real
// terminal: the log lines come from the dyno processes, a restart really replaces the
// process, and the clipboard sequence reaches the outer terminal byte for byte.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { cliPath } from '../helpers/pty-screen.js';
import { assertTerminalRestored, demoDynosOf, dynottyPid, killScreens, startDynotty } from '../helpers/dynotty.js';
import { processesWithEnv, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';

after(killScreens);

/** Filters down to one dyno of one app; the dynos list has the focus afterwards. */
async function selectDyno(screen: PtyScreen, app: string, dyno: string): Promise<void> {
  await screen.waitFor(/compare ways in: /);
  await screen.send('/', /Enter keep/);
  await screen.send(`${app} ${dyno}`, new RegExp(`compare ways in: ${app} · ${dyno.replace('.', '\\.')}`));
  await screen.send(keys.enter, /filter: /);
}

/** The pid of a demo dyno's process (its /bin/sh loop), found by its environment. */
function dynoPid(dynotty: number, app: string, dyno: string): number | undefined {
  const mine = new Set(demoDynosOf(dynotty));
  const ofApp = new Set(processesWithEnv('HEROKU_APP_NAME', app));
  return processesWithEnv('DYNO', dyno).find((p) => mine.has(p) && ofApp.has(p));
}

/** The screen row holding `text`, and whether its first cell has a colour. */
function coloured(screen: PtyScreen, text: string): boolean | null {
  const buf = screen.term.buffer.active;
  for (let y = 0; y < screen.term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (line?.translateToString(true).includes(text)) return line.getCell(0)?.getFgColorMode() !== 0;
  }
  return null;
}

/** A dialog's text on one line: its border and the wrapping gone. */
function flat(text: string): string {
  return text.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
}

async function quit(screen: PtyScreen): Promise<void> {
  await screen.send('q', /EXIT=0/);
  await screen.waitExit();
  assertTerminalRestored(screen, 'EXIT=0');
}

describe('operator keys on the demo fleet', () => {
  it('l streams the dyno processes\' own log lines: coloured, pausable, searchable; Esc back', async () => {
    // CI=true (set by the rig) makes Ink's colour detection say no colour; a user's terminal says yes.
    const screen = startDynotty(['--demo'], { cols: 120, rows: 30, env: { FORCE_COLOR: '3' } });
    await selectDyno(screen, 'acme-storefront', 'web.1');
    let text = await screen.send('l', /logs · acme-storefront · web\.1 · ● live/);
    assert.match(text, /\$ heroku logs --tail -a acme-storefront --dyno-name web\.1/);
    // Written by the dyno's /bin/sh loop as it runs, in logplex's format.
    text = await screen.waitFor(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[web\.1\]: (GET|POST) /, 10_000);
    assert.doesNotMatch(text, /\[web\.2\]|\[worker\.1\]|heroku\[router\]/, 'only web.1');
    assert.equal(coloured(screen, 'app[web.1]:'), true, 'the source part is coloured, as the CLI colours it');

    text = await screen.send(' ', /⏸ paused/);
    const frozen = screen.lines().slice(1, 4);
    await screen.waitFor(/paused · \d+ new lines? below/, 10_000);
    // Lines may fill the empty rows below, but what was on screen does not move.
    assert.deepEqual(screen.lines().slice(1, 4).slice(0, frozen.filter((l) => l !== '').length), frozen.filter((l) => l !== ''), 'paused: the view stays put while lines are collected');

    await screen.send('/', /Enter find/);
    await screen.send('GET', / \/ GET/);
    text = await screen.send(keys.enter, /match \d+\/\d+ matches/);
    const [, index, count] = /match (\d+)\/(\d+) matches/.exec(text) ?? [];
    assert.ok(Number(count) >= 1);
    if (Number(count) > 1) await screen.send('n', new RegExp(`match ${(Number(index) % Number(count)) + 1}/${count}`));
    await screen.send(' ', /● live/);

    text = await screen.send(keys.esc, /DYNOS acme-storefront/);
    assert.doesNotMatch(text, /logs ·/);
    // From the apps list: the whole app, the router included.
    await screen.send('h', /APPS/);
    text = await screen.send('l', /logs · acme-storefront · all dynos/);
    await screen.waitFor((t) => /app\[worker\.1\]/.test(t) && /heroku\[router\]: at=info/.test(t) && /app\[web\.2\]/.test(t), 12_000);
    await screen.send(keys.esc, /DYNOS acme-storefront/);
    await quit(screen);
  });

  it('s restarts the dyno after a y: its process is replaced and the list shows starting, then up', async () => {
    const screen = startDynotty(['--demo'], { cols: 120, rows: 30 });
    const pid = await dynottyPid(screen);
    await selectDyno(screen, 'acme-storefront', 'web.2');
    await screen.waitFor(/▸● web\.2 +up/, 8000);
    const before = dynoPid(pid, 'acme-storefront', 'web.2');
    assert.ok(before, 'web.2 has a process');

    let text = await screen.send('s', /restart web\.2 of acme-storefront\?/);
    assert.match(text, /\$ heroku ps:restart -a acme-storefront --dyno-name web\.2/);
    text = await screen.send('n', (t) => !t.includes('restart web.2 of'));
    assert.equal(dynoPid(pid, 'acme-storefront', 'web.2'), before, 'n changes nothing');

    await screen.send('s', /restart web\.2 of acme-storefront\?/);
    await screen.send('y', /▸◐ web\.2 +starting/, 5000);
    await screen.waitFor(/▸● web\.2 +up/, 10_000);
    const after = dynoPid(pid, 'acme-storefront', 'web.2');
    assert.ok(after !== undefined && after !== before, `a new process (${before} -> ${after})`);
    // The platform's lines, then the new process's own, in its log.
    text = await screen.send('l', /logs · acme-storefront · web\.2/);
    await screen.waitFor(
      (t) => /heroku\[web\.2\]: Restarting/.test(t) && /Stopping all processes with SIGTERM/.test(t) && /Process exited with status 143/.test(t),
      8000,
    );
    await screen.send(keys.esc, /DYNOS/);
    await quit(screen);
  });

  it('x on an app without exec explains the restart of every dyno and goes on only after a y', async () => {
    const screen = startDynotty(['--demo'], { cols: 120, rows: 34 });
    const pid = await dynottyPid(screen);
    await selectDyno(screen, 'acme-billing', 'web.1');
    let text = await screen.waitFor(/▲ exec not enabled: restarts all dynos/);
    assert.match(text, /high: restarts dynos/, 'the comparison says it before the key');
    await screen.waitFor(/▸● web\.1 +up/, 8000);
    const before = dynoPid(pid, 'acme-billing', 'web.1');

    text = await screen.send('x', /enable exec on acme-billing\?/);
    assert.match(flat(text), /restarts every dyno of the app \(web\.1, worker\.1\)/);
    await screen.send('n', (t) => !t.includes('enable exec on'));
    assert.equal(dynoPid(pid, 'acme-billing', 'web.1'), before, 'n restarts nothing');
    await screen.send('x', /enable exec on acme-billing\?/);
    await screen.send('y', /ps:exec · acme-billing · web\.1/, 20_000);
    await screen.waitFor(/^~ \$/m);
    const after = dynoPid(pid, 'acme-billing', 'web.1');
    assert.ok(after !== undefined && after !== before, 'web.1 was restarted');
    await screen.send('exit\r', /exited with status 0/);
    text = await screen.send(keys.enter, /DYNOS acme-billing/);
    await screen.waitFor((t) => !t.includes('exec not enabled') && /✔ live dyno web\.1/.test(t), 8000);
    await quit(screen);
  });

  it('c copies the command with OSC 52, byte for byte, and shows it; r / x copy the other modes', async () => {
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
    await selectDyno(screen, 'acme-storefront', 'web.1');
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    let text = await screen.send('c', /copied to the clipboard/);
    assert.match(text, /heroku run bash -a acme-storefront/);
    assert.ok(screen.raw.includes(`\x1b]52;c;${b64('heroku run bash -a acme-storefront')}\x07`), 'the OSC 52 sequence reached the terminal');
    assert.ok(!screen.raw.includes('\x1bPtmux;'), 'no tmux wrapping outside tmux');
    text = await screen.send('x', /heroku ps:exec -a acme-storefront --dyno web\.1/);
    assert.ok(screen.raw.includes(`\x1b]52;c;${b64('heroku ps:exec -a acme-storefront --dyno web.1')}\x07`));
    await screen.send(keys.esc, (t) => !t.includes('copied to the clipboard'));
    await quit(screen);
  });

  it('inside tmux ($TMUX set) the sequence also goes through tmux\'s passthrough', async () => {
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30, env: { TMUX: '/tmp/tmux-0/default,1,0' } });
    await selectDyno(screen, 'sideproject-eco', 'web.1');
    await screen.send('c', /copied to the clipboard/);
    const seq = `\x1b]52;c;${Buffer.from('heroku run bash -a sideproject-eco').toString('base64')}\x07`;
    await waitUntil(() => screen.raw.includes(`\x1bPtmux;${seq.replaceAll('\x1b', '\x1b\x1b')}\x1b\\`), 3000, 'the wrapped sequence');
    assert.ok(screen.raw.includes(seq));
    await screen.send(keys.esc, (t) => !t.includes('copied'));
    await quit(screen);
  });

  const tmux = (() => {
    try {
      execFileSync('tmux', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it('a real tmux (set-clipboard on) takes the copied command into its paste buffer', { skip: tmux ? false : 'tmux is not installed' }, async () => {
    const socket = `dynotty-ops-${process.pid}`;
    const t = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    try {
      t('new-session', '-d', '-s', 'copy', '-x', '100', '-y', '30');
      t('set', '-g', 'set-clipboard', 'on');
      t('send-keys', '-t', 'copy', `${process.execPath} ${cliPath} --demo`, 'Enter');
      await waitUntil(() => t('capture-pane', '-p', '-t', 'copy').includes('compare ways in: acme-billing'), 15_000, 'the picker in tmux');
      t('send-keys', '-t', 'copy', 'c');
      await waitUntil(() => t('list-buffers').includes('heroku run bash -a acme-billing'), 5000, 'the tmux paste buffer');
      t('send-keys', '-t', 'copy', 'Escape', 'q');
    } finally {
      try {
        t('kill-server');
      } catch {
        // already gone
      }
    }
  });
});
