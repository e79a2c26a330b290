import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import stringWidth from 'string-width';
import { AppList } from '../../components/AppList.js';
import { Comparison } from '../../components/Comparison.js';
import { DynoList } from '../../components/DynoList.js';
import { Footer } from '../../components/Footer.js';
import { Header } from '../../components/Header.js';
import { HelpOverlay } from '../../components/HelpOverlay.js';
import { TooSmall } from '../../components/TooSmall.js';
import { app, dyno, fleet } from '../helpers/fixtures.js';
import { renderWith, settle, storeWith } from './render-helpers.js';

const lines = (frame: string | undefined): string[] => (frame ?? '').split('\n');

describe('Header', () => {
  it('shows the account, source, app count and age', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <Header width={90} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /dynotty/);
    assert.match(frame, /dev@example\.com │ fake fleet │ 3 apps │ updated \d+s ago/);
    assert.match(frame, /\? help/);
    unmount();
  });

  it('shows a failed refresh without losing the data', async () => {
    const store = await storeWith();
    store.setState({ loadError: 'connection refused' });
    const { lastFrame, unmount } = renderWith(store, <Header width={120} />);
    assert.match(lastFrame() ?? '', /3 apps .*refresh failed: connection refused/);
    unmount();
  });
});

describe('AppList', () => {
  it('lists apps with badges and up/crashed counts, marking the selection', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <AppList width={34} lines={6} />);
    const rows = lines(lastFrame());
    assert.match(rows[0] ?? '', /APPS 3/);
    assert.match(rows[1] ?? '', /^▸ acme-billing\s+●1 ✖1/);
    assert.match(rows[2] ?? '', /acme-ml-fir\s+fir ●1/);
    for (const r of rows) assert.ok(stringWidth(r) <= 34, `row fits: ${r}`);
    unmount();
  });

  it('renders only the rows that fit, keeping the selection in view', async () => {
    const apps = Array.from({ length: 500 }, (_, i) => app({ name: `app-${String(i).padStart(3, '0')}` }));
    const store = await storeWith(fleet(apps, []));
    store.getState().moveToEdge('last');
    const { lastFrame, unmount } = renderWith(store, <AppList width={30} lines={6} />);
    const rows = lines(lastFrame());
    assert.equal(rows.length, 6);
    assert.match(rows.at(-1) ?? '', /▸ app-499/);
    unmount();
  });

  it('neutralises escape sequences and controls in app names', async () => {
    const hostile = app({ name: 'evil\x1b]0;pwned\x07\x1b[2Jname\u202e' });
    const store = await storeWith(fleet([hostile], []));
    const { lastFrame, unmount } = renderWith(store, <AppList width={30} lines={3} />);
    const frame = lastFrame() ?? '';
    assert.ok(!frame.includes('\x1b]'), 'no OSC reaches the screen');
    assert.ok(!frame.includes('\x1b[2J'), 'no screen clear reaches the screen');
    assert.ok(!frame.includes('\u202e'), 'no bidi override');
    assert.match(frame, /evilname/);
    unmount();
  });

  it('says when the filter matches nothing', async () => {
    const store = await storeWith();
    store.getState().editFilter('zzzz');
    const { lastFrame, unmount } = renderWith(store, <AppList width={30} lines={3} />);
    assert.match(lastFrame() ?? '', /no app matches/);
    unmount();
  });
});

describe('DynoList', () => {
  it('shows state with a symbol, size, age and command; follows the selected app', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <DynoList width={60} lines={4} />);
    let rows = lines(lastFrame());
    assert.match(rows[0] ?? '', /DYNOS acme-billing \(2\)/);
    assert.match(rows[1] ?? '', /● web\.1\s+up\s+Std-1X\s+1h\s+npm start/);
    assert.match(rows[2] ?? '', /✖ worker\.1\s+crashed/);
    store.getState().moveToEdge('last');
    await settle();
    rows = lines(lastFrame());
    assert.match(rows[0] ?? '', /DYNOS acme-web \(3\)/);
    unmount();
  });

  it('marks one-offs and shows unknown states as they come', async () => {
    const store = await storeWith(
      fleet(
        [app()],
        [dyno({ name: 'run.4821', type: 'run', command: 'bash' }), dyno({ name: 'web.1', state: 'rebooting' })],
      ),
    );
    const { lastFrame, unmount } = renderWith(store, <DynoList width={70} lines={4} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /run\.4821 .*one-off · bash/);
    assert.match(frame, /\? web\.1\s+rebooting/);
    unmount();
  });

  it('shows an app\'s listing error instead of its dynos', async () => {
    const store = await storeWith(fleet([app()], [], { appErrors: { 'acme-web': 'heroku ps failed: 404 Couldn\'t find that app.' } }));
    const { lastFrame, unmount } = renderWith(store, <DynoList width={70} lines={4} />);
    assert.match(lastFrame() ?? '', /! heroku ps failed: 404 Couldn't find that app\./);
    unmount();
  });
});

describe('Comparison', () => {
  it('compares run and exec for a Cedar dyno, with the exact commands', async () => {
    const store = await storeWith();
    store.getState().moveToEdge('last');
    const { lastFrame, unmount } = renderWith(store, <Comparison width={90} rows={8} lines={15} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /compare ways in: acme-web · web\.1/);
    assert.match(frame, /r heroku run bash ★\s+x heroku ps:exec/);
    assert.match(frame, /where\s+new one-off dyno\s+live dyno web\.1/);
    assert.match(frame, /r \$ heroku run bash -a acme-web/);
    assert.match(frame, /x \$ heroku ps:exec -a acme-web --dyno web\.1/);
    unmount();
  });

  it('follows the selected dyno and says why exec is unavailable on a crashed one', async () => {
    const store = await storeWith();
    store.getState().focusPane('dynos');
    store.getState().move(1);
    const { lastFrame, unmount } = renderWith(store, <Comparison width={90} rows={8} lines={15} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /acme-billing · worker\.1/);
    assert.match(frame, /✖ dyno is crashed/);
    unmount();
  });

  it('shows run:inside for a Fir app and exec as unavailable', async () => {
    const store = await storeWith();
    store.getState().move(1);
    const { lastFrame, unmount } = renderWith(store, <Comparison width={90} rows={8} lines={15} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /heroku run:inside/);
    assert.match(frame, /✖ Fir app: use/);
    assert.match(frame, /x \$ heroku run:inside web-848cd4f64d-pvpr2 bash -a acme-ml-fir/);
    unmount();
  });

  it('drops the least important rows when short of lines', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <Comparison width={90} rows={3} lines={10} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /where/);
    assert.match(frame, /risk/);
    assert.match(frame, /persists/);
    assert.doesNotMatch(frame, /uses/);
    unmount();
  });
});

describe('Footer', () => {
  it('shows key hints, then the filter line while filtering', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <Footer width={90} />);
    assert.match(lastFrame() ?? '', /↑↓ move .*\/ filter .*q quit/);
    store.getState().startFilter();
    store.getState().editFilter('bill');
    await settle();
    assert.match(lastFrame() ?? '', /\/ bill .*1 app · Enter keep · Esc clear/);
    store.getState().acceptFilter();
    await settle();
    assert.match(lastFrame() ?? '', /filter: bill \(Esc clears\)/);
    unmount();
  });
});

describe('HelpOverlay and TooSmall', () => {
  it('help lists every picker key', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <HelpOverlay width={80} height={16} />);
    const frame = lastFrame() ?? '';
    for (const k of ['kj', 'Tab', '/', 'R', '?', 'Ctrl-C', 'logs', 'restart', 'copy']) assert.ok(frame.includes(k), `help shows ${k}`);
    unmount();
  });

  it('too small says the size it needs', async () => {
    const store = await storeWith();
    const { lastFrame, unmount } = renderWith(store, <TooSmall columns={50} rows={15} />);
    assert.match(lastFrame() ?? '', /terminal too small: 50x15, dynotty needs 60x20/);
    unmount();
  });
});
