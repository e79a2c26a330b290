import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import type { App, Dyno } from '../../src/heroku/model.js';
import type { AccessTarget } from '../../src/access/model.js';
import { CELL_WIDTH, compare, defaultRunSize } from '../../src/access/comparison.js';
import type { Comparison } from '../../src/access/comparison.js';
import { availability } from '../../src/access/rules.js';
import { app as fixtureApp, dyno as fixtureDyno } from '../helpers/fixtures.js';

// The shared fixtures, named for this file's examples.
const app = (overrides: Partial<App> = {}): App => fixtureApp({ id: 'app-id', name: 'shop-web', ...overrides });
const dyno = (overrides: Partial<Dyno> = {}): Dyno => fixtureDyno({ id: 'dyno-id', appName: 'shop-web', ...overrides });



const fir = (o: Partial<App> = {}): App => app({ generation: 'fir', stack: 'cnb', processTier: 'production', ...o });
const firDyno = (o: Partial<Dyno> = {}): Dyno => dyno({ name: 'web-848cd4f64d-pvpr2', ...o });

/** The row's cells by mode id. */
function row(c: Comparison, label: string): Record<string, string> {
  const r = c.rows.find((x) => x.label === label);
  assert.ok(r, `row ${label}`);
  return Object.fromEntries(c.columns.map((col, i) => [col.mode.id, r.values[i] ?? '<missing>']));
}

test('Cedar: two columns, run and exec, with their keys, argv and command', () => {
  const c = compare({ app: app(), dyno: dyno() });
  assert.deepEqual(c.columns.map((col) => col.mode.id), ['run', 'exec']);
  assert.deepEqual(c.columns.map((col) => col.mode.key), ['r', 'x']);
  const [run, exec] = c.columns;
  assert.deepEqual(run?.argv, ['run', 'bash', '-a', 'shop-web']);
  assert.equal(run?.command, 'heroku run bash -a shop-web');
  assert.deepEqual(exec?.argv, ['ps:exec', '-a', 'shop-web', '--dyno', 'web.1']);
  assert.equal(exec?.command, 'heroku ps:exec -a shop-web --dyno web.1');
  assert.equal(c.recommended, 'run');
});

test('Fir: three columns, exec shown but unavailable, run:inside live', () => {
  const target = { app: fir({ name: 'fir-app' }), dyno: firDyno() };
  const c = compare(target);
  assert.deepEqual(c.columns.map((col) => col.mode.id), ['run', 'exec', 'run-inside']);
  assert.deepEqual(c.columns.map((col) => col.mode.key), ['r', 'x', 'x']);
  assert.equal(c.columns[1]?.availability.verdict, 'unavailable');
  assert.equal(c.columns[1]?.availability.reason, 'Fir app: use run:inside');
  assert.deepEqual(c.columns[2]?.argv, ['run:inside', 'web-848cd4f64d-pvpr2', 'bash', '-a', 'fir-app']);
  assert.equal(c.columns[2]?.command, 'heroku run:inside web-848cd4f64d-pvpr2 bash -a fir-app');
  assert.equal(c.columns[2]?.availability.verdict, 'ok');
  for (const r of c.rows) assert.equal(r.values.length, 3, r.label);
});

test('each column carries the rules verdict for this target', () => {
  const targets: AccessTarget[] = [
    { app: app({ execEnabled: false }), dyno: dyno({ state: 'crashed' }) },
    { app: app({ space: { name: 'vault', shield: true } }), dyno: dyno() },
    { app: fir(), dyno: firDyno({ state: 'starting' }) },
  ];
  for (const target of targets) {
    for (const col of compare(target).columns) {
      assert.deepEqual(col.availability, availability(col.mode.id, target));
    }
  }
});

test('options reach the argv: run size and exec over OpenSSH', () => {
  const c = compare({ app: app(), dyno: dyno() }, { runSize: 'Performance-M', ssh: true });
  assert.deepEqual(c.columns[0]?.argv, ['run', 'bash', '-a', 'shop-web', '--size', 'Performance-M']);
  assert.equal(c.columns[0]?.command, 'heroku run bash -a shop-web --size Performance-M');
  assert.deepEqual(c.columns[1]?.argv, ['ps:exec', '-a', 'shop-web', '--dyno', 'web.1', '--ssh']);
  const inside = compare({ app: fir(), dyno: firDyno() }, { runSize: 'X', ssh: true }).columns[2];
  assert.deepEqual(inside?.argv, ['run:inside', 'web-848cd4f64d-pvpr2', 'bash', '-a', 'shop-web']);
});

test('no dyno: run still has its command; the live-dyno modes have none', () => {
  const c = compare({ app: fir(), dyno: null });
  assert.deepEqual(c.columns[0]?.argv, ['run', 'bash', '-a', 'shop-web']);
  assert.equal(c.columns[1]?.argv, null);
  assert.equal(c.columns[1]?.command, null);
  assert.equal(c.columns[2]?.argv, null);
  assert.equal(c.columns[2]?.command, null);
  assert.equal(row(c, 'where').exec, 'a live dyno');
  assert.equal(c.recommended, 'run');
});

test('rows: labels in order and the fixed wording', () => {
  const c = compare({ app: fir(), dyno: firDyno() });
  assert.deepEqual(c.rows.map((r) => r.label), [
    'where', 'persists', 'risk', 'requires', 'cost', 'config vars', 'terminal', 'uses',
  ]);
  assert.deepEqual(row(c, 'where'), {
    run: 'new one-off dyno', exec: 'live dyno web-848cd4f…', 'run-inside': 'live dyno web-848cd4f…',
  });
  assert.deepEqual(row(c, 'persists'), {
    run: 'nothing: gone on exit', exec: 'dyno fs until restart', 'run-inside': 'dyno fs until restart',
  });
  assert.deepEqual(row(c, 'requires'), { run: 'any app', exec: 'Cedar, not Shield', 'run-inside': 'Fir app' });
  assert.equal(row(c, 'cost').exec, 'no extra: shares dyno');
  assert.equal(row(c, 'cost')['run-inside'], 'no extra: shares dyno');
  assert.deepEqual(row(c, 'config vars'), { run: 'set', exec: 'not set (ssh shell)', 'run-inside': 'set (via launcher)' });
  assert.deepEqual(row(c, 'uses'), { run: 'migrations, consoles', exec: 'debug live process', 'run-inside': 'debug live process' });
  assert.equal(row(compare({ app: app(), dyno: dyno() }), 'where').exec, 'live dyno web.1');
});

test('risk: run is low; a live dyno is high, and worst when exec is not enabled', () => {
  const risk = (a: App): Record<string, string> => row(compare({ app: a, dyno: dyno() }), 'risk');
  assert.equal(risk(app()).run, 'low: isolated copy');
  assert.equal(risk(app()).exec, 'high: live production');
  assert.equal(risk(app({ space: { name: 'p', shield: false }, processTier: 'private' })).exec, 'high: live production');
  assert.equal(risk(app({ processTier: 'eco' })).exec, 'high: live dyno');
  assert.equal(risk(app({ processTier: 'basic' })).exec, 'high: live dyno');
  assert.equal(risk(app({ processTier: null })).exec, 'high: live dyno');
  assert.equal(risk(app({ execEnabled: false })).exec, 'high: restarts dynos');
  assert.equal(risk(app({ execEnabled: null })).exec, 'high: live production');
  assert.equal(risk(fir({ execEnabled: false }))['run-inside'], 'high: live production');
});

test('cost: run is billed at the size it would use', () => {
  const cost = (a: App, runSize?: string): string | undefined =>
    row(compare({ app: a, dyno: dyno() }, runSize === undefined ? {} : { runSize }), 'cost').run;
  assert.equal(cost(app()), 'Standard-1X per second');
  assert.equal(cost(app({ processTier: 'basic' })), 'Basic per second');
  assert.equal(cost(app({ processTier: 'eco' })), 'uses Eco dyno hours');
  assert.equal(cost(app({ space: { name: 'vault', shield: true } })), 'Shield-M per second');
  assert.equal(cost(app({ space: { name: 'p', shield: false } })), 'Private-M per second');
  assert.equal(cost(app({ processTier: null })), 'default size, per sec');
  assert.equal(cost(fir()), 'default size, per sec');
  assert.equal(cost(app({ processTier: 'eco' }), 'Standard-2X'), 'Standard-2X per second');
  assert.equal(cost(app(), 'eco'), 'uses Eco dyno hours');
  assert.equal(cost(app(), 'Performance-L'), 'Performance-L per sec…');
  assert.equal(cost(app(), '\x1b[2JStd\u202e'), 'Std per second');
});

test('defaultRunSize: from the tier, the space, or unknown', () => {
  assert.equal(defaultRunSize(app({ processTier: 'eco' })), 'Eco');
  assert.equal(defaultRunSize(app({ processTier: 'Basic' })), 'Basic');
  assert.equal(defaultRunSize(app({ processTier: 'production' })), 'Standard-1X');
  assert.equal(defaultRunSize(app({ processTier: 'shield' })), 'Shield-M');
  assert.equal(defaultRunSize(app({ processTier: 'production', space: { name: 's', shield: true } })), 'Shield-M');
  assert.equal(defaultRunSize(app({ processTier: 'free' })), null);
  assert.equal(defaultRunSize(fir({ processTier: 'eco' })), null);
});

test('terminal: exec follows resizes only over OpenSSH', () => {
  assert.deepEqual(row(compare({ app: app(), dyno: dyno() }), 'terminal'), {
    run: 'size sent once', exec: '80x24, no resize',
  });
  assert.equal(row(compare({ app: app(), dyno: dyno() }, { ssh: true }), 'terminal').exec, 'real size, resizes');
});

test('hostile names: cells are sanitized and short, argv stays exact, command is safe', () => {
  const evilDyno = '\x1b]0;pwned\x07\x1b[2Jweb.1\u202e; rm -rf ~';
  const evilApp = 'shop\x1b[31m-web';
  const c = compare({ app: app({ name: evilApp }), dyno: dyno({ name: evilDyno }) });
  for (const r of c.rows) {
    for (const v of r.values) {
      assert.doesNotMatch(v, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, `${r.label}: ${v}`);
      assert.ok(stringWidth(v) <= CELL_WIDTH, `${r.label}: ${v}`);
    }
  }
  assert.equal(row(c, 'where').exec, 'live dyno web.1; rm -…');
  assert.deepEqual(c.columns[1]?.argv, ['ps:exec', '-a', evilApp, '--dyno', evilDyno]);
  const command = c.columns[1]?.command ?? '';
  assert.doesNotMatch(command, /[\x00-\x1f\x7f-\x9f\u202a-\u202e]/);
  assert.ok(command.startsWith("heroku ps:exec -a $'shop\\033[31m-web' --dyno $'"), command);
  const reason = c.columns[1]?.availability.reason ?? '';
  assert.doesNotMatch(reason, /[\x00-\x1f\x7f-\x9f\u202a-\u202e]/);
});

test('every cell fits a narrow column across many targets', () => {
  const targets: AccessTarget[] = [
    { app: app(), dyno: dyno() },
    { app: app({ processTier: 'eco', execEnabled: false }), dyno: dyno({ size: 'Eco', state: 'crashed' }) },
    { app: app({ space: { name: 'vault', shield: true } }), dyno: null },
    { app: fir({ space: { name: 'vault', shield: true } }), dyno: firDyno() },
    { app: app(), dyno: dyno({ name: '日本語のとても長いダイノ名前.1' }) },
  ];
  for (const target of targets) {
    for (const opts of [{}, { ssh: true, runSize: 'Performance-L-RAM' }]) {
      for (const r of compare(target, opts).rows) {
        for (const v of r.values) assert.ok(stringWidth(v) <= CELL_WIDTH, `${r.label}: ${v}`);
      }
    }
  }
});
