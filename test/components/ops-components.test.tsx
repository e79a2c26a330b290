import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfirmDialog, NoticeDialog } from '../../components/Dialogs.js';
import { Footer } from '../../components/Footer.js';
import { HelpOverlay } from '../../components/HelpOverlay.js';
import { LogsView } from '../../components/LogsView.js';
import { LogBuffer } from '../../src/logs/log-buffer.js';
import { LogView } from '../../src/logs/log-view.js';
import { renderWith, settle, storeWith } from './render-helpers.js';

function logsState(text: string, opts: { searching?: boolean; input?: string; ended?: string | null; pause?: boolean; query?: string } = {}) {
  const buffer = new LogBuffer();
  buffer.append(text);
  const view = new LogView(buffer, { cols: 80, rows: 4 });
  if (opts.pause) view.togglePause();
  if (opts.query) {
    view.setQuery(opts.query);
    view.find(1);
  }
  return {
    view: 'logs' as const,
    logs: {
      target: { app: 'acme-web', dyno: 'web.1' },
      title: 'heroku logs --tail -a acme-web --dyno-name web.1',
      state: opts.ended === undefined ? ('live' as const) : ('ended' as const),
      problem: opts.ended ?? null,
      searching: opts.searching ?? false,
      input: opts.input ?? '',
    },
    logsFrame: view.frame(),
  };
}

describe('LogsView', () => {
  it('shows where the lines come from, the lines, the command and the keys', async () => {
    const store = await storeWith();
    store.setState(logsState('2026-11-25T10:00:00.000000+00:00 app[web.1]: hello\n'));
    const { lastFrame, unmount } = renderWith(store, <LogsView width={100} height={7} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /logs · acme-web · web\.1 · ● live · 1 line .*Esc back/);
    assert.match(frame, /app\[web\.1\]: hello/);
    assert.match(frame, /\$ heroku logs --tail -a acme-web --dyno-name web\.1 · ↑↓ PgUp PgDn g G scroll · space pause/);
    unmount();
  });

  it('paused, searching, and ended with the reason', async () => {
    const store = await storeWith();
    store.setState(logsState('a\nb error\nc\n', { pause: true, query: 'error' }));
    const view = renderWith(store, <LogsView width={100} height={7} />);
    assert.match(view.lastFrame() ?? '', /⏸ paused/);
    assert.match(view.lastFrame() ?? '', /match 1\/1 matches/);
    store.setState(logsState('a\n', { searching: true, input: 'err' }));
    await settle();
    assert.match(view.lastFrame() ?? '', / \/ err .*Enter find · Esc clear/);
    store.setState(logsState('a\n', { ended: "heroku logs --tail -a acme-web: Couldn't find that app." }));
    await settle();
    assert.match(view.lastFrame() ?? '', /logs ended: heroku logs --tail -a acme-web: Couldn't find that app\. · Esc back/);
    assert.match(view.lastFrame() ?? '', /■ ended/);
    view.unmount();
  });
});

describe('operator dialogs and hints', () => {
  it('the restart question names the app, the dyno and the command', async () => {
    const store = await storeWith();
    store.setState({ confirm: { kind: 'restart', app: 'acme-web', dyno: 'web.2', command: 'heroku ps:restart -a acme-web --dyno-name web.2' } });
    const { lastFrame, unmount } = renderWith(store, <ConfirmDialog width={100} height={14} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /restart web\.2 of acme-web\?/);
    assert.match(frame, /\$ heroku ps:restart -a acme-web --dyno-name web\.2/);
    assert.match(frame, /y restart · n or Esc cancel/);
    unmount();
  });

  it('a notice keeps its lines apart; the copy notice has its own title', async () => {
    const store = await storeWith();
    store.setState({ notice: 'heroku run bash -a acme-web\nsecond line', noticeTitle: 'copied to the clipboard', copyNotice: true });
    const { lastFrame, unmount } = renderWith(store, <NoticeDialog width={100} height={10} />);
    const rows = (lastFrame() ?? '').split('\n');
    assert.ok(rows.some((r) => /copied to the clipboard/.test(r)));
    assert.ok(rows.some((r) => /│ heroku run bash -a acme-web +│/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /│ second line +│/.test(r)));
    unmount();
  });

  it('the footer keeps quit, help, restart and logs on a narrow terminal; help lists the new keys', async () => {
    const store = await storeWith();
    const narrow = renderWith(store, <Footer width={60} />);
    assert.match(narrow.lastFrame() ?? '', /l logs {2}s restart .*\? help {2}q quit/);
    assert.doesNotMatch(narrow.lastFrame() ?? '', /←→ focus/, 'the least needed hints give way');
    narrow.unmount();
    const help = renderWith(store, <HelpOverlay width={100} height={30} />);
    const frame = help.lastFrame() ?? '';
    for (const k of ["the dyno's logs", 'restart the dyno', "copy the ★ mode's command", 'in the logs view', 'search']) assert.ok(frame.includes(k), k);
    help.unmount();
  });
});
