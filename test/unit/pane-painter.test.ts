import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import xterm from '@xterm/headless';
import { notifyingStream, PanePainter, type PaneArea } from '../../src/session/pane-painter.js';
import { ScreenReader, snapshotScreen, type ScreenFrame } from '../../src/session/screen.js';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

function write(term: Term, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

async function frameOf(data: string, cols: number, rows: number): Promise<ScreenFrame> {
  const term = new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
  try {
    await write(term, data);
    return snapshotScreen(term);
  } finally {
    term.dispose();
  }
}

/** The rows `area` covers on `outer`, as text; cells never written or erased are not included at the end. */
function rowsOf(outer: Term, area: PaneArea): string[] {
  const out: string[] = [];
  for (let y = 0; y < area.height; y++) {
    out.push(outer.buffer.active.getLine(area.top + y)?.translateToString(true, area.left, area.left + area.width) ?? '');
  }
  return out;
}

function frameRows(frame: ScreenFrame): string[] {
  return frame.lines.map((runs) => runs.map((r) => r.text).join('').trimEnd());
}

/** A painter drawing into an emulated outer terminal; `flush` waits until it has parsed everything. */
function outerTerminal(cols: number, rows: number) {
  const outer = new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
  const writes: string[] = [];
  const painter = new PanePainter((data) => {
    writes.push(data);
    outer.write(data);
  });
  const flush = (): Promise<void> => write(outer, '');
  return { outer, painter, writes, flush };
}

describe('PanePainter', () => {
  it('with rows kept by a ScreenReader, draws only the changed row and follows the cursor, also after an invalidate', async () => {
    const { outer, painter, writes, flush } = outerTerminal(30, 8);
    const child = new Terminal({ cols: 30, rows: 6, scrollback: 0, allowProposedApi: true });
    const reader = new ScreenReader();
    try {
      const area = { top: 1, left: 0, width: 30, height: 6 };
      painter.setArea(area);
      await write(child, 'first\r\nsecond\r\n$ ');
      painter.show(reader.read(child));
      await write(child, 'ls');
      const typed = reader.read(child);
      writes.length = 0;
      painter.show(typed);
      await flush();
      assert.equal(writes.length, 1);
      assert.equal((writes[0]?.match(/\x1b\[\d+;1H/g) ?? []).length, 1, 'one row positioned and drawn');
      assert.deepEqual(rowsOf(outer, area).map((r) => r.trimEnd()), frameRows(typed));
      // The same rows, the cursor moved left: its row is drawn again with the cursor where it is now.
      await write(child, '\x1b[D');
      const moved = reader.read(child);
      assert.equal(moved.lines[2], typed.lines[2]);
      painter.show(moved);
      await flush();
      assert.ok(outer.buffer.active.getLine(1 + 2)?.getCell(3)?.isInverse(), 'the cursor is on the s');
      assert.ok(!outer.buffer.active.getLine(1 + 2)?.getCell(4)?.isInverse(), 'and no longer after it');
      // Something drew over the pane: all its rows come back from the kept bytes.
      await write(outer, '\x1b[2;1H\x1b[2Kxxxxxxxx\x1b[3;1H\x1b[2K');
      painter.invalidate();
      await flush();
      assert.deepEqual(rowsOf(outer, area).map((r) => r.trimEnd()), frameRows(moved));
    } finally {
      child.dispose();
      outer.dispose();
    }
  });

  it('draws the frame into its area, leaves the rest of the terminal and the cursor alone', async () => {
    const { outer, painter, flush } = outerTerminal(40, 12);
    try {
      await write(outer, 'HEADER\x1b[12;1Hfooter\x1b[5;9H');
      const frame = await frameOf('\x1b[1;31mred\x1b[0m plain\r\n  indented\r\nwide 漢字 end\r\n$ ', 40, 8);
      const area = { top: 1, left: 0, width: 40, height: 8 };
      painter.setArea(area);
      painter.show(frame);
      await flush();
      const expected = frameRows(frame);
      // The cursor cell is drawn inverted (a space), so it reads the same as text.
      // Exactly: trailing blanks are erased, not written as spaces (the cursor's cell is written).
      const rows = rowsOf(outer, area);
      rows[frame.cursor.y] = rows[frame.cursor.y]?.trimEnd() ?? '';
      assert.deepEqual(rows, expected);
      assert.equal(outer.buffer.active.getLine(0)?.translateToString(true), 'HEADER');
      assert.equal(outer.buffer.active.getLine(11)?.translateToString(true), 'footer');
      assert.deepEqual([outer.buffer.active.cursorX, outer.buffer.active.cursorY], [8, 4], 'the cursor is restored where it was');
      const red = outer.buffer.active.getLine(1)?.getCell(0);
      assert.ok(red?.isBold() && red.isFgPalette() && red.getFgColor() === 1, 'attributes survive');
      const cursorCell = outer.buffer.active.getLine(1 + frame.cursor.y)?.getCell(frame.cursor.x);
      assert.ok(cursorCell?.isInverse(), 'the child’s cursor shows as an inverted cell');
    } finally {
      outer.dispose();
    }
  });

  it('writes only the rows that changed; invalidate() writes them all again', async () => {
    const { outer, painter, writes, flush } = outerTerminal(30, 8);
    try {
      const area = { top: 0, left: 0, width: 30, height: 6 };
      painter.setArea(area);
      painter.show(await frameOf('one\r\ntwo\r\nthree', 30, 6));
      const next = await frameOf('one\r\ntwo\r\nthree!', 30, 6);
      writes.length = 0;
      painter.show(next);
      assert.equal(writes.length, 1);
      assert.match(writes[0] ?? '', /three!/);
      assert.doesNotMatch(writes[0] ?? '', /one|two/, 'unchanged rows are not written');
      writes.length = 0;
      painter.show(next);
      assert.equal(writes.length, 0, 'the same frame again writes nothing');
      // Something else (Ink) drew over the pane.
      await write(outer, '\x1b[H\x1b[2J');
      painter.invalidate();
      await flush();
      assert.deepEqual(rowsOf(outer, area).map((r) => r.trimEnd()), frameRows(next));
    } finally {
      outer.dispose();
    }
  });

  it('clips a frame larger than its area and blanks the area when it goes', async () => {
    const { outer, painter, flush } = outerTerminal(20, 6);
    try {
      await write(outer, 'x'.repeat(120));
      const area = { top: 1, left: 2, width: 10, height: 3 };
      painter.setArea(area);
      painter.show(await frameOf('abcdefghijklmnop\r\n漢字漢字漢字\r\nrow3\r\nrow4', 16, 4));
      await flush();
      assert.deepEqual(rowsOf(outer, area), ['abcdefghij', '漢字漢字漢', 'row3      ']);
      assert.equal(outer.buffer.active.getLine(1)?.translateToString(true), 'xxabcdefghijxxxxxxxx', 'columns beside the area untouched');
      painter.setArea(null);
      await flush();
      assert.deepEqual(rowsOf(outer, area), [' '.repeat(10), ' '.repeat(10), ' '.repeat(10)]);
      assert.equal(outer.buffer.active.getLine(4)?.translateToString(true), 'x'.repeat(20), 'rows below the area untouched');
    } finally {
      outer.dispose();
    }
  });

  it('never writes a control or bidi character a cell may hold', async () => {
    const writes: string[] = [];
    const painter = new PanePainter((data) => writes.push(data));
    painter.setArea({ top: 0, left: 0, width: 20, height: 2 });
    painter.show(await frameOf('safe\u202eevil\u2066x', 20, 2));
    const text = writes.join('');
    assert.ok(!/[\u202e\u2066]/.test(text), 'no bidi control');
    // Only our own sequences: CSI, DECSC/DECRC; no OSC, DCS or lone ESC.
    assert.ok(!/\x1b[\]P_^X]/.test(text));
  });
});

describe('notifyingStream', () => {
  it('is the stream in every way but runs a hook after each write', () => {
    class FakeTty extends EventEmitter {
      columns = 100;
      rows = 30;
      isTTY = true;
      chunks: string[] = [];
      write(s: string): boolean {
        this.chunks.push(s);
        return true;
      }
    }
    const tty = new FakeTty();
    const order: string[] = [];
    const stream = notifyingStream(tty as unknown as NodeJS.WriteStream, () => order.push(`hook after ${tty.chunks.length}`));
    assert.equal(stream.columns, 100);
    assert.equal(stream.isTTY, true);
    let resized = 0;
    stream.on('resize', () => resized++);
    tty.emit('resize');
    assert.equal(resized, 1);
    stream.write('frame');
    assert.deepEqual(tty.chunks, ['frame']);
    assert.deepEqual(order, ['hook after 1']);
  });
});

describe('PanePainter overlay', () => {
  it('draws its cells in their style, again after each invalidate, printable ASCII only; null stops it', async () => {
    const { outer, painter, writes, flush } = outerTerminal(30, 4);
    try {
      painter.setOverlay({ row: 0, col: 5, text: '1:23\x1b[2J\x07', style: { bold: true, fg: 'cyan' } });
      await flush();
      assert.equal(outer.buffer.active.getLine(0)?.translateToString(true), '     1:23[2J');
      const cell = outer.buffer.active.getLine(0)?.getCell(5);
      assert.ok(cell?.isBold());
      assert.equal(cell?.getFgColor(), 6, 'cyan');
      assert.equal(outer.buffer.active.getLine(1)?.translateToString(true), '', 'the screen was not erased');
      // Ink draws its frame over it, then the painter is told.
      outer.write('\x1b[1;1H header 0:00       ');
      painter.invalidate();
      await flush();
      assert.equal(outer.buffer.active.getLine(0)?.translateToString(true).trimEnd(), ' head1:23[2J');
      painter.setOverlay(null);
      writes.length = 0;
      outer.write('\x1b[1;1H header 0:00       ');
      painter.invalidate();
      await flush();
      assert.deepEqual(writes, []);
      assert.equal(outer.buffer.active.getLine(0)?.translateToString(true).trimEnd(), ' header 0:00');
    } finally {
      outer.dispose();
    }
  });
});
