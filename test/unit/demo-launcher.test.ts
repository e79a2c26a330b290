import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoFleet } from '../../src/demo/fleet.js';
import { startDemoFleet } from '../../src/demo/fleet.js';
import { DemoLauncher, findShell, FIR_EXEC_REFUSAL, NOT_RUNNING_REFUSAL, SHIELD_EXEC_REFUSAL } from '../../src/demo/launcher.js';
import type { SessionRequest, SpawnSpec } from '../../src/session/spec.js';
import { LaunchError } from '../../src/session/spec.js';

const FIR_WEB = 'web-848cd4f64d-pvpr2';

async function waitFor(what: string, check: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stateOf(fleet: DemoFleet, app: string, dyno: string): string | undefined {
  return fleet.snapshot().dynos[app]?.find((d) => d.name === dyno)?.state;
}

/** Runs the spec's shell non-interactively with a script; returns stdout lines. */
function sh(spec: SpawnSpec, script: string): string[] {
  const result = spawnSync(spec.file, ['-c', script], { cwd: spec.cwd, env: spec.env, encoding: 'utf8', timeout: 5000 });
  assert.equal(result.status, 0, `shell failed: ${result.stderr}`);
  return result.stdout.trimEnd().split('\n');
}

async function refused(launcher: DemoLauncher, request: SessionRequest, message: string | RegExp): Promise<void> {
  await assert.rejects(launcher.prepare(request), (err: unknown) => {
    assert.ok(err instanceof LaunchError, `a LaunchError, got ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('demo launcher', () => {
  let parent: string;
  let fleet: DemoFleet;
  let launcher: DemoLauncher;
  const savedKey = process.env.HEROKU_API_KEY;

  before(async () => {
    // A token in dynotty's own env must never reach a demo shell.
    process.env.HEROKU_API_KEY = 'token-that-must-not-leak';
    parent = mkdtempSync(path.join(os.tmpdir(), 'dynotty-launcher-test-'));
    fleet = await startDemoFleet({ root: parent });
    launcher = new DemoLauncher(fleet);
    await waitFor('dynos up', () => stateOf(fleet, 'acme-storefront', 'web.1') === 'up' && stateOf(fleet, 'acme-ml-fir', FIR_WEB) === 'up');
  });

  after(async () => {
    if (savedKey === undefined) delete process.env.HEROKU_API_KEY;
    else process.env.HEROKU_API_KEY = savedKey;
    await fleet.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('picks bash when it is there, else /bin/sh', () => {
    const bash = findShell();
    assert.ok(['/bin/bash', '/usr/bin/bash'].includes(bash.file));
    assert.deepEqual(bash.args, ['--noprofile', '--norc', '-i']);
    const fallback = findShell(['/nonexistent/bash']);
    assert.equal(fallback.file, '/bin/sh');
    assert.deepEqual(fallback.args, ['-i']);
    assert.equal(fallback.prompt, '~ $ ');
  });

  it('run: a fresh throwaway copy of the app, config vars set, listed as run.N until disposed', async () => {
    const spec = await launcher.prepare({ mode: 'run', app: 'acme-billing', dyno: 'web.1' });
    try {
      assert.match(spec.dynoName ?? '', /^run\.\d{4}$/);
      assert.equal(spec.cwd, path.join(fleet.root, 'runs', 'acme-billing', spec.dynoName ?? ''));
      assert.ok(existsSync(spec.cwd));
      assert.equal(spec.env.DYNO, spec.dynoName);
      assert.equal(spec.env.HOME, spec.cwd);
      assert.match(spec.env.DATABASE_URL ?? '', /^postgres:\/\//);
      assert.equal(spec.title, 'heroku run bash -a acme-billing');
      assert.equal(spec.file, findShell().file);
      assert.deepEqual(spec.args, ['--noprofile', '--norc', '-i']);
      assert.equal(spec.env.SHELL, spec.file);
      assert.ok(spec.env.PS1 !== undefined);
      assert.equal(spec.env.TERM, undefined, 'TERM is the spawner’s');
      assert.equal(spec.env.HEROKU_API_KEY, undefined);
      assert.ok(fleet.snapshot().dynos['acme-billing']?.some((d) => d.name === spec.dynoName && d.type === 'run'));
    } finally {
      await spec.dispose();
    }
    assert.ok(!existsSync(spec.cwd), 'the one-off folder is gone after dispose');
    assert.ok(!fleet.snapshot().dynos['acme-billing']?.some((d) => d.name === spec.dynoName));
    await spec.dispose();
  });

  it('exec: the live dyno’s folder and env, without config vars', async () => {
    const spec = await launcher.prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.1' });
    assert.equal(spec.cwd, fleet.dynoDir('acme-storefront', 'web.1'));
    assert.equal(spec.dynoName, 'web.1');
    assert.equal(spec.env.DYNO, 'web.1');
    assert.equal(spec.env.DATABASE_URL, undefined);
    assert.equal(spec.env.NODE_ENV, 'production', 'runtime env is kept');
    assert.equal(spec.env.HEROKU_API_KEY, undefined);
    assert.equal(spec.env.TERM, undefined);
    assert.equal(spec.title, 'heroku ps:exec -a acme-storefront --dyno web.1');
    await spec.dispose();
    assert.ok(existsSync(spec.cwd), 'dispose leaves the live dyno alone');
  });

  it('exec is allowed on the demo app without exec enabled', async () => {
    await waitFor('acme-billing web.1 up', () => stateOf(fleet, 'acme-billing', 'web.1') === 'up');
    const spec = await launcher.prepare({ mode: 'exec', app: 'acme-billing', dyno: 'web.1' });
    assert.equal(spec.cwd, fleet.dynoDir('acme-billing', 'web.1'));
  });

  it('run-inside: the live Fir dyno, with config vars', async () => {
    const spec = await launcher.prepare({ mode: 'run-inside', app: 'acme-ml-fir', dyno: FIR_WEB });
    assert.equal(spec.cwd, fleet.dynoDir('acme-ml-fir', FIR_WEB));
    assert.equal(spec.dynoName, FIR_WEB);
    assert.equal(spec.env.DYNO, FIR_WEB);
    assert.match(spec.env.DATABASE_URL ?? '', /^postgres:\/\//);
    assert.equal(spec.env.HEROKU_API_KEY, undefined);
    assert.equal(spec.title, `heroku run:inside ${FIR_WEB} bash -a acme-ml-fir`);
  });

  it('refuses what the real CLI refuses', async () => {
    await refused(launcher, { mode: 'exec', app: 'acme-ml-fir', dyno: FIR_WEB }, FIR_EXEC_REFUSAL);
    assert.equal(FIR_EXEC_REFUSAL, 'This command is unavailable for this app. Use heroku run:inside instead.');
    await refused(launcher, { mode: 'exec', app: 'acme-vault', dyno: 'web.1' }, SHIELD_EXEC_REFUSAL);
    assert.equal(SHIELD_EXEC_REFUSAL, 'This feature is restricted for Shield Private Spaces');
    await refused(launcher, { mode: 'run-inside', app: 'acme-storefront', dyno: 'web.1' }, /only for Fir apps/);
    await refused(launcher, { mode: 'exec', app: 'acme-storefront', dyno: null }, /No dyno selected/);
    await refused(launcher, { mode: 'run-inside', app: 'acme-ml-fir', dyno: null }, /No dyno selected/);
    await refused(launcher, { mode: 'exec', app: 'acme-storefront', dyno: 'web.9' }, /Couldn't find dyno web\.9/);
    await refused(launcher, { mode: 'run-inside', app: 'acme-ml-fir', dyno: 'web-nope' }, /Couldn't find dyno web-nope/);
    await refused(launcher, { mode: 'exec', app: 'acme-storefront', dyno: 'run.4821' }, /one-off/);
    await refused(launcher, { mode: 'run', app: 'no-such-app', dyno: null }, /Couldn't find that app: no-such-app/);
    await refused(launcher, { mode: 'exec', app: 'no-such-app', dyno: 'web.1' }, /Couldn't find that app/);
    // Hostile names come back without control characters.
    await refused(launcher, { mode: 'exec', app: 'acme-storefront', dyno: 'web.1\u001b]0;pwned\u0007' }, /^[^\u001b\u0007]*$/);
  });

  it('refuses a crashed dyno with the CLI’s words', async () => {
    await waitFor('acme-billing worker.1 crashed', () => stateOf(fleet, 'acme-billing', 'worker.1') === 'crashed');
    await refused(launcher, { mode: 'exec', app: 'acme-billing', dyno: 'worker.1' }, /^Could not connect to dyno!\nCheck if the dyno is running with `heroku ps'/);
    assert.ok(NOT_RUNNING_REFUSAL.startsWith('Could not connect to dyno!'));
    await refused(launcher, { mode: 'exec', app: 'acme-billing', dyno: 'worker.1' }, /worker\.1 is crashed/);
  });

  it('a one-off from run cannot be entered', async () => {
    const run = await launcher.prepare({ mode: 'run', app: 'acme-ml-fir', dyno: null });
    try {
      await refused(launcher, { mode: 'run-inside', app: 'acme-ml-fir', dyno: run.dynoName }, /cannot enter/);
    } finally {
      await run.dispose();
    }
  });

  it('the shells behave as the comparison pane says', async () => {
    const exec1 = await launcher.prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.1' });
    const [dyno, pwd, db] = sh(exec1, 'echo "$DYNO"; pwd; echo "${DATABASE_URL-unset}"; echo hi > marker-from-exec');
    assert.equal(dyno, 'web.1');
    assert.equal(realpathSync(pwd ?? ''), realpathSync(fleet.dynoDir('acme-storefront', 'web.1')));
    assert.equal(db, 'unset', 'exec shells lack config vars');

    const exec2 = await launcher.prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.1' });
    assert.deepEqual(sh(exec2, 'test -f marker-from-exec && echo seen || echo absent'), ['seen']);

    const run = await launcher.prepare({ mode: 'run', app: 'acme-storefront', dyno: 'web.1' });
    try {
      const [runDyno, marker, runDb] = sh(run, 'echo "$DYNO"; test -f marker-from-exec && echo seen || echo absent; echo "${DATABASE_URL-unset}"');
      assert.equal(runDyno, run.dynoName);
      assert.equal(marker, 'absent', 'a run never sees what exec wrote');
      assert.match(runDb ?? '', /^postgres:\/\/.*storefront-db/);
      sh(run, 'echo scratch > made-in-run');
      assert.ok(existsSync(path.join(run.cwd, 'made-in-run')));
    } finally {
      await run.dispose();
    }
    assert.ok(!existsSync(run.cwd), 'the run folder is removed after dispose');
    assert.ok(!existsSync(path.join(fleet.dynoDir('acme-storefront', 'web.1'), 'made-in-run')));

    const exec3 = await launcher.prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.1' });
    assert.deepEqual(sh(exec3, 'env | grep -c "^HEROKU_API_KEY=" || true'), ['0']);
    rmSync(path.join(exec3.cwd, 'marker-from-exec'));
  });

  it('the interactive shell reads no rc file and shows the dyno prompt', async () => {
    const spec = await launcher.prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.2' });
    // HOME is the dyno's folder: a .bashrc there would run without --norc.
    const rc = path.join(spec.env.HOME ?? '', '.bashrc');
    writeFileSync(rc, 'echo RC-LOADED\nPS1="rc> "\n');
    after(() => rmSync(rc, { force: true }));
    const result = spawnSync(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      input: 'echo "dyno=$DYNO"\nexit 0\n',
      encoding: 'utf8',
      timeout: 5000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^dyno=web\.2$/m);
    assert.ok(!result.stdout.includes('RC-LOADED') && !result.stderr.includes('RC-LOADED'), 'no rc file read');
    // An interactive shell without a tty writes its prompt to stderr.
    assert.ok(result.stderr.includes('~ $ '), `prompt in ${JSON.stringify(result.stderr)}`);
  });

  it('falls back to /bin/sh with the same semantics', async () => {
    const shLauncher = new DemoLauncher(fleet, ['/nonexistent/bash']);
    const spec = await shLauncher.prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.1' });
    assert.equal(spec.file, '/bin/sh');
    assert.deepEqual(spec.args, ['-i']);
    assert.equal(spec.env.PS1, '~ $ ');
    assert.deepEqual(sh(spec, 'echo "$DYNO"'), ['web.1']);
  });
});
