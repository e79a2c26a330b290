// Hostile text end to end, through the real sources: app names, dyno names and commands and
// error bodies from the fake Platform API; the same names from the fake `heroku` CLI's JSON,
// and its stderr. Every class (OSC title changes, screen clears, cursor moves, C0 and C1
// controls, bidi overrides, very long strings, wide and emoji characters) is checked on the
// raw bytes dynotty wrote to its terminal and on the screen a real VT emulator made of them.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dynoJson, appJson, FAKE_TOKEN, startFakeApi, type FakeApiState } from '../fakes/fake-api.js';
import { fakeHerokuBin } from '../fakes/fake-heroku.js';
import { assertTerminalRestored } from '../helpers/dynotty.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';
import { cleanupSources, cliFixture, herokuStateOf, launch, PATH_FAKE_HEROKU_NO_SSH, PATH_WITHOUT_HEROKU, sharedFleet } from '../helpers/sources.js';

after(cleanupSources);

const COLS = 120;
const ROWS = 36;

/** One sample per class; the escape sequences use parameters dynotty itself never writes. */
const HOSTILE = {
  osc: 'osc\x1b]0;PWNED-TITLE-0\x07-\x1b]2;PWNED-TITLE-2\x1b\\-\x1b]8;;https://evil.example\x1b\\link',
  clear: 'clear\x1b[2J\x1b[3J\x1bc-\x1b[?1049l-reset',
  cursor: 'cursor\x1b[97;97H\x1b[99A\x1b[77C\x1b7\x1b8\x1b[s\x1b[u-moves',
  c0c1: 'ctl\x07\x08\x08\r\n\t\x00\x0b\x0c\x7f-\x9b97;97H\x9d0;PWNED-C1\x9c\x85\x8d-c1',
  bidi: 'bidi\u202eevil\u202c\u2066iso\u2069\u200f\u061c-names',
  long: `long-${'x'.repeat(600)}-end`,
  wide: `wide-日本語のアプリ名前-🚀🔥👩‍💻-${'漢'.repeat(80)}`,
} as const;
type HostileClass = keyof typeof HOSTILE;
const CLASSES = Object.keys(HOSTILE) as HostileClass[];

/**
 * Whatever escape sequences the samples hold, none may appear in what dynotty writes. (Their
 * printable parts may: the command line shown for copying spells controls as $'\033...'.)
 */
const FORBIDDEN_RAW: [string, RegExp][] = [
  ['an OSC (title, hyperlink)', /\x1b\]|\x9d/],
  ['a full reset (RIS)', /\x1bc/],
  ['the cursor moved to 97;97', /\x1b\[97;97H|\x9b/],
  ['the cursor moved up 99 rows', /\x1b\[99A/],
  ['the cursor moved right 77 columns', /\x1b\[77C/],
  // The session pane's painter saves the cursor, moves to the pane's row, draws, restores:
  // a save not followed by that move, or the sample's save+restore pair, is not dynotty's.
  ['a saved/restored cursor', /\x1b7\x1b8|\x1b7(?!\x1b\[\d+;\d+H)|\x1b\[[su]/],
  ['a scrollback erase', /\x1b\[3J/],
  ['a C1 control', /[\x80-\x9f]/],
  ['BEL, backspace, NUL, VT, FF or DEL', /[\x07\x08\x00\x0b\x0c\x7f]/],
  ['a bidi control', /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/],
];

function hostileFleet(): FakeApiState {
  const state = sharedFleet();
  for (const cls of CLASSES) {
    const name = `zz-${cls}-${HOSTILE[cls]}`;
    state.apps.push(appJson({ name }));
    state.dynos[name] = [
      dynoJson({ app: name, name: `web.${HOSTILE[cls]}`, command: `serve ${HOSTILE[cls]} --port $PORT` }),
      dynoJson({ app: name, name: 'worker.1', type: 'worker', state: `crashed${HOSTILE[cls]}`, command: HOSTILE[cls] }),
    ];
    state.features[name] = { 'runtime-heroku-exec': true };
    state.configVars[name] = {};
  }
  return state;
}

/** Raw bytes and screen, after everything drawn so far: no sequence from the data, rows within the width. */
function assertSafe(screen: PtyScreen, titles: string[], where: string, view: 'picker' | 'session' = 'picker'): void {
  const raw = screen.raw;
  for (const [what, pattern] of FORBIDDEN_RAW) {
    const m = pattern.exec(raw);
    assert.equal(m, null, `${where}: ${what} reached the terminal: ${JSON.stringify(raw.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
  }
  // dynotty clears the screen once, entering the alternate screen; Ink may clear to redraw; the data never.
  const clears = raw.split('\x1b[2J').length - 1;
  const ours = raw.split('\x1b[?1049h\x1b[H\x1b[2J').length - 1;
  assert.equal(clears, ours, `${where}: every screen clear is dynotty's own`);
  assert.deepEqual(titles, [], `${where}: the title never changed`);
  const buf = screen.term.buffer.active;
  for (let y = 0; y < screen.term.rows; y++) {
    assert.equal(buf.getLine(buf.viewportY + y)?.isWrapped ?? false, false, `${where}: row ${y} wrapped past ${COLS} columns:\n${screen.text()}`);
  }
  const lines = screen.lines();
  const [header, footer] = view === 'picker' ? [/^ dynotty /, /q quit|Enter keep/] : [/^ run bash · .*Ctrl-\] detach$/, /^ \$ heroku run bash -a /];
  assert.match(lines[0] ?? '', header, `${where}: the header is on the first row`);
  assert.ok(lines.some((l) => footer.test(l)), `${where}: the last line is in its place:\n${screen.text()}`);
}

/** A whole picker frame is on screen (a frame can arrive in several chunks). */
const FRAME = /compare ways in: [\s\S]*q quit/;

/** Walks every app (and each hostile app's dynos) so each string is drawn in every place it can be. */
async function walkEveryApp(screen: PtyScreen, titles: string[], appCount: number): Promise<void> {
  await screen.send('g', /compare ways in: acme-billing[\s\S]*q quit/);
  for (let i = 1; i < appCount; i++) {
    const before = screen.text();
    await screen.send('j', (t) => t !== before && FRAME.test(t));
    assertSafe(screen, titles, `app ${i + 1}`);
    const apps = screen.text();
    await screen.send(`${keys.tab}j`, (t) => t !== apps && FRAME.test(t));
    assertSafe(screen, titles, `app ${i + 1}, its second dyno`);
    await screen.send(keys.tab, FRAME);
  }
}

function watchTitles(screen: PtyScreen): string[] {
  const titles: string[] = [];
  screen.term.onTitleChange((t) => titles.push(t));
  return titles;
}

describe('untrusted text from the real sources never acts on the terminal', () => {
  it('from the Platform API: app and dyno names, commands, states, error bodies', async () => {
    const state = hostileFleet();
    const failing = state.apps[state.apps.length - 1]?.name ?? '';
    const api = await startFakeApi({
      state,
      // One hostile app's dynos fail with a hostile error body, as JSON and as HTML.
      failNext: [
        { path: /^\/apps\/acme-billing\/dynos/, status: 500, body: { id: 'internal', message: `boom ${HOSTILE.osc} ${HOSTILE.cursor} ${HOSTILE.c0c1}` } },
        { path: new RegExp(`^/apps/${encodeURIComponent(failing).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/dynos`), status: 500, body: { id: 'internal', message: `boom ${HOSTILE.osc} ${HOSTILE.clear} ${HOSTILE.bidi}` } },
      ],
    });
    try {
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN }, cols: COLS, rows: ROWS });
      const titles = watchTitles(screen);
      await screen.waitFor(new RegExp(`APPS ${state.apps.length}`), 15_000);
      assertSafe(screen, titles, 'the first frame');
      await walkEveryApp(screen, titles, state.apps.length);
      const text = await screen.send('G', /compare ways in: zz-wide/);
      assert.match(text, /! GET \/apps\/zz-wide/, 'the failing app says why');
      const billing = await screen.send('g', /compare ways in: acme-billing[\s\S]*q quit/);
      assert.match(billing, /! GET \/apps\/acme-billing\/dynos: Heroku answered HTTP 500: boom osc--link cu/, 'the error body is shown, cleaned');
      assert.match(text, /zz-wide-wide-日本語のアプリ名前-… {2}●0 !/, 'wide characters are shown and cut by display width');
      assert.match(text, /zz-long-long-x+… ●1/, 'a long name is cut with an ellipsis');

      // The filter line shows typed text; the same rules apply to what it matches.
      await screen.send('/', /Enter keep/);
      await screen.send('bidi', /compare ways in: zz-bidi[\s\S]*Enter keep/);
      assertSafe(screen, titles, 'filtered to the bidi app');
      // The filter line gone: typed at once after Esc, R would arrive as Alt-R.
      await screen.send(keys.esc, (t) => !t.includes('Enter keep'));

      // The help overlay, a refresh, and quitting: still nothing from the data.
      await screen.send('R', /updated 0s ago/);
      assertSafe(screen, titles, 'after a refresh');
      screen.proc.write('q');
      await screen.waitExit();
      assertTerminalRestored(screen, 'EXIT=0');
      assert.deepEqual(titles, []);
    } finally {
      await api.close();
    }
  });

  it('from the heroku CLI: names in its JSON, its stderr on failure, and a session header', async () => {
    const state = hostileFleet();
    const cli = cliFixture(herokuStateOf(state));
    const screen = launch(['--source', 'cli', '--heroku-bin', fakeHerokuBin], {
      path: PATH_FAKE_HEROKU_NO_SSH,
      env: { ...cli.env, FAKE_HEROKU_FAIL: `ps@acme-vault:2:Couldn't find that app. ${HOSTILE.osc} ${HOSTILE.cursor} ${HOSTILE.c0c1}` },
      cols: COLS,
      rows: ROWS,
    });
    const titles = watchTitles(screen);
    await screen.waitFor(new RegExp(`APPS ${state.apps.length}`), 20_000);
    assertSafe(screen, titles, 'the first frame');
    await walkEveryApp(screen, titles, state.apps.length);

    await screen.send('g', /compare ways in: acme-billing/);
    const vault = await screen.send('jjj', /compare ways in: acme-vault/);
    assert.match(vault, /! heroku ps --json -a acme-vault: Couldn't find that app\. osc/, "the CLI's stderr is shown, cleaned");
    assertSafe(screen, titles, "the CLI's stderr");

    // A session on a hostile app: its header is dynotty's, outside the pane.
    await screen.send('G', /compare ways in: zz-wide/);
    await screen.send('/', /Enter keep/);
    await screen.send('osc', /compare ways in: zz-osc/);
    await screen.send(keys.enter, /filter: /);
    await screen.send('r', /run bash · zz-osc/, 10_000);
    await screen.waitFor(/^~ \$/m, 10_000);
    assertSafe(screen, titles, 'a session header', 'session');
    await screen.send('exit\r', /exited with status 0/);
    await screen.send(keys.enter, (t) => /compare ways in: /.test(t) && !t.includes('exited with status'));
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
    assert.deepEqual(titles, []);
  });
});
