import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handleKey, keyPressOf } from '../../components/keymap.js';
import type { Clipboard } from '../../src/clipboard/osc52.js';
import type { LogHandlers, LogTarget, Operations } from '../../src/ops/operations.js';
import { OperationError } from '../../src/ops/operations.js';
import type { SessionRequest, SpawnSpec } from '../../src/session/spec.js';
import { createAppStore, type AppStore } from '../../src/store/store.js';
import { dyno, fakeServices, FakeLauncher, FakeSource, sampleFleet } from '../helpers/fixtures.js';
import { waitUntil } from '../helpers/processes.js';

class FakeOps implements Operations {
  execEnabled?: (app: string) => Promise<boolean | null>;
  opened: { target: LogTarget; handlers: LogHandlers; stopped: boolean }[] = [];
  restarts: [string, string][] = [];
  restartError: Error | null = null;
  onRestart: () => void = () => undefined;
  logsCommand(t: LogTarget): string {
    return `heroku logs --tail -a ${t.app}${t.dyno ? ` --dyno-name ${t.dyno}` : ''}`;
  }
  openLogs(target: LogTarget, handlers: LogHandlers) {
    const entry = { target, handlers, stopped: false };
    this.opened.push(entry);
    return { stop: async () => void (entry.stopped = true) };
  }
  restartCommand(app: string, d: string): string {
    return `heroku ps:restart -a ${app} --dyno-name ${d}`;
  }
  async restart(app: string, d: string): Promise<void> {
    this.restarts.push([app, d]);
    if (this.restartError) throw this.restartError;
    this.onRestart();
  }
}

class FakeClipboard implements Clipboard {
  copied: string[] = [];
  copy(text: string): void {
    this.copied.push(text);
  }
}

async function setup(opts: { isProtected?: (app: string) => boolean; launcher?: FakeLauncher } = {}) {
  const source = new FakeSource();
  const ops = new FakeOps();
  const clipboard = new FakeClipboard();
  const services = { ...fakeServices(source), ops, clipboard, ...(opts.launcher ? { launcher: opts.launcher } : {}) };
  const store = createAppStore(services, { isProtected: opts.isProtected, restartPollMs: 5 });
  await store.getState().refresh();
  return { store, source, ops, clipboard, services };
}

/** Types keys as a terminal would send them. */
function type(store: AppStore, keys: string): void {
  for (const ch of keys) handleKey(store, ...keyPressOf(ch), 5);
}

describe('store: logs', () => {
  it('l opens the focused dyno\'s logs (the app\'s from the apps list); Esc stops the stream', async () => {
    const { store, ops } = await setup();
    type(store, 'l');
    assert.deepEqual(ops.opened[0]?.target, { app: 'acme-billing', dyno: null });
    assert.equal(store.getState().view, 'logs');
    assert.equal(store.getState().logs?.title, 'heroku logs --tail -a acme-billing');
    handleKey(store, '', { ...keyPressOf('x')[1], escape: true }, 5);
    await waitUntil(() => ops.opened[0]?.stopped === true, 1000, 'the stream to stop');
    assert.equal(store.getState().view, 'picker');
    store.getState().focusPane('dynos');
    type(store, 'l');
    assert.deepEqual(ops.opened[1]?.target, { app: 'acme-billing', dyno: 'web.1' });
  });

  it('lines are drawn; space pauses, / searches, the stream\'s end says why', async () => {
    const { store, ops } = await setup();
    store.getState().setViewport(40, 5);
    type(store, 'l');
    const stream = ops.opened[0]!;
    stream.handlers.onData('one\ntwo\nthree error\n');
    await waitUntil(() => (store.getState().logsFrame?.lines ?? 0) === 3, 1000, 'lines drawn');
    type(store, ' ');
    assert.equal(store.getState().logsFrame?.following, false);
    type(store, '/error\r');
    assert.deepEqual(store.getState().logsFrame?.match, { index: 1, count: 1 });
    assert.equal(store.getState().logs?.searching, false);
    stream.handlers.onEnd('heroku logs --tail -a acme-billing: Couldn\'t find that app.');
    assert.equal(store.getState().logs?.state, 'ended');
    assert.match(store.getState().logs?.problem ?? '', /Couldn't find that app/);
    type(store, 'q');
    assert.equal(store.getState().view, 'picker');
  });

  it('quitting stops the stream too', async () => {
    const { store, ops } = await setup();
    type(store, 'l');
    await store.getState().closeAllSessions();
    assert.equal(ops.opened[0]?.stopped, true);
  });
});

describe('store: restart', () => {
  it('asks, naming app, dyno and command; n does nothing; y restarts and refreshes until the state settles', async () => {
    const { store, ops, source } = await setup();
    store.getState().focusPane('dynos');
    type(store, 's');
    assert.deepEqual(store.getState().confirm, {
      kind: 'restart',
      app: 'acme-billing',
      dyno: 'web.1',
      command: 'heroku ps:restart -a acme-billing --dyno-name web.1',
    });
    type(store, 'n');
    assert.equal(store.getState().confirm, null);
    assert.equal(ops.restarts.length, 0);

    const withState = (state: string) => {
      const f = sampleFleet();
      f.dynos['acme-billing'] = [dyno({ appName: 'acme-billing', name: 'web.1', state }), ...(f.dynos['acme-billing'] ?? []).slice(1)];
      return f;
    };
    const states: string[] = [];
    let loads = 0;
    ops.onRestart = () => {
      source.next = withState('starting');
    };
    const load = source.load.bind(source);
    source.load = async () => {
      const fleet = await load();
      if (++loads === 3) source.next = withState('up');
      states.push(String(fleet.dynos['acme-billing']?.[0]?.state));
      return fleet;
    };
    type(store, 's');
    type(store, 'y');
    await waitUntil(() => store.getState().status === null && states.includes('up'), 2000, 'the restart to settle');
    assert.deepEqual(ops.restarts, [['acme-billing', 'web.1']]);
    assert.equal(states[0], 'starting', 'seen starting right after the restart');
    assert.equal(states.at(-1), 'up');
    const seen = states.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(states.length, seen, 'no refresh once it is up');
  });

  it('a protected app needs its name typed; a one-off is refused; a failure shows the command and the error', async () => {
    const { store, ops } = await setup({ isProtected: (a) => a === 'acme-billing' });
    store.getState().focusPane('dynos');
    type(store, 's');
    assert.deepEqual(store.getState().guard, { purpose: 'restart', mode: 'exec', app: 'acme-billing', dyno: 'web.1', typed: '' });
    type(store, 'acme-billing\r');
    await waitUntil(() => ops.restarts.length === 1, 1000, 'the restart');

    store.getState().moveToEdge('last');
    store.getState().focusPane('apps');
    store.getState().moveToEdge('last'); // acme-web
    store.getState().focusPane('dynos');
    ops.restartError = new OperationError('heroku ps:restart -a acme-web --dyno-name web.1', 'You do not have access to the app.');
    type(store, 'sy');
    await waitUntil(() => store.getState().notice !== null, 1000, 'the notice');
    assert.equal(store.getState().noticeTitle, 'restart failed');
    assert.equal(store.getState().notice, '$ heroku ps:restart -a acme-web --dyno-name web.1\nYou do not have access to the app.');
    store.getState().dismissNotice();

    const { store: other, ops: otherOps, source } = await setup();
    const f = sampleFleet();
    f.dynos['acme-billing'] = [dyno({ appName: 'acme-billing', name: 'run.4821', type: 'run' })];
    source.next = f;
    await other.getState().refresh();
    other.getState().focusPane('dynos');
    type(other, 's');
    assert.match(other.getState().notice ?? '', /run\.4821 is a one-off dyno/);
    assert.equal(other.getState().confirm, null);
    assert.equal(otherOps.restarts.length, 0);
  });
});

describe('store: enabling exec, copying', () => {
  it('x on an app with exec off asks y/n first, then answers ps:exec\'s own question once', async () => {
    class AskingLauncher extends FakeLauncher {
      override async prepare(request: SessionRequest): Promise<SpawnSpec> {
        const spec = await super.prepare(request);
        return request.enableExec ? { ...spec, autoAnswer: { prompt: 'screen of heroku exec', reply: 'y\r' } } : spec;
      }
    }
    const { store, services } = await setup({ launcher: new AskingLauncher() });
    store.getState().focusPane('dynos');
    type(store, 'x');
    assert.equal(store.getState().confirm?.kind, 'enable-exec');
    assert.deepEqual(store.getState().confirm, { kind: 'enable-exec', app: 'acme-billing', dyno: 'web.1', dynos: ['web.1', 'worker.1'] });
    type(store, 'y');
    await waitUntil(() => services.runner.started.length === 1, 1000, 'the session');
    const handle = services.runner.started[0]!;
    await waitUntil(() => handle.written.includes('y\r'), 2000, 'the answer');
    await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(handle.written, ['y\r'], 'answered once');
    assert.deepEqual(services.launcher.requests, [{ mode: 'exec', app: 'acme-billing', dyno: 'web.1', enableExec: true }]);
  });

  it('a source that cannot list the exec feature is asked on x, once per app; unknown means no dialog', async () => {
    const f = sampleFleet();
    f.apps = f.apps.map((a) => ({ ...a, execEnabled: null }));
    const { store, ops, source, services } = await setup();
    source.next = f;
    await store.getState().refresh();
    const asked: string[] = [];
    const answers: Record<string, boolean | null> = { 'acme-billing': false, 'acme-web': null };
    ops.execEnabled = async (app) => {
      asked.push(app);
      return answers[app] ?? null;
    };
    store.getState().focusPane('dynos');
    await store.getState().openSession('x');
    assert.equal(store.getState().confirm?.kind, 'enable-exec', 'acme-billing: off, so the question');
    assert.equal(store.getState().apps.find((a) => a.name === 'acme-billing')?.execEnabled, false, 'the comparison learns it too');
    await store.getState().answerConfirm(false);
    await store.getState().refresh();
    await store.getState().openSession('x');
    assert.deepEqual(asked, ['acme-billing'], 'asked once; kept across refreshes');
    await store.getState().answerConfirm(false);
    store.getState().focusPane('apps');
    store.getState().moveToEdge('last');
    store.getState().focusPane('dynos');
    await store.getState().openSession('x');
    assert.equal(store.getState().confirm, null, 'acme-web: unknown, so straight to the CLI (which asks itself)');
    assert.deepEqual(services.launcher.requests.at(-1), { mode: 'exec', app: 'acme-web', dyno: 'web.1' });
  });

  it('c copies the ★ command and shows it; r and x copy the others', async () => {
    const { store, clipboard } = await setup();
    store.getState().focusPane('dynos');
    type(store, 'c');
    assert.deepEqual(clipboard.copied, ['heroku run bash -a acme-billing']);
    assert.equal(store.getState().noticeTitle, 'copied to the clipboard');
    assert.match(store.getState().notice ?? '', /^heroku run bash -a acme-billing\n/);
    type(store, 'x');
    assert.equal(clipboard.copied.at(-1), 'heroku ps:exec -a acme-billing --dyno web.1');
    type(store, 'r');
    assert.equal(clipboard.copied.at(-1), 'heroku run bash -a acme-billing');
    handleKey(store, '', { ...keyPressOf('x')[1], escape: true }, 5);
    assert.equal(store.getState().notice, null);
  });
});
