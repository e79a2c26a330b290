import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protectMatcher } from '../../src/access/protect.js';
import { fleetReport, reportJson, reportTable } from '../../src/commands/fleet-report.js';
import { checkTarget } from '../../src/commands/session.js';
import { CommandError } from '../../src/commands/open-fleet.js';
import { app, dyno, fleet, sampleFleet } from '../helpers/fixtures.js';

const options = { source: 'api' as const, isProtected: protectMatcher(['acme-w*']), argv: { ssh: true } };

describe('ls: the report', () => {
  it('every app with its dynos, each mode with its verdict and exact command; protected from a pattern or a production stage', () => {
    const f = sampleFleet();
    f.apps = f.apps.map((a) => (a.name === 'acme-billing' ? { ...a, pipelineStage: 'production' } : a));
    f.appErrors['acme-ml-fir'] = 'GET /apps/acme-ml-fir/dynos: boom';
    const report = fleetReport(f, options);
    assert.equal(report.version, 1);
    assert.deepEqual(report.apps.map((a) => [a.name, a.protected, a.pipelineStage, a.error]), [
      ['acme-billing', true, 'production', null],
      ['acme-ml-fir', false, null, 'GET /apps/acme-ml-fir/dynos: boom'],
      ['acme-web', true, null, null],
    ]);
    const worker = report.apps[0]?.dynos.find((d) => d.name === 'worker.1');
    assert.deepEqual(worker?.modes, [
      { mode: 'run', title: 'heroku run bash', command: 'heroku run bash -a acme-billing', available: true, verdict: 'ok', reason: 'starts a new one-off dyno' },
      { mode: 'exec', title: 'heroku ps:exec', command: 'heroku ps:exec -a acme-billing --dyno worker.1 --ssh', available: false, verdict: 'unavailable', reason: 'dyno is crashed' },
    ]);
    assert.deepEqual(report.apps[1]?.dynos[0]?.modes.map((m) => m.mode), ['run', 'exec', 'run-inside']);
  });

  it('hostile names: JSON keeps them exactly but escapes what a terminal would act on; the table strips them', () => {
    const evil = 'web.1\u001b]0;pwned\u0007\u009b2J\u202e';
    const f = fleet([app({ name: 'acme-web' })], [dyno({ appName: 'acme-web', name: evil, state: 'up\u001b[31m' })]);
    const json = reportJson(fleetReport(f, options));
    assert.doesNotMatch(json, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'nothing raw a terminal would act on');
    const parsed = JSON.parse(json) as { apps: { dynos: { name: string; state: string }[] }[] };
    assert.equal(parsed.apps[0]?.dynos[0]?.name, evil, 'the data itself is intact');
    const table = reportTable(fleetReport(f, options), { color: false, width: null });
    assert.doesNotMatch(table, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    assert.match(table, /web\.1\]0;pwned2J|web\.12J|web\.1/);
  });

  it('the table: no colour when asked, lines cut to the width, an app with no dynos still offers run', () => {
    const f = fleet([app({ name: 'acme-empty' }), app({ name: 'acme-web' })], [dyno({ appName: 'acme-web', name: 'web.1', command: 'x'.repeat(300) })]);
    const table = reportTable(fleetReport(f, options), { color: false, width: 40 });
    assert.doesNotMatch(table, /\x1b/);
    for (const line of table.split('\n')) assert.ok([...line].length <= 40, line);
    assert.match(table, /^ {2}no dynos · run ✔$/m);
    const coloured = reportTable(fleetReport(f, options), { color: true, width: null });
    assert.match(coloured, /\x1b\[32m✔\x1b\[0m/);
  });
});

describe('--mode: the target checked against the rules', () => {
  const f = sampleFleet();
  const refused = (fn: () => unknown): CommandError => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof CommandError);
      return err;
    }
    return assert.fail('expected a refusal');
  };

  it('exec on Cedar, run:inside on Fir, run anywhere', () => {
    assert.equal(checkTarget({ app: 'acme-web', dyno: 'web.1', mode: 'exec' }, f, 'x').mode, 'exec');
    assert.equal(checkTarget({ app: 'acme-ml-fir', dyno: 'web-848cd4f64d-pvpr2', mode: 'exec' }, f, 'x').mode, 'run-inside');
    assert.equal(checkTarget({ app: 'acme-billing', dyno: 'worker.1', mode: 'run' }, f, 'x').mode, 'run', 'a run does not care about the crashed dyno');
  });

  it('2 for what is not there, 1 for what the rules refuse', () => {
    assert.equal(refused(() => checkTarget({ app: 'acme-nope', dyno: null, mode: 'run' }, f, 'Platform API')).status, 2);
    assert.equal(refused(() => checkTarget({ app: 'acme-web', dyno: 'web.9', mode: 'exec' }, f, 'x')).message, 'no dyno web.9 on acme-web (it has web.1, web.2, worker.1)');
    const crashed = refused(() => checkTarget({ app: 'acme-billing', dyno: 'worker.1', mode: 'exec' }, f, 'x'));
    assert.deepEqual([crashed.status, crashed.message], [1, 'heroku ps:exec is not available for acme-billing worker.1: dyno is crashed']);
    const notEnabled = refused(() => checkTarget({ app: 'acme-billing', dyno: 'web.1', mode: 'exec' }, f, 'x'));
    assert.equal(notEnabled.status, 1);
    assert.match(notEnabled.message, /not enabled on acme-billing: its first use restarts every dyno/);
    const shield = { ...f, apps: f.apps.map((a) => (a.name === 'acme-web' ? { ...a, space: { name: 's', shield: true } } : a)) };
    assert.match(refused(() => checkTarget({ app: 'acme-web', dyno: 'web.1', mode: 'exec' }, shield, 'x')).message, /Shield space: exec restricted$/);
    const failed = { ...f, appErrors: { 'acme-web': 'GET /apps/acme-web/dynos: 503' } };
    assert.equal(refused(() => checkTarget({ app: 'acme-web', dyno: 'web.1', mode: 'exec' }, failed, 'x')).status, 1);
  });

  it('exec not known to be enabled (the CLI source) goes ahead: the CLI asks on the terminal itself', () => {
    const unknown = { ...f, apps: f.apps.map((a) => ({ ...a, execEnabled: null })) };
    assert.equal(checkTarget({ app: 'acme-billing', dyno: 'web.1', mode: 'exec' }, unknown, 'x').mode, 'exec');
  });
});
