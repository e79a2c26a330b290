import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clipboardSequence, osc52, tmuxPassthrough } from '../../src/clipboard/osc52.js';
import { startDemoFleet, type DemoFleet } from '../../src/demo/fleet.js';
import { demoLogFiles, tailFiles } from '../../src/demo/log-tail.js';
import { DemoOperations } from '../../src/demo/operations.js';
import { ApiClient } from '../../src/heroku/api-client.js';
import { HerokuOperations } from '../../src/heroku/operations.js';
import { OperationError } from '../../src/ops/operations.js';
import { FAKE_TOKEN, startFakeApi, demoLikeFleet } from '../fakes/fake-api.js';
import { fakeHerokuBin, fakeHerokuEnv, readFakeHerokuLog, sampleHerokuState, writeFakeHerokuState } from '../fakes/fake-heroku.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

let root: string;
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dynotty-ops-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function cli(extra: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(root, 'cli-'));
  const stateFile = writeFakeHerokuState(dir, sampleHerokuState());
  const logFile = path.join(dir, 'log.jsonl');
  return { logFile, env: fakeHerokuEnv({ stateFile, logFile, extra }) };
}

describe('OSC 52', () => {
  it('is the base64 of the text, and tmux passthrough doubles every ESC', () => {
    assert.equal(osc52('heroku run bash -a x'), '\x1b]52;c;aGVyb2t1IHJ1biBiYXNoIC1hIHg=\x07');
    assert.equal(tmuxPassthrough('\x1b]52;c;QQ==\x07'), '\x1bPtmux;\x1b\x1b]52;c;QQ==\x07\x1b\\');
    assert.equal(clipboardSequence('A', {}), '\x1b]52;c;QQ==\x07');
    assert.equal(clipboardSequence('A', { TMUX: '/tmp/t,1,0' }), '\x1b]52;c;QQ==\x07\x1bPtmux;\x1b\x1b]52;c;QQ==\x07\x1b\\');
  });
});

describe('heroku operations', () => {
  it('restart runs heroku ps:restart with the argv, stdin closed; a failure names the command and the error', async () => {
    const c = cli();
    const ops = new HerokuOperations({ bin: fakeHerokuBin, env: c.env });
    assert.equal(ops.restartCommand('acme-storefront', 'web.1'), 'heroku ps:restart -a acme-storefront --dyno-name web.1');
    await ops.restart('acme-storefront', 'web.1');
    assert.deepEqual(readFakeHerokuLog(c.logFile).map((e) => e.argv), [['ps:restart', '-a', 'acme-storefront', '--dyno-name', 'web.1']]);
    await assert.rejects(ops.restart('acme-storefront', 'web.9'), (err: unknown) => {
      assert.ok(err instanceof OperationError);
      assert.match(err.problem, /Couldn't find that dyno\./);
      return true;
    });
    await assert.rejects(ops.restart('acme-storefront', '--app=evil'), /would misread/);
    assert.equal(readFakeHerokuLog(c.logFile).length, 2, 'the flag-like name never reached the CLI');
  });

  it('on the API source, restart is DELETE /apps/APP/dynos/DYNO with the token', async () => {
    const api = await startFakeApi({ state: demoLikeFleet(Date.now()) });
    try {
      const client = new ApiClient({ credentials: { token: FAKE_TOKEN, origin: 'HEROKU_API_KEY', login: null }, baseUrl: api.url });
      const ops = new HerokuOperations({ bin: 'heroku', env: {}, api: client });
      assert.equal(ops.restartCommand('acme-storefront', 'web.1'), 'DELETE /apps/acme-storefront/dynos/web.1');
      await ops.restart('acme-storefront', 'web.1');
      const del = api.requests.filter((r) => r.method === 'DELETE');
      assert.deepEqual(del.map((r) => [r.path, r.auth]), [['/apps/acme-storefront/dynos/web.1', 'valid']]);
      await assert.rejects(ops.restart('acme-storefront', 'web.9'), /DELETE \/apps\/acme-storefront\/dynos\/web\.9: .*Couldn't find that dyno/);
    } finally {
      await api.close();
    }
  });

  it('logs stream from heroku logs --tail; stop ends its process group; a failure says why', async () => {
    const c = cli({ FAKE_HEROKU_LOG_EVERY_MS: '100' });
    const ops = new HerokuOperations({ bin: fakeHerokuBin, env: c.env });
    let text = '';
    let ended: string | null | undefined;
    const stream = ops.openLogs({ app: 'acme-storefront', dyno: 'web.2' }, { onData: (t) => (text += t), onEnd: (p) => (ended = p) });
    await waitFor(() => text.split('\n').length > 4, 'log lines');
    assert.match(text, /\x1b\[38;2;80;211;213m.*app\[web\.2\]:/, 'FORCE_COLOR: the CLI colours them');
    const pid = readFakeHerokuLog(c.logFile)[0]?.pid ?? 0;
    assert.ok(isAlive(pid));
    await stream.stop();
    assert.equal(isAlive(pid), false);
    assert.equal(ended, undefined, 'stopping is not an end to report');

    const failing = new HerokuOperations({ bin: fakeHerokuBin, env: cli({ FAKE_HEROKU_FAIL: 'logs:2:boom' }).env });
    let problem: string | null | undefined;
    failing.openLogs({ app: 'acme-storefront', dyno: null }, { onData: () => undefined, onEnd: (p) => (problem = p) });
    await waitFor(() => problem !== undefined, 'the end');
    assert.equal(problem, 'heroku logs --tail -a acme-storefront: boom');

    const dir = mkdtempSync(path.join(root, 'cli-'));
    const loggedOut = new HerokuOperations({
      bin: fakeHerokuBin,
      env: fakeHerokuEnv({ stateFile: writeFakeHerokuState(dir, sampleHerokuState()), loggedOut: true }),
    });
    let why: string | null | undefined;
    loggedOut.openLogs({ app: 'acme-storefront', dyno: null }, { onData: () => undefined, onEnd: (p) => (why = p) });
    await waitFor(() => why !== undefined, 'the end');
    assert.equal(why, 'heroku logs --tail -a acme-storefront: not logged in (run heroku login)');
  });
});

describe('demo operations', () => {
  let fleet: DemoFleet;
  before(async () => {
    fleet = await startDemoFleet({ root });
  });
  after(() => fleet.close());

  it('restart replaces the dyno process, reports starting while it boots, then up, and logs it', async () => {
    const ops = new DemoOperations(fleet, { color: false, pollMs: 50 });
    const state = () => fleet.snapshot().dynos['acme-storefront']?.find((d) => d.name === 'worker.1')?.state;
    await waitFor(() => state() === 'up', 'worker.1 up', { timeoutMs: 5000 });
    const before = fleet.dynoPid('acme-storefront', 'worker.1');
    let text = '';
    const stream = ops.openLogs({ app: 'acme-storefront', dyno: 'worker.1' }, { onData: (t) => (text += t), onEnd: () => undefined });
    await ops.restart('acme-storefront', 'worker.1');
    assert.equal(state(), 'starting');
    const after = fleet.dynoPid('acme-storefront', 'worker.1');
    assert.notEqual(after, before);
    assert.equal(isAlive(before ?? 0), false);
    await waitFor(() => state() === 'up', 'up again', { timeoutMs: 6000 });
    await waitFor(() => /Process exited with status 143\n[\s\S]*heroku\[worker\.1\]: Starting process with command/.test(text), 'the restart in the logs', { timeoutMs: 6000 });
    assert.match(text, /heroku\[worker\.1\]: Restarting\n.*heroku\[worker\.1\]: State changed from up to starting\n.*Stopping all processes with SIGTERM/);
    assert.doesNotMatch(text, /\x1b/, 'no colour when told');
    await stream.stop();
    await assert.rejects(ops.restart('acme-storefront', 'web.9'), OperationError);
  });
});

describe('demo log tailing', () => {
  it('starts with the last lines of every file merged by time, then follows appends, whole lines only', async () => {
    const dir = mkdtempSync(path.join(root, 'tail-'));
    const at = (s: number) => `2026-11-25T10:00:0${s}.000000+00:00`;
    writeFileSync(path.join(dir, 'web.1.log'), `${at(1)} app[web.1]: one\n${at(3)} app[web.1]: three\n`);
    writeFileSync(path.join(dir, 'worker.1.log'), `${at(2)} app[worker.1]: two\n`);
    writeFileSync(path.join(dir, 'notes.txt'), 'not a log\n');
    let text = '';
    const stream = tailFiles({ files: demoLogFiles(dir, null), initialLines: 2, pollMs: 20 }, { onData: (t) => (text += t), onEnd: () => undefined });
    await waitFor(() => text !== '', 'the first lines');
    assert.equal(text, `${at(2)} app[worker.1]: two\n${at(3)} app[web.1]: three\n`, 'the last two, in time order');
    appendFileSync(path.join(dir, 'worker.1.log'), `${at(4)} app[worker.1]: fo`);
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(text, /fo/, 'half a line waits');
    appendFileSync(path.join(dir, 'worker.1.log'), 'ur\n');
    writeFileSync(path.join(dir, 'router.log'), `${at(5)} heroku[router]: at=info\n`);
    await waitFor(() => text.includes('router'), 'a file that appeared later');
    assert.match(text, /app\[worker\.1\]: four\n.*heroku\[router\]: at=info\n$/);
    await stream.stop();
  });
});
