import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import xterm from '@xterm/headless';
import { emulatorAllowsSkip, fastForward, fastForwardChunks } from '../../src/session/fast-forward.js';
import { snapshotScreen } from '../../src/session/screen.js';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

function write(term: Term, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/** Everything the screen shows: every cell's text and style, and the cursor. */
function state(term: Term): string {
  return JSON.stringify(snapshotScreen(term));
}

/** Deterministic pseudo-random plain text: words, some wide characters, tabs, long lines that wrap. */
function plainText(seed: number, lines: number, cols: number): string {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const words = ['alpha', 'dyno', 'web.1', '漢字', 'ü', '\t', 'x'.repeat(cols - 3), 'router=ok'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let line = '';
    const n = rand(8);
    for (let w = 0; w < n; w++) line += `${words[rand(words.length)] ?? ''} `;
    out.push(line);
  }
  return out.join('\r\n') + '\r\n';
}

/** Feeds `chunks` to two emulators, one whole and one through fastForward: their screens must agree. */
async function compare(chunks: string[], cols: number, rows: number, prefix = ''): Promise<{ skipped: number }> {
  const whole = new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
  const quick = new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
  let skipped = 0;
  try {
    await write(whole, prefix);
    await write(quick, prefix);
    for (const chunk of chunks) {
      await write(whole, chunk);
      const input = emulatorAllowsSkip(quick) ? fastForward(chunk, quick.rows) : chunk;
      if (input !== chunk) skipped++;
      await write(quick, input);
      assert.equal(state(quick), state(whole), `after a chunk of ${chunk.length} chars (${skipped} skipped so far)`);
    }
    return { skipped };
  } finally {
    whole.dispose();
    quick.dispose();
  }
}

describe('fastForward', () => {
  it('leaves out what scrolls off unseen and keeps the screen exact', async () => {
    for (const [cols, rows] of [[80, 24], [30, 5], [100, 27]] as const) {
      const text = plainText(cols * rows, 400, cols);
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += 1500 + (i % 700)) chunks.push(text.slice(i, i + 1500 + (i % 700)));
      const { skipped } = await compare(chunks, cols, rows);
      assert.ok(skipped > 0, `something was skipped at ${cols}x${rows}`);
    }
  });

  it('keeps the attributes and the cursor a previous batch left', async () => {
    const text = plainText(3, 200, 40);
    // Colours set before the flood stay on for it; the cursor starts mid-row.
    const { skipped } = await compare([text.slice(0, 5000), text.slice(5000)], 40, 10, '\x1b[31;44mred on blue\x1b[3;7H');
    assert.ok(skipped > 0);
  });

  it('returns the data as it is when it is short, not plain, or not ended by CR LF', () => {
    const rows = 5;
    const many = 'line\r\n'.repeat(20);
    assert.notEqual(fastForward(many, rows), many);
    assert.equal(fastForward('line\r\n'.repeat(rows * 2), rows), 'line\r\n'.repeat(rows * 2), 'too few line breaks to skip any');
    const escaped = `\x1b[2J${many}`;
    assert.equal(fastForward(escaped, rows), escaped, 'an escape sequence in the head');
    const bare = 'line\n'.repeat(20);
    assert.equal(fastForward(bare, rows), bare, 'LF without CR keeps the column');
    const bell = `a\x07${many}`;
    assert.equal(fastForward(bell, rows), bell);
    const c1 = `a\u009b2J${many}`;
    assert.equal(fastForward(c1, rows), c1, '8-bit CSI');
  });

  it('a skipped flood keeps what follows it exact: colours, cursor moves, a clear', async () => {
    const text = plainText(9, 300, 50);
    await compare([text, '\x1b[32mgreen\x1b[0m\r\n\x1b[2;3Hmoved', text, '\x1b[2Jcleared'], 50, 12);
  });

  it('is not used inside an escape sequence, in a scroll region or in insert mode', async () => {
    const term = new Terminal({ cols: 40, rows: 10, scrollback: 0, allowProposedApi: true });
    try {
      assert.equal(emulatorAllowsSkip(term), true);
      await write(term, '\x1b[3');
      assert.equal(emulatorAllowsSkip(term), false, 'a batch ended inside a CSI');
      await write(term, '1m');
      assert.equal(emulatorAllowsSkip(term), true);
      await write(term, '\x1b[2;8r');
      assert.equal(emulatorAllowsSkip(term), false, 'a scroll region (less, vim) is set');
      await write(term, '\x1b[r\x1b[4h');
      assert.equal(emulatorAllowsSkip(term), false, 'insert mode');
      await write(term, '\x1b[4l');
      assert.equal(emulatorAllowsSkip(term), true);
    } finally {
      term.dispose();
    }
    // The same checks keep a flood inside a scroll region exact.
    const text = plainText(5, 200, 40);
    await compare([text.slice(0, 4000), text.slice(4000)], 40, 10, 'top\x1b[2;8r\x1b[8;1H');
  });
});

describe('fastForwardChunks', () => {
  /** Cuts `text` at pseudo-random places, some cuts between CR and LF, some chunks empty. */
  function split(text: string, seed: number): string[] {
    const chunks: string[] = [];
    let s = seed;
    for (let i = 0; i < text.length; ) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const n = s % 9 === 0 ? 0 : 1 + (s % 300);
      chunks.push(text.slice(i, i + n));
      i += n;
    }
    return chunks;
  }

  it('leaves out exactly what fastForward leaves out of the joined text, wherever the chunks are cut', () => {
    const rows = 6;
    const cases = [plainText(1, 60, 30), plainText(2, 8, 30), `\x1b[1m${plainText(3, 60, 30)}`, plainText(4, 60, 30).replace(/\r\n/g, '\n'), `${plainText(5, 40, 30)}\x1b[2J${plainText(6, 10, 30)}`];
    let skippedSome = false;
    for (const [n, text] of cases.entries()) {
      for (let seed = 1; seed <= 25; seed++) {
        const chunks = split(text, seed * 31 + n);
        const joined = fastForward(text, rows);
        const kept = fastForwardChunks(chunks, rows);
        if (joined === text) assert.equal(kept, null, `case ${n}, seed ${seed}: nothing to leave out`);
        else {
          assert.ok(kept !== null, `case ${n}, seed ${seed}: the same head left out`);
          assert.equal(kept.join(''), joined, `case ${n}, seed ${seed}`);
          skippedSome = true;
        }
      }
    }
    assert.ok(skippedSome);
    assert.equal(fastForwardChunks([], rows), null);
    assert.equal(fastForwardChunks(['', ''], rows), null);
  });

  it('keeps the screen exact when a hand-off compacts its queue chunk by chunk', async () => {
    const [cols, rows] = [40, 8];
    const text = plainText(11, 300, cols);
    const whole = new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
    const quick = new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
    try {
      await write(whole, '\x1b[33mbefore\r\n');
      await write(quick, '\x1b[33mbefore\r\n');
      let queue: string[] = [];
      for (const chunk of [...split(text, 7), '\x1b[0mafter']) {
        await write(whole, chunk);
        queue.push(chunk);
        queue = (emulatorAllowsSkip(quick) ? fastForwardChunks(queue, rows) : null) ?? queue;
      }
      assert.ok(queue.join('').length < text.length / 4, 'the queue stayed short');
      await write(quick, queue.join(''));
      assert.equal(state(quick), state(whole));
    } finally {
      whole.dispose();
      quick.dispose();
    }
  });
});
