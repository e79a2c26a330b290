import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogColorizer } from '../../src/logs/colorize.js';
import { LogBuffer } from '../../src/logs/log-buffer.js';
import { LogView } from '../../src/logs/log-view.js';
import { LogSanitizer, sanitizeLogText } from '../../src/logs/sanitize-stream.js';
import { applySgr } from '../../src/logs/sgr.js';
import { findAll, highlightRuns, wrapRuns } from '../../src/logs/wrap.js';
import type { Run } from '../../src/session/screen.js';

const rowText = (runs: Run[]): string => runs.map((r) => r.text).join('');
const screenText = (view: LogView): string[] => view.frame().screen.lines.map(rowText);

describe('log sanitising', () => {
  it('keeps text and SGR colours, drops every other sequence and control', () => {
    const hostile = [
      'a\x1b[31mred\x1b[0m',
      '\x1b]0;pwned title\x07',
      '\x1b]52;c;aGVsbG8=\x07',
      '\x1b[2J\x1b[H\x1b[5A\x1b[?1049h',
      '\x1bPq#0;2;0;0;0\x1b\\',
      '\x9b31m\x9d8;;http://x\x9c',
      '\r\x08\x07\x00\u202eevil\u2066',
      '\x1b[38;2;1;2;3mrgb\x1b[m',
      '\x1b[31;1?m\x1bcz',
    ].join('');
    // The 8-bit CSI SGR is a colour like any other: kept, in its 7-bit form.
    assert.equal(sanitizeLogText(hostile), 'a\x1b[31mred\x1b[0m\x1b[31mevil\x1b[38;2;1;2;3mrgb\x1b[mz');
  });

  it('holds a sequence cut across chunks until it ends', () => {
    const s = new LogSanitizer();
    assert.equal(s.push('x\x1b[3'), 'x');
    assert.equal(s.push('2mgreen\x1b]0;ti'), '\x1b[32mgreen');
    assert.equal(s.push('tle\x07done\n'), 'done\n');
  });
});

describe('SGR', () => {
  it('maps colours and attributes to the session frames vocabulary', () => {
    assert.deepEqual(applySgr({}, '1;31;44'), { bold: true, fg: 'red', bg: 'blue' });
    assert.deepEqual(applySgr({}, '38;5;185;48;5;9'), { fg: 'ansi256(185)', bg: 'redBright' });
    assert.deepEqual(applySgr({}, '38;2;80;211;213'), { fg: '#50d3d5' });
    assert.deepEqual(applySgr({}, '38:2::255:0:0'), { fg: '#ff0000' });
    assert.deepEqual(applySgr({ fg: 'red', bold: true, underline: true }, '39;22'), { underline: true });
    assert.deepEqual(applySgr({ fg: 'red', bold: true }, ''), {});
    assert.deepEqual(applySgr({}, '92;7'), { fg: 'greenBright', inverse: true });
  });
});

describe('log buffer', () => {
  it('turns output into styled lines; a partial line waits for its newline', () => {
    const b = new LogBuffer();
    assert.equal(b.append('one\n\x1b[33mtwo'), 1);
    assert.equal(b.length, 1);
    assert.equal(b.append(' still\x1b[0m\nthree'), 1);
    assert.equal(b.line(1)?.text, 'two still');
    assert.deepEqual(b.line(1)?.runs, [{ text: 'two still', style: { fg: 'yellow' } }]);
    assert.equal(b.flush(), 1);
    assert.equal(b.line(2)?.text, 'three');
  });

  it('expands tabs and keeps a bounded number of lines, numbered for good', () => {
    const b = new LogBuffer(100);
    b.append('a\tb\n');
    assert.equal(b.line(0)?.text, 'a       b');
    for (let i = 1; i < 1000; i++) b.append(`line ${i}\n`);
    assert.ok(b.length <= 110, `kept ${b.length}`);
    assert.equal(b.endSeq, 1000);
    assert.equal(b.line(999)?.text, 'line 999');
    assert.equal(b.line(0), undefined, 'the oldest are gone');
  });
});

describe('wrapping and search marks', () => {
  it('wraps at the width; a wide character never straddles two rows', () => {
    const rows = wrapRuns([{ text: 'abcd界ef', style: {} }], 5);
    assert.deepEqual(rows.map(rowText), ['abcd', '界ef']);
    assert.deepEqual(wrapRuns([], 5), [[]]);
  });

  it('finds case-insensitively unless the query has a capital; marks matches inverted', () => {
    assert.deepEqual(findAll('Error error ERROR', 'error'), [0, 6, 12]);
    assert.deepEqual(findAll('Error error ERROR', 'Error'), [0]);
    const runs = highlightRuns([{ text: 'GET /x ', style: { fg: 'green' } }, { text: '200 ok', style: {} }], 'GET /x 200 ok', 'x 2', 5);
    assert.deepEqual(runs, [
      { text: 'GET /', style: { fg: 'green' } },
      { text: 'x ', style: { fg: 'green', inverse: true, bold: true, underline: true } },
      { text: '2', style: { inverse: true, bold: true, underline: true } },
      { text: '00 ok', style: {} },
    ]);
  });
});

describe('log view', () => {
  function filled(n: number, rows = 3): { buffer: LogBuffer; view: LogView } {
    const buffer = new LogBuffer();
    for (let i = 0; i < n; i++) buffer.append(`line ${i}\n`);
    return { buffer, view: new LogView(buffer, { cols: 20, rows }) };
  }

  it('follows the newest lines until paused; paused, it keeps its place and counts what came', () => {
    const { buffer, view } = filled(10);
    assert.deepEqual(screenText(view), ['line 7', 'line 8', 'line 9']);
    view.togglePause();
    buffer.append('line 10\nline 11\n');
    const frame = view.frame();
    assert.equal(frame.following, false);
    assert.equal(frame.newLines, 2);
    assert.deepEqual(frame.screen.lines.map(rowText), ['line 7', 'line 8', 'line 9']);
    view.togglePause();
    assert.deepEqual(screenText(view), ['line 9', 'line 10', 'line 11']);
    assert.equal(view.frame().newLines, 0);
  });

  it('scrolling up stops following; g and G go to the ends (G follows again)', () => {
    const { buffer, view } = filled(10);
    view.scrollBy(-2);
    assert.equal(view.following, false);
    assert.deepEqual(screenText(view), ['line 5', 'line 6', 'line 7']);
    view.page(-1);
    assert.deepEqual(screenText(view), ['line 3', 'line 4', 'line 5']);
    view.scrollBy(100);
    assert.deepEqual(screenText(view), ['line 7', 'line 8', 'line 9'], 'no further than the last line');
    view.toTop();
    assert.deepEqual(screenText(view), ['line 0', 'line 1', 'line 2']);
    buffer.append('line 10\n');
    view.toBottom();
    assert.equal(view.following, true);
    assert.deepEqual(screenText(view), ['line 8', 'line 9', 'line 10']);
  });

  it('scrolls through wrapped rows', () => {
    const buffer = new LogBuffer();
    buffer.append('short\n' + 'x'.repeat(45) + '\nlast\n');
    const view = new LogView(buffer, { cols: 20, rows: 2 });
    assert.deepEqual(screenText(view), ['xxxxx', 'last']);
    view.scrollBy(-1);
    assert.deepEqual(screenText(view), ['x'.repeat(20), 'xxxxx']);
    view.scrollBy(-2);
    assert.deepEqual(screenText(view), ['short', 'x'.repeat(20)]);
  });

  it('searches forward and back from the view, wraps around, and says when nothing matches', () => {
    const { view } = filled(30, 4);
    view.setQuery('line 1');
    view.find(1);
    let frame = view.frame();
    assert.equal(frame.following, false);
    assert.deepEqual(frame.match, { index: 1, count: 11 }, 'line 1 and line 10-19');
    assert.equal(frame.message, 'search wrapped to the top');
    assert.ok(frame.screen.lines.map(rowText).includes('line 1'));
    view.find(1);
    assert.equal(view.frame().match?.index, 2);
    view.find(-1);
    view.find(-1);
    frame = view.frame();
    assert.equal(frame.match?.index, 11, 'back past the first wraps to the last');
    assert.equal(frame.message, 'search wrapped to the bottom');
    const current = frame.screen.lines.flat().find((r) => r.style.underline);
    assert.equal(current?.text, 'line 1');
    view.setQuery('nothing like it');
    view.find(1);
    assert.equal(view.frame().message, 'not found: nothing like it');
    assert.deepEqual(view.frame().match, { index: null, count: 0 });
  });

  it('a paused view on lines that were dropped moves to the oldest kept line', () => {
    const buffer = new LogBuffer(20);
    for (let i = 0; i < 20; i++) buffer.append(`line ${i}\n`);
    const view = new LogView(buffer, { cols: 20, rows: 2 });
    view.toTop();
    for (let i = 20; i < 60; i++) buffer.append(`line ${i}\n`);
    const first = screenText(view)[0];
    assert.equal(first, buffer.line(buffer.firstSeq)?.text);
  });
});

describe('log colours (as the heroku CLI)', () => {
  it('colours the source part by process type and router statuses', () => {
    const c = new LogColorizer();
    const web = c.line('2026-11-25T10:00:00.000000+00:00 app[web.1]: hello');
    assert.equal(web, '\x1b[38;2;80;211;213m2026-11-25T10:00:00.000000+00:00 app[web.1]:\x1b[39m hello');
    const router = c.line('2026-11-25T10:00:00.000000+00:00 heroku[router]: at=info status=503 service=12ms');
    assert.match(router, /^\x1b\[38;5;40m.*heroku\[router\]:\x1b\[39m /);
    assert.match(router, /status=\x1b\[39m\x1b\[38;2;255;135;135m503/);
    assert.equal(c.line('no source here'), 'no source here');
  });
});
