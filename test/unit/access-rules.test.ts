import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { App, Dyno } from '../../src/heroku/model.js';
import type { AccessModeId, AccessTarget, Availability } from '../../src/access/model.js';
import { MODES, modeForKey, modesFor } from '../../src/access/modes.js';
import { MAX_REASON, availability, recommendedMode } from '../../src/access/rules.js';
import { app as fixtureApp, dyno as fixtureDyno } from '../helpers/fixtures.js';

// The shared fixtures, named for this file's examples.
const app = (overrides: Partial<App> = {}): App => fixtureApp({ id: 'app-id', name: 'shop-web', ...overrides });
const dyno = (overrides: Partial<Dyno> = {}): Dyno => fixtureDyno({ id: 'dyno-id', appName: 'shop-web', ...overrides });



const fir = (o: Partial<App> = {}): App => app({ generation: 'fir', stack: 'cnb', ...o });
const firDyno = (o: Partial<Dyno> = {}): Dyno => dyno({ name: 'web-848cd4f64d-pvpr2', ...o });
const shield = { name: 'vault', shield: true };
const privateSpace = { name: 'private', shield: false };

function check(mode: AccessModeId, target: AccessTarget, verdict: Availability['verdict'], reason: string): void {
  assert.deepEqual(availability(mode, target), { mode, verdict, reason });
}

test('modes: titles and keys', () => {
  assert.deepEqual(MODES.run, { id: 'run', title: 'heroku run bash', key: 'r' });
  assert.deepEqual(MODES.exec, { id: 'exec', title: 'heroku ps:exec', key: 'x' });
  assert.deepEqual(MODES['run-inside'], { id: 'run-inside', title: 'heroku run:inside', key: 'x' });
});

test('modesFor: Cedar shows run and exec; Fir adds run:inside and keeps exec', () => {
  assert.deepEqual(modesFor(app()).map((m) => m.id), ['run', 'exec']);
  assert.deepEqual(modesFor(fir()).map((m) => m.id), ['run', 'exec', 'run-inside']);
});

test('modeForKey: x means exec on Cedar and run:inside on Fir', () => {
  assert.equal(modeForKey(app(), 'r'), 'run');
  assert.equal(modeForKey(app(), 'x'), 'exec');
  assert.equal(modeForKey(fir(), 'r'), 'run');
  assert.equal(modeForKey(fir(), 'x'), 'run-inside');
  assert.equal(modeForKey(app(), 'q'), null);
});

test('run: ok on Cedar and Fir, whatever the selected dyno', () => {
  const ok = 'starts a new one-off dyno';
  check('run', { app: app(), dyno: dyno() }, 'ok', ok);
  check('run', { app: fir(), dyno: firDyno() }, 'ok', ok);
  check('run', { app: app(), dyno: null }, 'ok', ok);
  for (const state of ['crashed', 'down', 'idle', 'starting', 'complete', 'weird']) {
    check('run', { app: app(), dyno: dyno({ state }) }, 'ok', ok);
  }
  check('run', { app: app(), dyno: dyno({ type: 'run', name: 'run.4821' }) }, 'ok', ok);
  check('run', { app: app({ execEnabled: false, processTier: 'eco' }), dyno: dyno({ size: 'Eco' }) }, 'ok', ok);
});

test('run: maintenance mode says nothing', () => {
  check('run', { app: app({ maintenance: true }), dyno: dyno() }, 'ok', 'starts a new one-off dyno');
});

test('run: a private space is fine, a Shield space logs keystrokes', () => {
  check('run', { app: app({ space: privateSpace }), dyno: dyno() }, 'ok', 'starts a new one-off dyno');
  check('run', { app: app({ space: shield }), dyno: dyno() }, 'caution', 'Shield space: keystrokes are logged');
  check('run', { app: app({ space: shield }), dyno: dyno({ state: 'crashed' }) }, 'caution', 'Shield space: keystrokes are logged');
});

test('exec: ok into a live dyno with exec enabled', () => {
  check('exec', { app: app(), dyno: dyno() }, 'ok', 'live dyno web.1');
  check('exec', { app: app(), dyno: dyno({ name: 'worker.2', type: 'worker' }) }, 'ok', 'live dyno worker.2');
  check('exec', { app: app({ maintenance: true }), dyno: dyno() }, 'ok', 'live dyno web.1');
  check('exec', { app: app({ space: privateSpace }), dyno: dyno({ size: 'Private-M' }) }, 'ok', 'live dyno web.1');
});

test('exec: Fir apps use run:inside', () => {
  check('exec', { app: fir(), dyno: firDyno() }, 'unavailable', 'Fir app: use run:inside');
});

test('exec: Shield spaces restrict it', () => {
  check('exec', { app: app({ space: shield }), dyno: dyno() }, 'unavailable', 'Shield space: exec restricted');
});

test('exec: needs a dyno', () => {
  check('exec', { app: app(), dyno: null }, 'unavailable', 'no dyno selected');
});

test('exec: one-off dynos are not supported', () => {
  check('exec', { app: app(), dyno: dyno({ type: 'run', name: 'run.4821' }) }, 'unavailable', 'one-off dyno: exec not supported');
  check('exec', { app: app(), dyno: dyno({ type: 'web', name: 'run.1' }) }, 'unavailable', 'one-off dyno: exec not supported');
});

test('exec: dyno states', () => {
  const t = (state: string): AccessTarget => ({ app: app(), dyno: dyno({ state }) });
  check('exec', t('crashed'), 'unavailable', 'dyno is crashed');
  check('exec', t('down'), 'unavailable', 'dyno is down');
  check('exec', t('idle'), 'unavailable', 'dyno is idle');
  check('exec', t('complete'), 'unavailable', 'dyno is complete');
  check('exec', t('starting'), 'caution', 'dyno is starting');
  check('exec', t('created'), 'caution', 'dyno is starting');
  check('exec', t('provisioning'), 'caution', 'dyno is starting');
});

test('exec: unknown states never throw and read as unavailable', () => {
  const t = (state: string): AccessTarget => ({ app: app(), dyno: dyno({ state }) });
  check('exec', t('hibernating'), 'unavailable', 'dyno is hibernating');
  check('exec', t('UP'), 'unavailable', 'dyno is UP');
  check('exec', t(''), 'unavailable', 'dyno state unknown');
  check('exec', t('\x1b[2J\x1b]0;x\x07'), 'unavailable', 'dyno state unknown');
  const hostile = availability('exec', t('\x1b[31mmelting\u202e' + 'z'.repeat(200)));
  assert.equal(hostile.verdict, 'unavailable');
  assert.ok(hostile.reason.startsWith('dyno is meltingzzz'));
  assert.ok(hostile.reason.length <= MAX_REASON);
  assert.doesNotMatch(hostile.reason, /[\x00-\x1f\x7f-\x9f\u202a-\u202e]/);
});

test('exec on a live dyno: feature and tier cautions', () => {
  check('exec', { app: app({ execEnabled: false }), dyno: dyno() }, 'caution', 'exec not enabled: restarts all dynos');
  check('exec', { app: app({ processTier: 'eco' }), dyno: dyno({ size: 'Eco' }) }, 'caution', 'exec on Eco dynos not confirmed');
  check('exec', { app: app({ execEnabled: null }), dyno: dyno() }, 'caution', 'exec may need enabling (restarts dynos)');
  check('exec', { app: app({ processTier: 'basic' }), dyno: dyno({ size: 'Basic' }) }, 'ok', 'live dyno web.1');
});

test('exec: priority of reasons', () => {
  const everythingWrong = { execEnabled: false, space: shield, maintenance: true };
  // Generation first, then space.
  check('exec', { app: fir(everythingWrong), dyno: null }, 'unavailable', 'Fir app: use run:inside');
  check('exec', { app: app(everythingWrong), dyno: null }, 'unavailable', 'Shield space: exec restricted');
  // Then dyno presence, one-off, state.
  check('exec', { app: app({ execEnabled: false }), dyno: null }, 'unavailable', 'no dyno selected');
  check(
    'exec',
    { app: app({ execEnabled: false }), dyno: dyno({ type: 'run', name: 'run.1', state: 'crashed', size: 'Eco' }) },
    'unavailable',
    'one-off dyno: exec not supported',
  );
  check('exec', { app: app({ execEnabled: false }), dyno: dyno({ state: 'crashed', size: 'Eco' }) }, 'unavailable', 'dyno is crashed');
  check('exec', { app: app({ execEnabled: false }), dyno: dyno({ state: 'starting', size: 'Eco' }) }, 'caution', 'dyno is starting');
  // Then feature before tier, tier before the unknown feature state.
  check('exec', { app: app({ execEnabled: false }), dyno: dyno({ size: 'Eco' }) }, 'caution', 'exec not enabled: restarts all dynos');
  check('exec', { app: app({ execEnabled: null }), dyno: dyno({ size: 'eco' }) }, 'caution', 'exec on Eco dynos not confirmed');
});

test('run-inside: ok into a live Fir dyno', () => {
  check('run-inside', { app: fir(), dyno: firDyno() }, 'ok', 'live dyno web-848cd4f64d-pvpr2');
  check('run-inside', { app: fir({ execEnabled: false }), dyno: firDyno() }, 'ok', 'live dyno web-848cd4f64d-pvpr2');
  check('run-inside', { app: fir({ space: privateSpace }), dyno: firDyno() }, 'ok', 'live dyno web-848cd4f64d-pvpr2');
});

test('run-inside: Cedar apps use ps:exec', () => {
  check('run-inside', { app: app(), dyno: dyno() }, 'unavailable', 'Cedar app: use ps:exec');
  check('run-inside', { app: app({ space: shield }), dyno: null }, 'unavailable', 'Cedar app: use ps:exec');
});

test('run-inside: dyno presence and state as for exec', () => {
  const t = (state: string): AccessTarget => ({ app: fir(), dyno: firDyno({ state }) });
  check('run-inside', { app: fir(), dyno: null }, 'unavailable', 'no dyno selected');
  check('run-inside', t('crashed'), 'unavailable', 'dyno is crashed');
  check('run-inside', t('down'), 'unavailable', 'dyno is down');
  check('run-inside', t('idle'), 'unavailable', 'dyno is idle');
  check('run-inside', t('starting'), 'caution', 'dyno is starting');
  check('run-inside', t('provisioning'), 'caution', 'dyno is starting');
  check('run-inside', t('teleporting'), 'unavailable', 'dyno is teleporting');
});

test('run-inside: Shield needs an ssh key, after the dyno checks', () => {
  check('run-inside', { app: fir({ space: shield }), dyno: firDyno() }, 'caution', 'Shield: needs ssh key (heroku keys:add)');
  check('run-inside', { app: fir({ space: shield }), dyno: null }, 'unavailable', 'no dyno selected');
  check('run-inside', { app: fir({ space: shield }), dyno: firDyno({ state: 'crashed' }) }, 'unavailable', 'dyno is crashed');
  check('run-inside', { app: fir({ space: shield }), dyno: firDyno({ state: 'starting' }) }, 'caution', 'dyno is starting');
});

test('reasons are short and dyno names in them are sanitized', () => {
  const long = 'web-' + 'a'.repeat(80);
  const exec = availability('exec', { app: app(), dyno: dyno({ name: long }) });
  const inside = availability('run-inside', { app: fir(), dyno: firDyno({ name: `\x1b]0;pwn\x07${long}` }) });
  for (const a of [exec, inside]) {
    assert.ok(a.reason.length <= MAX_REASON, a.reason);
    assert.ok(a.reason.startsWith('live dyno web-aaa'), a.reason);
    assert.ok(a.reason.endsWith('…'));
  }
  const targets: AccessTarget[] = [
    { app: app({ execEnabled: false }), dyno: dyno() },
    { app: app({ execEnabled: null }), dyno: dyno() },
    { app: app({ space: shield }), dyno: dyno() },
    { app: fir({ space: shield }), dyno: firDyno() },
    { app: app(), dyno: dyno({ type: 'run', name: 'run.1' }) },
  ];
  for (const target of targets) {
    for (const mode of ['run', 'exec', 'run-inside'] as const) {
      const reason = availability(mode, target).reason;
      assert.ok(reason.length <= MAX_REASON, `${mode}: ${reason}`);
    }
  }
});

test('recommendedMode: run, never an unavailable mode', () => {
  const targets: AccessTarget[] = [
    { app: app(), dyno: dyno() },
    { app: app(), dyno: null },
    { app: app(), dyno: dyno({ state: 'crashed' }) },
    { app: app({ execEnabled: false }), dyno: dyno() },
    { app: app({ space: shield }), dyno: dyno() },
    { app: fir(), dyno: firDyno() },
    { app: fir({ space: shield }), dyno: firDyno({ state: 'weird' }) },
    { app: app({ maintenance: true, processTier: 'eco' }), dyno: dyno({ size: 'Eco' }) },
  ];
  for (const target of targets) {
    const mode = recommendedMode(target);
    assert.equal(mode, 'run');
    assert.notEqual(availability(mode, target).verdict, 'unavailable');
    assert.ok(modesFor(target.app).some((m) => m.id === mode));
  }
});
