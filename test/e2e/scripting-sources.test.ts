// Scripting with real sources: `ls` and `--mode` listing through the fake Platform API and
// the fake `heroku` CLI, sessions handed to the CLI with `-x` where it exists, the status
// passed back, the pipeline's production stage guarded, and failures as one line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { FAKE_TOKEN, pipelineRef, startFakeApi } from '../fakes/fake-api.js';
import { fakeHerokuBin, readFakeHerokuLog } from '../fakes/fake-heroku.js';
import { assertTerminalRestored } from '../helpers/dynotty.js';
import { cliPath, keys } from '../helpers/pty-screen.js';
import {
  cleanupSources,
  cliFixture,
  freshDir,
  herokuStateOf,
  launch,
  PATH_FAKE_HEROKU_NO_SSH,
  PATH_WITHOUT_HEROKU,
  sharedFleet,
} from '../helpers/sources.js';

after(cleanupSources);

const SESSION_COMMANDS = new Set(['run', 'ps:exec', 'run:inside']);

function sessionArgv(logFile: string): string[][] {
  return readFakeHerokuLog(logFile)
    .filter((e) => SESSION_COMMANDS.has(e.argv[0] ?? ''))
    .map((e) => e.argv);
}

/** dynotty with no terminal, in a controlled environment (HOME, PATH, no config file). */
function runPlain(args: string[], opts: { path: string; env?: Record<string, string> }) {
  const home = freshDir('home');
  return execa('node', [cliPath, ...args], {
    reject: false,
    stdin: 'pipe',
    timeout: 30_000,
    cwd: freshDir('cwd'),
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), PATH: opts.path, ...opts.env },
  });
}

interface Report {
  source: string;
  account: string;
  apps: { name: string; pipelineStage: string | null; protected: boolean; execEnabled: boolean | null; dynos: { name: string; state: string; modes: { mode: string; verdict: string; command: string }[] }[] }[];
}

describe('ls with the fake Platform API and the fake heroku CLI', () => {
  it('--source api: the fleet with its pipeline stages; a production stage is protected', async () => {
    const state = sharedFleet();
    state.pipelineCouplings = {
      'acme-storefront': { stage: 'production', pipeline: pipelineRef('acme-shop') },
      'acme-billing': { stage: 'staging', pipeline: pipelineRef('acme-shop') },
    };
    const api = await startFakeApi({ state });
    try {
      const r = await runPlain(['ls', '--source', 'api', '--json'], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
      assert.equal(r.exitCode, 0, r.stderr);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.source, 'api');
      const app = (name: string) => report.apps.find((a) => a.name === name);
      assert.deepEqual([app('acme-storefront')?.pipelineStage, app('acme-storefront')?.protected], ['production', true]);
      assert.deepEqual([app('acme-billing')?.pipelineStage, app('acme-billing')?.protected], ['staging', false]);
      assert.deepEqual([app('sideproject-eco')?.pipelineStage, app('sideproject-eco')?.protected], [null, false]);
      assert.equal(app('acme-billing')?.execEnabled, false);
      const worker = app('acme-billing')?.dynos.find((d) => d.name === 'worker.1');
      assert.deepEqual(worker?.modes.map((m) => [m.mode, m.verdict]), [['run', 'ok'], ['exec', 'unavailable']]);

      const table = await runPlain(['ls', '--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
      assert.match(table.stdout, /^acme-storefront {2}\(cedar, team acme, us, exec enabled, pipeline production, protected\)$/m);
      // One coupling list per listing, no per-app coupling requests.
      assert.equal(api.requests.filter((r) => r.path === '/pipeline-couplings').length, 2);
      assert.ok(!api.requests.some((r) => /^\/apps\/[^/]+\/pipeline-couplings/.test(r.path)));
    } finally {
      await api.close();
    }
  });

  it('--source api: a failed coupling list leaves the stages unknown and still lists', async () => {
    const state = sharedFleet();
    state.pipelineCouplings = { 'acme-storefront': { stage: 'production', pipeline: pipelineRef('acme-shop') } };
    const api = await startFakeApi({ state, failNext: [{ path: /^\/pipeline-couplings/, status: 503 }] });
    try {
      const r = await runPlain(['ls', '--source', 'api', '--json'], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stderr, '');
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.apps.length, 5);
      // Unknown is reported as null; the guard then has only --protect and the config file.
      assert.deepEqual(
        report.apps.filter((a) => a.pipelineStage !== null || a.protected).map((a) => a.name),
        [],
      );
      assert.deepEqual(api.requests.find((r) => r.path === '/pipeline-couplings')?.status, 503);
    } finally {
      await api.close();
    }
  });

  it('--source cli lists the same dynos; it cannot know pipeline stages', async () => {
    const fleet = sharedFleet();
    const cli = cliFixture(herokuStateOf(fleet));
    const r = await runPlain(['ls', '--source', 'cli', '--json', '--heroku-bin', fakeHerokuBin], { path: PATH_WITHOUT_HEROKU, env: cli.env });
    assert.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.source, 'cli');
    assert.deepEqual(
      report.apps.map((a) => [a.name, a.dynos.length]),
      fleet.apps.map((a) => [a.name, fleet.dynos[a.name]?.length ?? 0]).sort(),
    );
    assert.ok(report.apps.every((a) => a.pipelineStage === null && a.execEnabled === null));
  });

  it('a failing source is exit 1 and one line naming what failed: API 503, CLI error, no account at all', async () => {
    const api = await startFakeApi({ state: sharedFleet(), failNext: [{ path: /^\/users\/~\/apps/, status: 503 }] });
    try {
      const r = await runPlain(['ls', '--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
      assert.equal(r.exitCode, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^dynotty: could not list the fleet \(Platform API\): GET \/users\/~\/apps: Heroku answered HTTP 503/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    } finally {
      await api.close();
    }
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const broken = await runPlain(['ls', '--source', 'cli'], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_FAIL: 'apps:1:the CLI fell over' } });
    assert.equal(broken.exitCode, 1);
    assert.match(broken.stderr, /^dynotty: could not list the fleet \(heroku CLI\): heroku apps --json: .*the CLI fell over/);

    const nothing = await runPlain(['ls'], { path: PATH_WITHOUT_HEROKU });
    assert.equal(nothing.exitCode, 1);
    assert.match(nothing.stderr, /^dynotty: No Heroku account found, and the heroku CLI is not installed\. /);
  });
});

describe('the config file sets the source and the CLI and API timeouts', () => {
  it('cliTimeoutSeconds and apiTimeoutSeconds replace the 20 s and 15 s defaults; source comes from the file', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const dir = freshDir('config');
    const cliConfig = path.join(dir, 'cli.json');
    writeFileSync(cliConfig, JSON.stringify({ source: 'cli', cliTimeoutSeconds: 1 }));
    let started = Date.now();
    const hung = await runPlain(['ls', '--config', cliConfig], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_HANG: 'apps' } });
    assert.equal(hung.exitCode, 1);
    assert.match(hung.stderr, /^dynotty: could not list the fleet \(heroku CLI\): heroku apps --json: no answer within 1 s/);
    assert.ok(Date.now() - started < 10_000, 'the 1 s timeout, not 20 s');

    const api = await startFakeApi({ state: sharedFleet(), hang: /^\/users\/~\/apps/ });
    try {
      const apiConfig = path.join(dir, 'api.json');
      writeFileSync(apiConfig, JSON.stringify({ source: 'api', apiTimeoutSeconds: 1 }));
      started = Date.now();
      const slow = await runPlain(['ls', '--config', apiConfig], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN } });
      assert.equal(slow.exitCode, 1);
      assert.match(slow.stderr, /no answer from the Heroku API within 1 s/);
      assert.ok(Date.now() - started < 10_000, 'the 1 s timeout, not 15 s');
    } finally {
      await api.close();
    }
  });
});

describe('--mode through the heroku CLI (fake)', () => {
  it('run gets -x and its remote status becomes dynotty\'s; exec passes no status back; Fir gets run:inside -x', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const opts = { path: PATH_FAKE_HEROKU_NO_SSH, env: cli.env, cols: 100, rows: 30 };

    const run = launch(['--source', 'cli', '-a', 'acme-storefront', '--mode', 'run'], opts);
    await run.waitFor(/^~ \$/m, 15_000);
    await run.send('echo "D=$DYNO"\r', /D=run\.\d{4}/);
    run.proc.write('exit 5\r');
    await run.waitExit(15_000);
    assertTerminalRestored(run, 'EXIT=5', { altScreenEntries: 0 });

    const exec = launch(['--source', 'cli', '-a', 'acme-storefront', '--dyno', 'web.2', '--mode', 'exec'], opts);
    await exec.waitFor(/^~ \$/m, 15_000);
    await exec.send('echo "D=$DYNO"\r', /D=web\.2/);
    exec.proc.write('exit 4\r');
    await exec.waitExit(15_000);
    assertTerminalRestored(exec, 'EXIT=0', { altScreenEntries: 0 });

    const fir = launch(['--source', 'cli', '-a', 'acme-ml-fir', '--dyno', 'web-848cd4f64d-pvpr2', '--mode', 'exec'], opts);
    await fir.waitFor(/^~ \$/m, 15_000);
    fir.proc.write('exit 6\r');
    await fir.waitExit(15_000);
    assertTerminalRestored(fir, 'EXIT=6', { altScreenEntries: 0 });

    assert.deepEqual(sessionArgv(cli.logFile), [
      ['run', 'bash', '-a', 'acme-storefront', '-x'],
      ['ps:exec', '-a', 'acme-storefront', '--dyno', 'web.2'],
      ['run:inside', 'web-848cd4f64d-pvpr2', 'bash', '-a', 'acme-ml-fir', '-x'],
    ]);
  });

  it('a refused mode starts no heroku session: crashed dyno (1), unknown dyno (2)', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const opts = { path: PATH_FAKE_HEROKU_NO_SSH, env: cli.env, cols: 160, rows: 30 };
    const crashed = launch(['--source', 'cli', '-a', 'acme-billing', '--dyno', 'worker.1', '--mode', 'exec'], opts);
    await crashed.waitExit(15_000);
    assert.match(crashed.text(), /^dynotty: heroku ps:exec is not available for acme-billing worker\.1: dyno is crashed$/m);
    assert.match(crashed.text(), /^EXIT=1$/m);
    const unknown = launch(['--source', 'cli', '-a', 'acme-billing', '--dyno', 'web.7', '--mode', 'exec'], opts);
    await unknown.waitExit(15_000);
    assert.match(unknown.text(), /^dynotty: no dyno web\.7 on acme-billing \(it has web\.1, worker\.1\)$/m);
    assert.match(unknown.text(), /^EXIT=2$/m);
    assert.deepEqual(sessionArgv(cli.logFile), []);
  });
});

describe('the pipeline production stage guards exec (Platform API)', () => {
  it('--mode exec asks for the name; the picker shows the stage and asks too; a run never asks', async () => {
    const state = sharedFleet();
    state.pipelineCouplings = { 'acme-storefront': { stage: 'production', pipeline: pipelineRef('acme-shop') } };
    const api = await startFakeApi({ state });
    const cli = cliFixture(herokuStateOf(state));
    const env = { ...cli.env, HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN };
    try {
      const exec = launch(['--source', 'api', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { path: PATH_FAKE_HEROKU_NO_SSH, env, cols: 120 });
      await exec.waitFor(/acme-storefront is protected \(its pipeline stage is production\)[\s\S]*Type the app's name to go on: $/m, 15_000);
      assert.deepEqual(sessionArgv(cli.logFile), [], 'nothing started before the name');
      exec.proc.write('acme-storefront\r');
      await exec.waitFor(/^~ \$/m, 15_000);
      exec.proc.write('exit\r');
      await exec.waitExit(15_000);
      assertTerminalRestored(exec, 'EXIT=0', { altScreenEntries: 0 });
      assert.deepEqual(sessionArgv(cli.logFile), [['ps:exec', '-a', 'acme-storefront', '--dyno', 'web.1']]);

      const picker = launch(['--source', 'api', '-a', 'acme-storefront'], { path: PATH_FAKE_HEROKU_NO_SSH, env, cols: 140, rows: 40 });
      // The whole frame, down to the comparison's title: under load a read can catch half of one.
      const text = await picker.waitFor(/acme-storefront +prod [\s\S]*compare ways in: /, 15_000);
      assert.match(text, /compare ways in: acme-storefront/);
      await picker.send(keys.right, /compare ways in: acme-storefront · run\.4821/);
      await picker.send('j', /compare ways in: acme-storefront · web\.1/);
      await picker.send('x', /acme-storefront is protected/);
      await picker.send(keys.esc, (t) => !t.includes('is protected'));
      picker.proc.write('q');
      await picker.waitExit(10_000);
      assertTerminalRestored(picker, 'EXIT=0');
      assert.equal(sessionArgv(cli.logFile).length, 1, 'the picker started nothing');
    } finally {
      await api.close();
    }
  });
});
