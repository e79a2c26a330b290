import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import xterm from '@xterm/headless';
import { frameToAnsi } from '../../src/session/frame-ansi.js';
import { snapshotScreen } from '../../src/session/screen.js';
import type { ScreenFrame } from '../../src/session/screen.js';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

function write(term: Term, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

async function snapshotOf(data: string, cols: number, rows: number): Promise<ScreenFrame> {
  const term = new Terminal({ cols, rows, scrollback: 100, allowProposedApi: true });
  try {
    await write(term, data);
    return snapshotScreen(term);
  } finally {
    term.dispose();
  }
}

/** Draws `frame` with frameToAnsi into a terminal (fresh, or after `before`) and snapshots it back. */
async function roundTrip(frame: ScreenFrame, before = ''): Promise<{ frame: ScreenFrame; scrollback: number }> {
  const term = new Terminal({ cols: frame.cols, rows: frame.rows, scrollback: 100, allowProposedApi: true });
  try {
    await write(term, before);
    const baseBefore = term.buffer.active.baseY;
    await write(term, frameToAnsi(frame));
    return { frame: snapshotScreen(term), scrollback: term.buffer.active.baseY - baseBefore };
  } finally {
    term.dispose();
  }
}

const COLOURED =
  '\x1b[1;31mbold red\x1b[0m plain \x1b[4;38;5;200munder 200\x1b[0m\r\n' +
  '\x1b[42;30m black on green \x1b[0m\x1b[3;2mitalic dim\x1b[0m\r\n' +
  '\x1b[38;2;18;52;86;48;2;250;128;7mtruecolor\x1b[0m \x1b[7minverse\x1b[0m \x1b[9mstrike\x1b[0m\r\n' +
  '\x1b[93;104mbright\x1b[0m \x1b[48;5;17m\x1b[K\x1b[0m\r\n' +
  '中文 \x1b[35m字\x1b[0m wide';

describe('frameToAnsi', () => {
  it('round trip: a coloured screen with the cursor in the middle draws back the same', async () => {
    const original = await snapshotOf(`${COLOURED}\x1b[3;7H`, 40, 8);
    assert.deepEqual(original.cursor, { x: 6, y: 2, visible: true });
    const back = await roundTrip(original);
    assert.deepEqual(back.frame, original);
  });

  it('round trip: a hidden cursor stays hidden', async () => {
    const original = await snapshotOf(`${COLOURED}\x1b[2;5H\x1b[?25l`, 40, 8);
    assert.equal(original.cursor.visible, false);
    const back = await roundTrip(original);
    assert.deepEqual(back.frame, original);
  });

  it('round trip: every palette colour, foreground and background', async () => {
    let data = '';
    for (let i = 0; i < 8; i++) data += `\x1b[${30 + i}mf\x1b[${90 + i}mF\x1b[${40 + i}mb\x1b[${100 + i}mB\x1b[0m`;
    const original = await snapshotOf(data, 40, 2);
    assert.deepEqual((await roundTrip(original)).frame, original);
  });

  it('round trip: a full screen, last cell included, does not scroll', async () => {
    const cols = 10;
    const rows = 4;
    let data = '';
    for (let y = 0; y < rows; y++) data += `\x1b[${y + 1};1H\x1b[3${y + 1}m${String(y).repeat(cols)}`;
    data += '\x1b[0m\x1b[2;3H';
    const original = await snapshotOf(data, cols, rows);
    const back = await roundTrip(original);
    assert.equal(back.scrollback, 0, 'drawing the frame did not scroll');
    assert.deepEqual(back.frame, original);
  });

  it('replaces what was on the terminal before, whatever its state', async () => {
    const original = await snapshotOf(`${COLOURED}\x1b[5;3H`, 40, 8);
    // Old text everywhere, a background colour and bold left on, the cursor hidden and elsewhere.
    const dirty = `${'garbage '.repeat(40)}\x1b[41;1m\x1b[?25l\x1b[8;30H`;
    const back = await roundTrip(original, dirty);
    assert.deepEqual(back.frame, original);
  });

  it('starts from a reset and ends with the cursor placed and shown or hidden', () => {
    const frame: ScreenFrame = {
      cols: 4,
      rows: 2,
      lines: [[{ text: 'ab  ', style: { fg: 'red', bold: true } }], [{ text: '    ', style: {} }]],
      cursor: { x: 2, y: 1, visible: true },
    };
    const ansi = frameToAnsi(frame);
    assert.ok(ansi.startsWith('\x1b[0m\x1b[H\x1b[J'));
    assert.ok(ansi.includes('\x1b[0;1;31mab  '));
    assert.ok(ansi.endsWith('\x1b[0m\x1b[2;3H\x1b[?25h'));
    assert.ok(frameToAnsi({ ...frame, cursor: { x: 0, y: 0, visible: false } }).endsWith('\x1b[1;1H\x1b[?25l'));
  });
});
