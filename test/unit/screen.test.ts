import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import xterm from '@xterm/headless';
import stringWidth from 'string-width';
import { ScreenReader, snapshotScreen } from '../../src/session/screen.js';
import type { Run, RunStyle, ScreenFrame } from '../../src/session/screen.js';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

function terminal(cols = 20, rows = 5, scrollback = 1000): Term {
  return new Terminal({ cols, rows, scrollback, allowProposedApi: true });
}

function write(term: Term, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

async function snap(data: string, cols = 20, rows = 5): Promise<ScreenFrame> {
  const term = terminal(cols, rows);
  try {
    await write(term, data);
    return snapshotScreen(term);
  } finally {
    term.dispose();
  }
}

function rowText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}

/** The runs of a row that are not blank default cells. */
function inked(runs: Run[]): Run[] {
  return runs.filter((r) => r.text.trim() !== '' || Object.keys(r.style).length > 0);
}

/** The style of the run covering the first occurrence of `text` in row `y`. */
function styleAt(frame: ScreenFrame, y: number, text: string): RunStyle {
  const run = frame.lines[y]?.find((r) => r.text.includes(text));
  assert.ok(run !== undefined, `no run with ${JSON.stringify(text)} in row ${y}: ${JSON.stringify(frame.lines[y])}`);
  return run.style;
}

describe('snapshotScreen colours', () => {
  it('names the 16 palette colours, foreground and background', async () => {
    const names = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
    let data = '';
    names.forEach((_, i) => {
      data += `\x1b[${30 + i}m${i}\x1b[${90 + i}m${String.fromCharCode(65 + i)}\x1b[0m`;
    });
    data += '\r\n';
    names.forEach((_, i) => {
      data += `\x1b[${40 + i}m${i}\x1b[${100 + i}m${String.fromCharCode(65 + i)}\x1b[0m`;
    });
    const frame = await snap(data);
    names.forEach((name, i) => {
      assert.deepEqual(styleAt(frame, 0, String(i)), { fg: name });
      assert.deepEqual(styleAt(frame, 0, String.fromCharCode(65 + i)), { fg: `${name}Bright` });
      assert.deepEqual(styleAt(frame, 1, String(i)), { bg: name });
      assert.deepEqual(styleAt(frame, 1, String.fromCharCode(65 + i)), { bg: `${name}Bright` });
    });
  });

  it('names 256-colour indexes below 16 like the palette, others as ansi256(n)', async () => {
    const frame = await snap('\x1b[38;5;1ma\x1b[38;5;9mb\x1b[38;5;200mc\x1b[48;5;17md\x1b[38;5;16;48;5;255me\x1b[0m');
    assert.deepEqual(styleAt(frame, 0, 'a'), { fg: 'red' });
    assert.deepEqual(styleAt(frame, 0, 'b'), { fg: 'redBright' });
    assert.deepEqual(styleAt(frame, 0, 'c'), { fg: 'ansi256(200)' });
    assert.deepEqual(styleAt(frame, 0, 'd'), { fg: 'ansi256(200)', bg: 'ansi256(17)' });
    assert.deepEqual(styleAt(frame, 0, 'e'), { fg: 'ansi256(16)', bg: 'ansi256(255)' });
  });

  it('gives truecolour as #rrggbb, zero-padded', async () => {
    const frame = await snap('\x1b[38;2;1;2;3mt\x1b[48;2;255;0;16mu\x1b[38;2;0;0;0;48;2;0;0;0mv\x1b[0m');
    assert.deepEqual(styleAt(frame, 0, 't'), { fg: '#010203' });
    assert.deepEqual(styleAt(frame, 0, 'u'), { fg: '#010203', bg: '#ff0010' });
    assert.deepEqual(styleAt(frame, 0, 'v'), { fg: '#000000', bg: '#000000' });
  });

  it('default colours carry no fg/bg, and a reset ends the colour', async () => {
    const frame = await snap('\x1b[31mred\x1b[39m plain\x1b[0m');
    assert.deepEqual(inked(frame.lines[0] ?? []).map((r) => [r.text.trimEnd(), r.style]), [
      ['red', { fg: 'red' }],
      [' plain', {}],
    ]);
  });

  it('keeps the background of erased cells', async () => {
    const frame = await snap('\x1b[44mab\x1b[K\x1b[0m');
    const row = frame.lines[0] ?? [];
    assert.equal(row.length, 1, 'the whole row is one blue run');
    assert.deepEqual(row[0], { text: 'ab'.padEnd(20), style: { bg: 'blue' } });
  });
});

describe('snapshotScreen attributes', () => {
  it('reports each attribute as its own run', async () => {
    const frame = await snap('\x1b[1mB\x1b[0m\x1b[2mD\x1b[0m\x1b[3mI\x1b[0m\x1b[4mU\x1b[0m\x1b[7mV\x1b[0m\x1b[9mS\x1b[0mn');
    assert.deepEqual(inked(frame.lines[0] ?? []).slice(0, 7), [
      { text: 'B', style: { bold: true } },
      { text: 'D', style: { dim: true } },
      { text: 'I', style: { italic: true } },
      { text: 'U', style: { underline: true } },
      { text: 'V', style: { inverse: true } },
      { text: 'S', style: { strikethrough: true } },
      { text: 'n'.padEnd(14), style: {} },
    ]);
  });

  it('combines attributes and colours, and merges equal neighbours into one run', async () => {
    const frame = await snap('\x1b[1;4;31mab\x1b[0m\x1b[1;4;31mcd\x1b[22mef\x1b[0m');
    const row = frame.lines[0] ?? [];
    assert.deepEqual(row[0], { text: 'abcd', style: { fg: 'red', bold: true, underline: true } });
    assert.deepEqual(row[1], { text: 'ef', style: { fg: 'red', underline: true } });
    assert.deepEqual(row[2], { text: ' '.repeat(14), style: {} });
    assert.equal(row.length, 3);
  });

  it('inverse, dim and bold together', async () => {
    const frame = await snap('\x1b[1;2;7;32mx\x1b[0m');
    assert.deepEqual(styleAt(frame, 0, 'x'), { fg: 'green', bold: true, dim: true, inverse: true });
  });
});

describe('snapshotScreen geometry', () => {
  it('every row covers exactly cols columns, blank rows included', async () => {
    const frame = await snap('one\r\n\x1b[31mtwo\x1b[0m\r\n\r\nfour', 12, 6);
    assert.equal(frame.cols, 12);
    assert.equal(frame.rows, 6);
    assert.equal(frame.lines.length, 6);
    for (const row of frame.lines) assert.equal(stringWidth(rowText(row)), 12);
    assert.deepEqual(frame.lines.map((r) => rowText(r).trimEnd()), ['one', 'two', '', 'four', '', '']);
  });

  it('wide CJK characters appear once and take two columns', async () => {
    const frame = await snap('中文x\x1b[31m字\x1b[0my', 10, 2);
    const row = rowText(frame.lines[0] ?? []);
    assert.equal(row.trimEnd(), '中文x字y');
    assert.equal(stringWidth(row), 10);
    assert.deepEqual(styleAt(frame, 0, '字'), { fg: 'red' });
    assert.equal(frame.cursor.x, 8, 'the cursor is after 4 wide-or-narrow cells worth 8 columns');
  });

  it('a wide character that does not fit at the end of a row wraps whole', async () => {
    const frame = await snap('abcd中', 5, 3);
    assert.deepEqual(frame.lines.map((r) => rowText(r)), ['abcd ', '中   ', '     ']);
    for (const row of frame.lines) assert.equal(stringWidth(rowText(row)), 5);
  });

  it('keeps combining characters with their base', async () => {
    const frame = await snap('e\u0301!', 6, 1);
    assert.equal(rowText(frame.lines[0] ?? []).trimEnd(), 'e\u0301!');
  });

  it('reports the cursor position', async () => {
    let frame = await snap('abc\r\nde');
    assert.deepEqual(frame.cursor, { x: 2, y: 1, visible: true });
    frame = await snap('\x1b[4;7H');
    assert.deepEqual(frame.cursor, { x: 6, y: 3, visible: true });
  });

  it('reports a hidden cursor, and shown again', async () => {
    const term = terminal();
    try {
      await write(term, 'x\x1b[?25l');
      assert.deepEqual(snapshotScreen(term).cursor, { x: 1, y: 0, visible: false });
      await write(term, '\x1b[?25h');
      assert.equal(snapshotScreen(term).cursor.visible, true);
    } finally {
      term.dispose();
    }
  });

  it('reads only the viewport: after 100 lines the rows are the last ones', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line-${i + 1}`);
    const frame = await snap(lines.join('\r\n'), 20, 5);
    assert.equal(frame.lines.length, 5);
    assert.deepEqual(frame.lines.map((r) => rowText(r).trimEnd()), lines.slice(-5));
    assert.deepEqual(frame.cursor, { x: 'line-100'.length, y: 4, visible: true });
  });

  it('reads the alternate screen while it is active, the normal one after', async () => {
    const term = terminal(20, 3);
    try {
      await write(term, 'normal text');
      await write(term, '\x1b[?1049h\x1b[Halt screen');
      assert.equal(rowText(snapshotScreen(term).lines[0] ?? []).trimEnd(), 'alt screen');
      await write(term, '\x1b[?1049l');
      assert.equal(rowText(snapshotScreen(term).lines[0] ?? []).trimEnd(), 'normal text');
    } finally {
      term.dispose();
    }
  });

  it('follows a resize', async () => {
    const term = terminal(20, 5);
    try {
      await write(term, 'hello');
      term.resize(30, 7);
      const frame = snapshotScreen(term);
      assert.equal(frame.cols, 30);
      assert.equal(frame.rows, 7);
      assert.equal(frame.lines.length, 7);
      for (const row of frame.lines) assert.equal(stringWidth(rowText(row)), 30);
    } finally {
      term.dispose();
    }
  });
});

describe('ScreenReader', () => {
  it('keeps the runs of unchanged rows, reads changed ones afresh, and always equals a fresh read', async () => {
    const term = terminal(20, 5, 0);
    const reader = new ScreenReader();
    try {
      await write(term, 'one\r\n\x1b[31mtwo\x1b[0m\r\nthree');
      const first = reader.read(term);
      assert.deepEqual(first, snapshotScreen(term));
      await write(term, '!');
      const second = reader.read(term);
      assert.deepEqual(second, snapshotScreen(term));
      assert.equal(second.lines[0], first.lines[0], 'an unchanged row keeps its runs');
      assert.equal(second.lines[1], first.lines[1]);
      assert.notEqual(second.lines[2], first.lines[2], 'the typed row is read again');
      assert.equal(rowText(second.lines[2] ?? []).trimEnd(), 'three!');
      // A style change alone (same text) is a change too.
      await write(term, '\x1b[2;1H\x1b[32mtwo\x1b[0m');
      const third = reader.read(term);
      assert.deepEqual(third, snapshotScreen(term));
      assert.equal(third.lines[1]?.[0]?.style.fg, 'green');
      // Scrolling moves every row: each shows what its new content is.
      await write(term, '\x1b[5;1H\r\nfour\r\nfive');
      assert.deepEqual(reader.read(term), snapshotScreen(term));
      // Combining characters live outside the cells' words: such a row is never taken as unchanged.
      await write(term, '\x1b[1;1He\u0301');
      const before = reader.read(term);
      await write(term, '\x1b[1;1He\u0300');
      const after = reader.read(term);
      assert.deepEqual(after, snapshotScreen(term));
      assert.notEqual(rowText(after.lines[0] ?? []), rowText(before.lines[0] ?? []));
      term.resize(12, 4);
      assert.deepEqual(reader.read(term), snapshotScreen(term));
    } finally {
      term.dispose();
    }
  });
});

describe('ScreenReader watching its emulator', () => {
  /** One random piece of terminal output: text, moves, erases, inserts and deletes, scrolls, screens, styles. */
  function randomOutput(rand: () => number): string {
    const n = (k: number): number => 1 + Math.floor(rand() * k);
    const words = ['ls', 'drwxr-xr-x', 'web.1', '~ $ ', 'é', '日本', 'e\u0301', 'x'.repeat(n(30))];
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    switch (Math.floor(rand() * 16)) {
      case 0: return `\x1b[${n(6)};${n(20)}H`;
      case 1: return `\x1b[${pick(['', '1', '2'])}J`;
      case 2: return `\x1b[${pick(['', '1', '2'])}K`;
      case 3: return `\x1b[${n(3)}${pick(['L', 'M', '@', 'P', 'X'])}`;
      case 4: return `\x1b[${n(3)}${pick(['S', 'T'])}`;
      case 5: return `\x1b[${n(3)};${n(5)}r`;
      case 6: return '\x1b[r';
      case 7: return pick(['\x1b[?1049h', '\x1b[?1049l', '\x1b[?47h', '\x1b[?47l']);
      case 8: return `\x1b[${pick(['0', '1', '31', '42', '7', '38;5;200', '48;2;1;2;3'])}m`;
      case 9: return pick(['\r\n', '\n', '\r', '\x1bM', '\x1bD', '\x1bE', '\b', '\t']);
      case 10: return `\x1b[${n(4)}${pick(['A', 'B', 'C', 'D', 'G', 'd'])}`;
      case 11: return pick(['\x1b7', '\x1b8', '\x1b[?6h', '\x1b[?6l', '\x1b[?7l', '\x1b[?7h', '\x1b#8']);
      default: return pick(words);
    }
  }

  for (const scrollback of [0, 50]) {
    it(`reads exactly what a fresh read sees after every kind of output${scrollback > 0 ? ' and viewport scroll' : ''}, and keeps rows nothing touched (scrollback ${scrollback})`, async () => {
      let seed = 20261205 + scrollback;
      const rand = (): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x80000000;
      };
      const term = terminal(20, 6, scrollback);
      const reader = new ScreenReader();
      reader.watch(term);
      try {
        let frame = reader.read(term);
        for (let step = 0; step < 1500; step++) {
          let out = '';
          for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) out += randomOutput(rand);
          await write(term, out);
          if (step % 300 === 299) term.resize(16 + Math.floor(rand() * 10), 4 + Math.floor(rand() * 4));
          // The viewport moved into the scrollback and back, as a user scrolling would.
          if (scrollback > 0 && step % 7 === 3) term.scrollLines(Math.floor(rand() * 9) - 6);
          const next = reader.read(term);
          assert.deepEqual(next, snapshotScreen(term), `step ${step}, after ${JSON.stringify(out)}`);
          frame = next;
        }
        term.scrollToBottom();
        // A key typed on one row leaves every other row's runs as they were.
        await write(term, '\x1b[r\x1b[?1049l\x1b[0m\x1b[2J\x1b[1;1Hone\r\ntwo\r\n~ $ ');
        frame = reader.read(term);
        await write(term, 'l');
        const typed = reader.read(term);
        assert.equal(rowText(typed.lines[2] ?? []).trimEnd(), '~ $ l');
        for (const y of [0, 1, 3]) assert.equal(typed.lines[y], frame.lines[y], `row ${y} kept`);
      } finally {
        term.dispose();
      }
    });
  }
});
