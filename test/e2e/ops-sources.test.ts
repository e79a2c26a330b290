// Logs, restart and enabling exec with real sources: the fake `heroku` CLI (--source cli)
// and the fake Platform API (--source api) with the fake CLI for sessions. What dynotty
// runs is read back from the CLI's argv log and the API's request log.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startFakeApi } from '../fakes/fake-api.js';
import { fakeHerokuBin, readFakeHerokuLog, readFakeHerokuState } from '../fakes/fake-heroku.js';
import { assertTerminalRestored } from '../helpers/dynotty.js';
import { isAlive, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';
import {
  cleanupSources,
  cliFixture,
  escapeRegExp as esc,
  FLEET_EMAIL,
  herokuStateOf,
  launch,
  PATH_FAKE_HEROKU_NO_SSH,
  PATH_WITHOUT_HEROKU,
  sharedFleet,
} from '../helpers/sources.js';
import { FAKE_TOKEN } from '../fakes/fake-api.js';

after(cleanupSources);

async function selectTarget(screen: PtyScreen, app: string, dyno: string): Promise<void> {
  await screen.send('/', /Enter keep/);
  await screen.send(`${app} ${dyno}`, new RegExp(`compare ways in: ${esc(app)} · ${esc(dyno)}`));
  await screen.send(keys.enter, /filter: /);
}

async function quitCleanly(screen: PtyScreen): Promise<void> {
  screen.proc.write('q');
  const { exitCode } = await screen.waitExit();
  assert.equal(exitCode, 0);
  assertTerminalRestored(screen, 'EXIT=0');
}

const flat = (text: string): string => text.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');

const PLANTED = 'app[web.1]: \x1b[31mPLANTED-RED\x1b[0m \x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[10;10Hend-of-planted';

describe('logs, restart and enabling exec through the heroku CLI and the Platform API', () => {
  it('--source cli: l runs heroku logs --tail for the dyno, sanitised but coloured; Esc ends it; s runs heroku ps:restart', async () => {
    const state = herokuStateOf(sharedFleet());
    state.logLines = { 'acme-storefront': [PLANTED] };
    const cli = cliFixture(state);
    const screen = launch(['--source', 'cli', '--heroku-bin', fakeHerokuBin], {
      path: PATH_WITHOUT_HEROKU,
      env: { ...cli.env, FORCE_COLOR: '3', FAKE_HEROKU_RESTART_MS: '3000', FAKE_HEROKU_LOG_EVERY_MS: '300' },
    });
    await screen.waitFor(new RegExp(`${esc(FLEET_EMAIL)} │ heroku CLI │ 5 apps`));
    await selectTarget(screen, 'acme-storefront', 'web.1');

    await screen.send('l', /logs · acme-storefront · web\.1 · ● live/);
    let text = await screen.waitFor(/app\[web\.1\]: PLANTED-RED end-of-planted/, 10_000);
    await screen.waitFor(/app\[web\.1\]: (Processing job|heartbeat ok|Completed 200)/, 10_000);
    assert.doesNotMatch(text, /heroku\[router\]/, 'one dyno: no router lines');
    assert.ok(!screen.raw.includes('PWNED-TITLE'), 'the title sequence never reached the terminal');
    assert.ok(!screen.raw.includes('\x1b]0;'), 'no OSC from a log line');
    const row = screen.lines().findIndex((l) => l.includes('PLANTED-RED'));
    const line = screen.term.buffer.active.getLine(screen.term.buffer.active.viewportY + row);
    const col = line?.translateToString(true).indexOf('PLANTED-RED') ?? -1;
    assert.equal(line?.getCell(col)?.getFgColorMode() !== 0, true, "the app's own red is kept");
    assert.equal(line?.getCell(0)?.getFgColorMode() !== 0, true, "the CLI's colour for the source part is kept");

    const logsCall = readFakeHerokuLog(cli.logFile).find((e) => e.argv[0] === 'logs');
    assert.deepEqual(logsCall?.argv, ['logs', '--tail', '-a', 'acme-storefront', '--dyno-name', 'web.1']);
    assert.equal(isAlive(logsCall?.pid ?? 0), true);
    await screen.send(keys.esc, /DYNOS acme-storefront/);
    await waitUntil(() => !isAlive(logsCall?.pid ?? 0), 5000, 'heroku logs to end');

    text = await screen.send('s', /restart web\.1 of acme-storefront\?/);
    assert.match(text, /\$ heroku ps:restart -a acme-storefront --dyno-name web\.1/);
    await screen.send('y', /▸◐ web\.1 +starting/, 15_000);
    await screen.waitFor(/▸● web\.1 +up/, 20_000);
    const restarts = readFakeHerokuLog(cli.logFile).filter((e) => e.argv[0] === 'ps:restart');
    assert.deepEqual(restarts.map((e) => e.argv), [['ps:restart', '-a', 'acme-storefront', '--dyno-name', 'web.1']]);
    await quitCleanly(screen);
  });

  it('--source cli: x asks heroku features:info first; exec off: the y/n, then ps:exec with its question answered', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    // No ssh on the PATH: ps:exec without --ssh.
    const screen = launch(['--source', 'cli', '--heroku-bin', fakeHerokuBin], {
      path: PATH_FAKE_HEROKU_NO_SSH,
      env: { ...cli.env, FAKE_HEROKU_RESTART_MS: '1000' },
    });
    await screen.waitFor(/heroku CLI │ 5 apps/);
    await selectTarget(screen, 'acme-billing', 'web.1');
    await screen.waitFor(/exec may need enabling/);
    await screen.send('x', /enable exec on acme-billing\?/, 15_000);
    await screen.send('y', /Establishing credentials\.\.\. done/, 20_000);
    await screen.waitFor(/^~ \$/m, 10_000);
    const calls = readFakeHerokuLog(cli.logFile).map((e) => e.argv).filter((a) => a[0] === 'features:info' || a[0] === 'ps:exec');
    assert.deepEqual(calls, [
      ['features:info', 'runtime-heroku-exec', '-a', 'acme-billing', '--json'],
      ['ps:exec', '-a', 'acme-billing', '--dyno', 'web.1'],
    ]);
    assert.equal(readFakeHerokuState(cli.stateFile).execEnabled?.['acme-billing'], true);
    await screen.send('exit\r', /exited with status 0/);
    await screen.send(keys.enter, /DYNOS acme-billing/);
    await quitCleanly(screen);
  });

  it('--source cli: failures say the command and what the CLI said', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch(['--source', 'cli', '--heroku-bin', fakeHerokuBin], {
      path: PATH_WITHOUT_HEROKU,
      env: { ...cli.env, FAKE_HEROKU_FAIL: 'logs,ps:restart:2:You do not have access to the app acme-storefront.' },
    });
    await screen.waitFor(/heroku CLI │ 5 apps/);
    await selectTarget(screen, 'acme-storefront', 'web.1');
    let text = await screen.send('l', /logs ended: heroku logs --tail -a acme-storefront --dyno-name web\.1: You do not have access/, 10_000);
    text = await screen.send(keys.esc, /DYNOS acme-storefront/);
    await screen.send('s', /restart web\.1 of acme-storefront\?/);
    text = await screen.send('y', /restart failed/, 15_000);
    assert.match(flat(text), /\$ heroku ps:restart -a acme-storefront --dyno-name web\.1 You do not have access to the app acme-storefront\./);
    await screen.send(keys.esc, (t) => !t.includes('restart failed'));
    await quitCleanly(screen);
  });

  it('--source api: s restarts with DELETE /apps/APP/dynos/DYNO; x on an app without exec: y, and ps:exec\'s own question is answered', async () => {
    const api = await startFakeApi({ state: sharedFleet(), restartDelayMs: 3000 });
    try {
      const cli = cliFixture(herokuStateOf(api.state));
      const screen = launch(['--source', 'api'], {
        path: PATH_FAKE_HEROKU_NO_SSH,
        env: { ...cli.env, HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN, FAKE_HEROKU_RESTART_MS: '1000' },
      });
      await screen.waitFor(/Platform API │ 5 apps/);
      await selectTarget(screen, 'acme-storefront', 'web.2');
      let text = await screen.send('s', /restart web\.2 of acme-storefront\?/);
      assert.match(text, /\$ DELETE \/apps\/acme-storefront\/dynos\/web\.2/);
      await screen.send('y', /▸◐ web\.2 +starting/, 10_000);
      await screen.waitFor(/▸● web\.2 +up/, 15_000);
      assert.equal(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path).join(), '/apps/acme-storefront/dynos/web.2');
      assert.equal(readFakeHerokuLog(cli.logFile).length, 0, 'no CLI call for a restart on the API source');

      await screen.send(keys.esc, (t) => !t.includes('filter: '));
      await selectTarget(screen, 'acme-billing', 'web.1');
      await screen.waitFor(/▲ exec not enabled: restarts all dynos/);
      text = await screen.send('x', /enable exec on acme-billing\?/);
      assert.match(flat(text), /Enabling it restarts every dyno of the app/);
      text = await screen.send('y', /Establishing credentials\.\.\. done/, 20_000);
      assert.match(text, /Running this command for the first time requires a dyno restart\./);
      assert.match(text, /Do you want to continue\? \[y\/n\] y/);
      await screen.waitFor(/^~ \$/m, 10_000);
      assert.equal(readFakeHerokuState(cli.stateFile).execEnabled?.['acme-billing'], true);
      const exec = readFakeHerokuLog(cli.logFile).filter((e) => e.argv[0] === 'ps:exec');
      assert.deepEqual(exec.map((e) => e.argv), [['ps:exec', '-a', 'acme-billing', '--dyno', 'web.1']]);
      await screen.send('exit\r', /exited with status 0/);
      await screen.send(keys.enter, /DYNOS acme-billing/);
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });
});
