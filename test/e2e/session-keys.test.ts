import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { killScreens, startDynotty } from '../helpers/dynotty.js';
import type { PtyScreen } from '../helpers/pty-screen.js';

after(killScreens);

const has = (tool: string): boolean => ['/usr/bin', '/bin', '/usr/local/bin'].some((d) => existsSync(path.join(d, tool)));

async function openRun(cols = 100, rows = 30): Promise<PtyScreen> {
  const screen = startDynotty(['--demo'], { cols, rows });
  await screen.waitFor(/compare ways in: /);
  await screen.send('r', /run bash · acme-billing/);
  await screen.waitFor(/^~ \$/m);
  return screen;
}

async function quit(screen: PtyScreen): Promise<void> {
  await screen.send('\x1d', /1 run bash/);
  await screen.send('q', /quit dynotty\?/);
  screen.proc.write('y');
  await screen.waitExit();
}

/** The bytes a terminal sends for each key, as dynotty's own terminal would send them. */
const KEYS: [string, string][] = [
  ['a', 'a'],
  ['Enter', '\r'],
  ['Backspace', '\x7f'],
  ['Tab', '\t'],
  ['Up', '\x1b[A'],
  ['Home', '\x1b[H'],
  ['End', '\x1b[F'],
  ['PgUp', '\x1b[5~'],
  ['PgDn', '\x1b[6~'],
  ['F1', '\x1bOP'],
  ['F5', '\x1b[15~'],
  ['Ctrl-C', '\x03'],
  ['Ctrl-D', '\x04'],
  ['Ctrl-A', '\x01'],
  ['Alt-x', '\x1bx'],
  ['é', 'é'],
];

const hex = (s: string): string => [...Buffer.from(s)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('keys and full-screen programs inside an embedded session', () => {
  it('every key reaches the child as the bytes the terminal sent; bracketed paste passes through', async () => {
    const screen = await openRun();
    const sent = KEYS.map(([, bytes]) => bytes).join('');
    const paste = '\x1b[200~pasted text\x1b[201~';
    const count = Buffer.byteLength(sent + paste);
    // The child turns on bracketed paste, reads raw bytes and prints them in hex.
    await screen.send(
      `printf '\\033[?2004h'; stty raw -echo; dd bs=1 count=${count} 2>/dev/null | od -An -tx1 | tr -s ' \\n' '  '; stty sane; printf '\\033[?2004l'; echo; echo END-$((5*5))\r`,
      /stty sane/,
    );
    await screen.waitFor(() => screen.raw.includes('\x1b[?2004h'), 5000);
    // The real terminal was told to bracket pastes, as the child asked.
    assert.ok(screen.raw.lastIndexOf('\x1b[?2004h') > screen.raw.indexOf('run bash'), 'bracketed paste mirrored to the terminal');
    for (const [, bytes] of KEYS) screen.proc.write(bytes);
    screen.proc.write(paste);
    const text = await screen.waitFor(/END-25/);
    const flat = text.replace(/\s+/g, ' ');
    assert.ok(flat.includes(hex(sent + paste)), `the child received exactly:\n${hex(sent + paste)}\nscreen:\n${text}`);
    await quit(screen);
  });

  it('an output flood neither starves the keyboard nor stops Ctrl-C', async () => {
    const screen = await openRun();
    await screen.send('yes flood-line\r', /flood-line\n.*flood-line/);
    screen.proc.write('\x03');
    await screen.send('echo AFTER-$((1+2))\r', /AFTER-3/, 10_000);
    await quit(screen);
  });

  it('less pages and quits', { skip: !has('less') }, async () => {
    const screen = await openRun();
    await screen.send('seq 1 500 | less\r', (t) => /^26$/m.test(t) && /^:/m.test(t));
    await screen.send(' ', (t) => /^27$/m.test(t) && /^52$/m.test(t) && !/^26$/m.test(t));
    await screen.send('q', /^~ \$/m);
    await quit(screen);
  });

  it('top draws its table and quits on q', { skip: !has('top') }, async () => {
    const screen = await openRun();
    await screen.send('top -d 1\r', /PID\s+USER/);
    await screen.send('q', (t) => /^~ \$/m.test(t.split('\n').slice(-6).join('\n')) || /~ \$\s*$/.test(t.trimEnd()));
    await quit(screen);
  });

  it('vi takes Esc and ex commands, and writes the file', { skip: !has('vi') }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-vi-test-'));
    const file = path.join(dir, 'note.txt');
    try {
      const screen = await openRun();
      await screen.send(`vi -u NONE -N ${file}\r`, /^~\s*$/m);
      screen.proc.write('ihello from vi');
      await screen.waitFor(/hello from vi/);
      screen.proc.write('\x1b');
      await screen.send(':wq\r', /^~ \$/m);
      assert.equal(readFileSync(file, 'utf8'), 'hello from vi\n');
      await quit(screen);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
