import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertTerminalRestored, demoDynosOf, dynottyPid, killScreens, startDynotty } from '../helpers/dynotty.js';
import { cwdOf, isAlive, waitUntil } from '../helpers/processes.js';
import { keys } from '../helpers/pty-screen.js';

after(killScreens);

describe('dynotty picker in a real terminal', () => {
  it('shows the demo fleet, follows the arrows, and q gives back a sane terminal with nothing left behind', async () => {
    const screen = startDynotty();
    const pid = await dynottyPid(screen);
    let text = await screen.waitFor(/compare ways in: acme-billing · web\.1/);
    assert.match(text, /demo@dynotty\.dev │ demo fleet │ 5 apps/);
    assert.match(text, /APPS 5/);
    for (const name of ['acme-billing', 'acme-ml-fir', 'acme-storefront', 'acme-vault', 'sideproject-eco']) {
      assert.ok(text.includes(name), `${name} listed`);
    }
    assert.match(text, /r \$ heroku run bash -a acme-billing/);

    let dynos: number[] = [];
    await waitUntil(() => (dynos = demoDynosOf(pid)).length >= 8, 5000, 'the demo dynos, real processes, to start');
    const root = path.dirname(path.dirname(path.dirname(cwdOf(dynos[0]!) ?? '')));
    assert.match(path.basename(root), /^dynotty-demo-/);

    // The crashed worker: its real process exits, the list and the comparison say so.
    await screen.send(keys.right, /▸ DYNOS|DYNOS acme-billing/);
    await screen.send(keys.down, /compare ways in: acme-billing · worker\.1/);
    text = await screen.waitFor(/✖ dyno is crashed/, 8000);
    assert.match(text, /✖ worker\.1\s+crashed/);

    // Back to the apps, down to the Fir app: run:inside appears.
    await screen.send(keys.left, (t) => t.length > 0);
    text = await screen.send(keys.down, /compare ways in: acme-ml-fir · web-848cd4f64d-pvpr2/);
    assert.match(text, /x \$ heroku run:inside web-848cd4f64d-pvpr2 bash -a acme-ml-fir/);

    // j/k work like the arrows.
    await screen.send('j', /compare ways in: acme-storefront/);
    await screen.send('k', /compare ways in: acme-ml-fir/);
    // Every frame is drawn in place: the header stays on the first line, once (Ink 6.8's
    // incremental rendering drew each frame after the first one line lower).
    const lines = screen.lines();
    assert.match(lines[0] ?? '', /^ dynotty demo@dynotty\.dev/);
    assert.equal(lines.filter((l) => l.startsWith(' dynotty ')).length, 1, lines.join('\n'));

    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
    await waitUntil(() => demoDynosOf(pid).every((p) => !isAlive(p)), 5000, 'demo dynos to end');
    assert.equal(existsSync(root), false, 'the demo folder is removed');
  });

  it('filters with /, shows help with ?, and quits on Ctrl-C', async () => {
    const screen = startDynotty();
    await screen.waitFor(/compare ways in: acme-billing/);
    await screen.send('/', /Enter keep · Esc clear/);
    await screen.send('v', /\/ v/);
    const text = await screen.send('lt', /\/ vlt/);
    assert.match(text, /APPS 1 matching/);
    assert.match(text, /compare ways in: acme-vault/);
    assert.match(text, /Shield space: exec\s*restricted/);
    await screen.send(keys.enter, /filter: vlt \(Esc clears\)/);
    await screen.send(keys.esc, /APPS 5/);

    await screen.send('?', /dynotty keys/);
    await screen.send('?', (t) => !t.includes('dynotty keys'));

    screen.proc.write(keys.ctrlC);
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });

  it('restores the terminal and stops the demo fleet on SIGTERM', async () => {
    const screen = startDynotty();
    const pid = await dynottyPid(screen);
    await screen.waitFor(/compare ways in: /);
    let dynos: number[] = [];
    await waitUntil(() => (dynos = demoDynosOf(pid)).length >= 8, 5000, 'the demo dynos to start');
    process.kill(pid, 'SIGTERM');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=143');
    await waitUntil(() => dynos.every((p) => !isAlive(p)), 5000, 'demo dynos to end');
  });

  it('says the terminal is too small, then lays out when it grows; follows resizes', async () => {
    const screen = startDynotty(['--demo'], { cols: 50, rows: 15 });
    await screen.waitFor(/terminal too small: 50x15, dynotty needs 60x20/);
    screen.resize(60, 20);
    let text = await screen.waitFor(/compare ways in: /);
    for (const line of screen.lines()) assert.ok(line.length <= 60);
    assert.match(text, /APPS 5/);
    screen.resize(120, 40);
    text = await screen.waitFor((s) => /uses\s+migrations/.test(s) && s.split('\n').some((l) => l.length > 80));
    assert.match(text, /r \$ heroku run bash -a acme-billing/);
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });

  it('draws whole after the terminal loses rows, where the terminal moved its lines up', async () => {
    // Between frames Ink writes only the lines that changed; xterm.js (the emulator here, and
    // VS Code's terminal) moves its lines up when it shrinks under the cursor, so a frame after
    // that must be drawn whole (Ink clears when the last frame is as tall as the terminal).
    const screen = startDynotty(['--demo'], { cols: 100, rows: 30 });
    await screen.waitFor(/compare ways in: /);
    const wholeAt = (rows: number) => (s: string): boolean => {
      const lines = s.split('\n');
      return (
        lines.length === rows &&
        (lines[0] ?? '').startsWith(' dynotty demo@') &&
        (lines[rows - 2] ?? '').includes('↑↓ move') &&
        lines.filter((l) => l.includes('compare ways in: ')).length === 1 &&
        lines.filter((l) => l.includes('APPS 5')).length === 1
      );
    };
    screen.resize(100, 24);
    await screen.waitFor(wholeAt(24), 5000);
    screen.proc.write('j');
    await screen.waitFor((s) => wholeAt(24)(s) && /compare ways in: acme-ml-fir/.test(s), 5000);
    screen.resize(100, 30);
    await screen.waitFor((s) => wholeAt(30)(s) && /uses\s+migrations/.test(s), 5000);
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });

  it('honours NO_COLOR: no colour codes, states still readable by their symbols', async () => {
    const screen = startDynotty(['--demo'], { env: { NO_COLOR: '1' } });
    await screen.waitFor(/● web\.1\s+up/);
    // SGR colour parameters: 30-37, 38;..., 90-97 (foreground) and 40-47, 48;..., 100-107 (background).
    const colour = /\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:;\d+)*m/;
    const picker = screen.raw.slice(0, screen.raw.indexOf('EXIT=') === -1 ? undefined : screen.raw.indexOf('EXIT='));
    assert.doesNotMatch(picker, colour);
    screen.proc.write('q');
    await screen.waitExit();
  });
});
