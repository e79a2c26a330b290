import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LaunchError } from '../../src/session/spec.js';
import { DETACH_KEY, MAX_SESSIONS } from '../../src/store/sessions.js';
import { createAppStore, selectFrontSession, selectLiveSessionCount } from '../../src/store/store.js';
import { fakeServices, FakeSource, sampleFleet } from '../helpers/fixtures.js';

async function setup(options: { fullscreen?: boolean } = {}) {
  const services = fakeServices(new FakeSource(), () => 5_000);
  const store = createAppStore(services, options);
  await store.getState().refresh();
  return { store, services };
}

/** acme-web (Cedar, exec enabled), its web.1. */
function selectAcmeWeb(store: Awaited<ReturnType<typeof setup>>['store']): void {
  store.getState().moveToEdge('last');
}

describe('store: sessions', () => {
  it('r starts a run for the selected app and shows it in front', async () => {
    const { store, services } = await setup();
    selectAcmeWeb(store);
    await store.getState().openSession('r');
    assert.deepEqual(services.launcher.requests, [{ mode: 'run', app: 'acme-web', dyno: 'web.1' }]);
    const s = store.getState();
    assert.equal(s.view, 'session');
    assert.equal(s.sessions.length, 1);
    assert.equal(s.sessions[0]?.dyno, 'run.1234', 'a run lands on its new one-off');
    assert.equal(selectFrontSession(s)?.mode, 'run');
    assert.equal(services.runner.started[0]?.visible, true);
    assert.match(s.frame?.lines[0]?.[0]?.text ?? '', /screen of heroku run/);
    assert.deepEqual([services.runner.started[0]?.opts.cols, services.runner.started[0]?.opts.rows], [80, 21]);
  });

  it('x means exec on Cedar and run:inside on Fir; Enter opens the recommended mode', async () => {
    const { store, services } = await setup();
    selectAcmeWeb(store);
    await store.getState().openSession('x');
    store.getState().detach();
    store.getState().moveToEdge('first');
    store.getState().move(1); // acme-ml-fir
    await store.getState().openSession('x');
    store.getState().detach();
    await store.getState().openSession('enter');
    assert.deepEqual(
      services.launcher.requests.map((r) => [r.mode, r.app, r.dyno]),
      [
        ['exec', 'acme-web', 'web.1'],
        ['run-inside', 'acme-ml-fir', 'web-848cd4f64d-pvpr2'],
        ['run', 'acme-ml-fir', 'web-848cd4f64d-pvpr2'],
      ],
    );
  });

  it('refuses an unavailable mode with the reason, starting nothing', async () => {
    const { store, services } = await setup();
    store.getState().focusPane('dynos');
    store.getState().move(1); // acme-billing worker.1, crashed
    await store.getState().openSession('x');
    assert.match(store.getState().notice ?? '', /heroku ps:exec is not available here: dyno is crashed/);
    assert.equal(services.launcher.requests.length, 0);
    assert.equal(store.getState().view, 'picker');
    store.getState().dismissNotice();
    assert.equal(store.getState().notice, null);
  });

  it('a launcher or spawn failure becomes a notice, never a crash', async () => {
    const { store, services } = await setup();
    services.launcher.failWith = new LaunchError('heroku was not found on PATH');
    await store.getState().openSession('r');
    assert.equal(store.getState().notice, 'heroku was not found on PATH');
    services.launcher.failWith = null;
    services.runner.failWith = new Error('posix_spawnp failed');
    await store.getState().openSession('r');
    assert.equal(store.getState().notice, 'could not start the session: posix_spawnp failed');
    assert.equal(store.getState().sessions.length, 0);
    assert.equal(store.getState().launching, false);
  });

  it('keys go to the child; Ctrl-] detaches, delivering what came before it in the same chunk', async () => {
    const { store, services } = await setup();
    await store.getState().openSession('r');
    const child = services.runner.started[0]!;
    store.getState().sendInput('ls\r');
    store.getState().sendInput('\x03');
    store.getState().sendInput(`ab${DETACH_KEY}cd`);
    assert.deepEqual(child.written, ['ls\r', '\x03', 'ab']);
    const s = store.getState();
    assert.equal(s.view, 'picker');
    assert.equal(s.front, null);
    assert.equal(child.visible, false, 'a detached session stops drawing');
    assert.equal(selectLiveSessionCount(s), 1, 'and keeps running');
    store.getState().sendInput('zz');
    assert.deepEqual(child.written, ['ls\r', '\x03', 'ab'], 'nothing reaches it from the picker');
  });

  it('1-9 bring a session back; only the front one draws', async () => {
    const { store, services } = await setup();
    await store.getState().openSession('r');
    store.getState().detach();
    await store.getState().openSession('x');
    // acme-billing has exec off: the enabling question comes first.
    await store.getState().answerConfirm(true);
    const [first, second] = services.runner.started;
    assert.equal(first?.visible, false);
    assert.equal(second?.visible, true);
    store.getState().attach(0);
    assert.equal(store.getState().front, store.getState().sessions[0]?.id);
    assert.equal(first?.visible, true);
    assert.equal(second?.visible, false);
    first?.draw('first again');
    assert.equal(store.getState().frame?.lines[0]?.[0]?.text, 'first again');
    second?.draw('hidden output');
    assert.equal(store.getState().frame?.lines[0]?.[0]?.text, 'first again', 'a hidden session does not take the screen');
    store.getState().attach(7);
    assert.equal(store.getState().front, store.getState().sessions[0]?.id, 'an empty slot changes nothing');
  });

  it('with a SessionScreen, frames go to it from the front session only, never through the store', async () => {
    const services = fakeServices(new FakeSource(), () => 5_000);
    const shown: (string | null)[] = [];
    const store = createAppStore({ ...services, screen: { show: (frame) => shown.push(frame?.lines[0]?.[0]?.text ?? null) } });
    await store.getState().refresh();
    await store.getState().openSession('r');
    store.getState().detach();
    await store.getState().openSession('r');
    const [first, second] = services.runner.started;
    let updates = 0;
    const unsubscribe = store.subscribe(() => updates++);
    second?.draw('typed');
    // Straight to onFrame: a session in the strip that sends a frame anyway is not drawn.
    first?.opts.onFrame({ cols: 80, rows: 21, lines: [[{ text: 'hidden output', style: {} }]], cursor: { x: 0, y: 0, visible: true } });
    unsubscribe();
    assert.equal(updates, 0, 'a frame is no store update');
    assert.equal(store.getState().frame, null);
    assert.deepEqual(shown, ['screen of heroku run -a acme-billing', 'screen of heroku run -a acme-billing', 'typed']);
    store.getState().attach(0);
    assert.equal(shown.at(-1), 'screen of heroku run -a acme-billing', 'the session brought back draws at once');
  });

  it('an ended session shows its status; Enter returns to the picker and forgets it; Ctrl-] keeps it', async () => {
    const { store, services } = await setup();
    await store.getState().openSession('r');
    const child = services.runner.started[0]!;
    child.exitWith(3);
    let s = store.getState();
    assert.equal(s.sessions[0]?.state, 'exited');
    assert.equal(s.sessions[0]?.exit?.exitCode, 3);
    assert.equal(s.view, 'session', 'the banner shows in the session view');
    store.getState().sendInput('x');
    assert.deepEqual(child.written, [], 'keys do not reach an ended child');
    store.getState().sendInput(DETACH_KEY);
    assert.equal(store.getState().view, 'picker');
    assert.equal(store.getState().sessions.length, 1, 'kept in the strip');
    store.getState().attach(0);
    store.getState().sendInput('\r');
    s = store.getState();
    assert.equal(s.view, 'picker');
    assert.equal(s.sessions.length, 0);
    assert.equal(child.disposed, true);
  });

  it('mirrors the front session\'s input modes to the terminal and resets them on detach', async () => {
    const { store, services } = await setup();
    await store.getState().openSession('r');
    const child = services.runner.started[0]!;
    child.modes = { applicationCursorKeys: true, bracketedPaste: true };
    child.draw('vim');
    assert.deepEqual(services.terminal.modes.at(-1), { applicationCursorKeys: true, bracketedPaste: true });
    store.getState().detach();
    assert.deepEqual(services.terminal.modes.at(-1), { applicationCursorKeys: false, bracketedPaste: false });
  });

  it('resizes every session to the pane, except one that has the whole terminal', async () => {
    const { store, services } = await setup();
    await store.getState().openSession('r');
    store.getState().setViewport(100, 30);
    store.getState().setViewport(100, 30);
    assert.deepEqual(services.runner.started[0]?.sizes, [[100, 30]], 'the same size twice is one resize');
  });

  it('full-screen: f makes the next session take the terminal, and it comes back to the picker', async () => {
    const { store, services } = await setup();
    store.getState().toggleFullscreenNext();
    await store.getState().openSession('r');
    const id = store.getState().sessions[0]!.id;
    assert.equal(store.getState().fullscreen, id);
    assert.equal(store.getState().view, 'picker');
    store.getState().setViewport(90, 20);
    assert.deepEqual(services.runner.started[0]?.sizes, [], 'the hand-off owns its size');
    store.getState().endFullscreen();
    assert.equal(store.getState().fullscreen, null);
    assert.deepEqual(services.runner.started[0]?.sizes.at(-1), [90, 20], 'back to the pane size');
    assert.equal(store.getState().view, 'picker', 'a detached live session waits in the strip');
  });

  it('--fullscreen starts with the hand-off on; an ended full-screen session shows its banner', async () => {
    const { store, services } = await setup({ fullscreen: true });
    assert.equal(store.getState().fullscreenNext, true);
    await store.getState().openSession('r');
    services.runner.started[0]!.exitWith(0);
    store.getState().endFullscreen();
    assert.equal(store.getState().view, 'session');
    assert.equal(selectFrontSession(store.getState())?.exit?.exitCode, 0);
  });

  it('asks before quitting with live sessions; n stays, y quits; ends every child', async () => {
    const { store, services } = await setup();
    store.getState().requestQuit();
    assert.equal(store.getState().quitting, true, 'no sessions: quits at once');

    const other = await setup();
    await other.store.getState().openSession('r');
    other.store.getState().detach();
    other.store.getState().requestQuit();
    assert.equal(other.store.getState().confirmQuit, true);
    assert.equal(other.store.getState().quitting, false);
    other.store.getState().answerQuit(false);
    assert.equal(other.store.getState().confirmQuit, false);
    other.store.getState().requestQuit();
    other.store.getState().answerQuit(true);
    assert.equal(other.store.getState().quitting, true);
    await other.store.getState().closeAllSessions();
    assert.equal(other.services.runner.started[0]?.killed, true);
    assert.equal(services.runner.started.length, 0);
  });

  it('holds at most nine sessions: ended ones make room, nine live ones refuse a tenth', async () => {
    const { store, services } = await setup();
    for (let i = 0; i < MAX_SESSIONS; i++) {
      await store.getState().openSession('r');
      store.getState().detach();
    }
    services.runner.started[0]!.exitWith(0);
    await store.getState().openSession('r');
    store.getState().detach();
    assert.equal(store.getState().sessions.length, MAX_SESSIONS);
    assert.equal(services.runner.started[0]?.disposed, true, 'the ended one was dropped');
    await store.getState().openSession('r');
    assert.match(store.getState().notice ?? '', /9 sessions are live/);
    assert.equal(services.runner.started.length, MAX_SESSIONS + 1);
  });
});

describe('store: production guard', () => {
  async function guarded() {
    const services = fakeServices(new FakeSource(), () => 5_000);
    const store = createAppStore(services, { isProtected: (app) => app === 'acme-web' });
    await store.getState().refresh();
    store.getState().moveToEdge('last'); // acme-web, web.1
    return { store, services };
  }

  it('an exec into a protected app waits for its name; a wrong name does nothing; the right one opens it', async () => {
    const { store, services } = await guarded();
    await store.getState().openSession('x');
    assert.deepEqual(store.getState().guard, { purpose: 'session', mode: 'exec', app: 'acme-web', dyno: 'web.1', typed: '' });
    assert.equal(services.launcher.requests.length, 0);
    await store.getState().answerGuard('acme-we');
    await store.getState().answerGuard('confirm');
    assert.equal(services.launcher.requests.length, 0, 'not yet: the name is incomplete');
    assert.notEqual(store.getState().guard, null);
    await store.getState().answerGuard('acme-web');
    await store.getState().answerGuard('confirm');
    assert.equal(store.getState().guard, null);
    assert.deepEqual(services.launcher.requests, [{ mode: 'exec', app: 'acme-web', dyno: 'web.1' }]);
  });

  it('Esc cancels; a run never asks; an unprotected app never asks', async () => {
    const { store, services } = await guarded();
    await store.getState().openSession('x');
    await store.getState().answerGuard('cancel');
    assert.equal(store.getState().guard, null);
    await store.getState().openSession('r');
    assert.equal(store.getState().guard, null);
    assert.equal(services.launcher.requests[0]?.mode, 'run');
    store.getState().detach();
    store.getState().moveToEdge('first'); // acme-billing: not protected (exec off, so a y/n, not the guard)
    await store.getState().openSession('x');
    assert.equal(store.getState().guard, null);
    assert.equal(store.getState().confirm?.kind, 'enable-exec');
    await store.getState().answerConfirm(true);
    assert.deepEqual(
      services.launcher.requests[1],
      { mode: 'exec', app: 'acme-billing', dyno: 'web.1', enableExec: true },
      'an unprotected app opens after the y/n alone',
    );
  });

  it('an app whose pipeline stage is production is guarded with no --protect pattern; staging is not', async () => {
    const fleet = sampleFleet();
    fleet.apps = fleet.apps.map((a) => ({ ...a, pipelineStage: a.name === 'acme-web' ? 'production' : 'staging' }));
    const services = fakeServices(new FakeSource(fleet), () => 5_000);
    const store = createAppStore(services, {});
    await store.getState().refresh();
    store.getState().moveToEdge('last'); // acme-web, web.1
    await store.getState().openSession('x');
    assert.deepEqual(store.getState().guard, { purpose: 'session', mode: 'exec', app: 'acme-web', dyno: 'web.1', typed: '' });
    await store.getState().answerGuard('cancel');
    store.getState().moveToEdge('first'); // acme-billing: staging (exec off: a y/n about the restart, not the guard)
    await store.getState().openSession('x');
    assert.equal(store.getState().guard, null);
    assert.equal(store.getState().confirm?.kind, 'enable-exec');
    await store.getState().answerConfirm(true);
    assert.deepEqual(services.launcher.requests.map((r) => ({ mode: r.mode, app: r.app, dyno: r.dyno })), [{ mode: 'exec', app: 'acme-billing', dyno: 'web.1' }]);
  });
});
