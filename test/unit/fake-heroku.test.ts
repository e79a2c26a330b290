// The fake `heroku` itself: the formats, streams and exit codes the rest of the tests
// rely on, checked by running it as the real CLI would be run.
import { execa } from 'execa';
import * as pty from 'node-pty';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { FakeHerokuMode, FakeHerokuState } from '../fakes/fake-heroku.js';
import {
  fakeHerokuBin,
  fakeHerokuEnv,
  readFakeHerokuLog,
  readFakeHerokuState,
  sampleHerokuState,
  writeFakeHerokuState,
} from '../fakes/fake-heroku.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor, within } from '../helpers/wait.js';

let root: string;
let runs = 0;

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dynotty-fake-heroku-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Setup {
  dir: string;
  env: NodeJS.ProcessEnv;
  stateFile: string;
  logFile: string;
}

function setup(mode: FakeHerokuMode & { extra?: Record<string, string> } = {}, state: FakeHerokuState = sampleHerokuState()): Setup {
  const dir = mkdtempSync(path.join(root, `run-${++runs}-`));
  const stateFile = writeFakeHerokuState(dir, state);
  const logFile = path.join(dir, 'log.jsonl');
  return { dir, stateFile, logFile, env: fakeHerokuEnv({ stateFile, logFile, ...mode }) };
}

/** The fake as a pipe sees it: no TTY anywhere, stdin as given (closed by default). */
async function heroku(s: Setup, argv: string[], input?: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const r = await execa('heroku', argv, {
    env: s.env,
    extendEnv: false,
    cwd: s.dir,
    reject: false,
    timeout: 10_000,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}

describe('fake heroku: listing and auth', () => {
  it('prints a user agent for --version', async () => {
    const r = await heroku(setup(), ['--version']);
    assert.match(r.stdout, /^heroku\/11\.10\.0 linux-x64 node-v\d+\.\d+\.\d+$/);
    assert.equal(r.exitCode, 0);
  });

  it('prints the API objects, sorted, for apps --json and ps --json', async () => {
    const s = setup();
    const state = readFakeHerokuState(s.stateFile);
    const apps = await heroku(s, ['apps', '--json']);
    assert.deepEqual(JSON.parse(apps.stdout), [...state.apps].sort((a, b) => (a.name < b.name ? -1 : 1)));
    assert.equal(apps.stderr, '');

    const ps = await heroku(s, ['ps', '--json', '-a', 'acme-vault']);
    const dynos = JSON.parse(ps.stdout) as Array<{ name: string; size: string }>;
    assert.deepEqual(dynos.map((d) => [d.name, d.size]), [
      ['web.1', 'Shield-M'],
      ['worker.1', 'Shield-M'],
    ]);
    const web = await heroku(s, ['ps', '--json', '-a', 'acme-storefront', 'web']);
    assert.deepEqual((JSON.parse(web.stdout) as Array<{ name: string }>).map((d) => d.name), ['web.1', 'web.2']);
  });

  it('narrows apps to a team with -t or HEROKU_TEAM, and 404s an unknown team', async () => {
    const s = setup();
    const names = (stdout: string): string[] => (JSON.parse(stdout) as Array<{ name: string }>).map((a) => a.name);
    const team = await heroku(s, ['apps', '--json', '-t', 'acme-labs']);
    assert.deepEqual(names(team.stdout), []);
    const env = await heroku(setup({ extra: { HEROKU_TEAM: 'acme' } }), ['apps', '--json']);
    assert.equal(names(env.stdout).length, 4);
    const unknown = await heroku(s, ['apps', '--json', '--team', 'nope']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /^ › {3}Error: Couldn't find that team\.$/m);
  });

  it("answers the CLI's errors for ps", async () => {
    const s = setup();
    const missing = await heroku(s, ['ps', '--json', '-a', 'no-such-app']);
    assert.equal(missing.exitCode, 2);
    assert.equal(missing.stderr, " ›   Error: Couldn't find that app.\n ›\n ›   Error ID: not_found");

    const type = await heroku(s, ['ps', '--json', '-a', 'sideproject-eco', 'worker']);
    assert.equal(type.exitCode, 1);
    assert.equal(type.stderr, '    Error: No worker dynos on sideproject-eco');

    const noApp = await heroku(s, ['ps', '--json']);
    assert.equal(noApp.exitCode, 2);
    assert.match(noApp.stderr, /Missing required flag app/);

    const unknownFlag = await heroku(s, ['ps', '--json', '--bogus', '-a', 'x']);
    assert.match(unknownFlag.stderr, /Nonexistent flag: --bogus/);
  });

  it('finds the app from HEROKU_APP or the one heroku git remote', async () => {
    const env = await heroku(setup({ extra: { HEROKU_APP: 'acme-vault' } }), ['ps', '--json']);
    assert.equal(env.exitCode, 0);

    const s = setup();
    execFileSync('git', ['init', '-q', s.dir]);
    execFileSync('git', ['-C', s.dir, 'remote', 'add', 'heroku', 'https://git.heroku.com/acme-billing.git']);
    const one = await heroku(s, ['ps', '--json']);
    assert.equal(one.exitCode, 0, one.stderr);
    assert.equal((JSON.parse(one.stdout) as unknown[]).length, 2);

    execFileSync('git', ['-C', s.dir, 'remote', 'add', 'staging', 'git@heroku.com:acme-vault.git']);
    const two = await heroku(s, ['ps', '--json']);
    assert.equal(two.exitCode, 2);
    assert.match(two.stderr, /Multiple apps in git remotes/);
  });

  it('says who is logged in, or exits 100', async () => {
    const s = setup();
    assert.deepEqual(await heroku(s, ['auth:whoami']), { stdout: 'dev@acme.example', stderr: '', exitCode: 0 });
    const out = await heroku(setup({ loggedOut: true }), ['auth:whoami']);
    assert.deepEqual(out, { stdout: '', stderr: ' ›   Error: not logged in', exitCode: 100 });
  });

  it('prints the token on stdout and its expiry warning on stderr', async () => {
    const r = await heroku(setup(), ['auth:token']);
    assert.equal(r.stdout, 'HRKU-00000000-fake-token-0000-000000000000');
    assert.match(r.stderr, /^ › {3}Warning: token will expire \d\d\/\d\d\/\d{4}$/m);
    const key = await heroku(setup({ extra: { HEROKU_API_KEY: 'HRKU-env' } }), ['auth:token']);
    assert.equal(key.stdout, 'HRKU-env');
    const out = await heroku(setup({ loggedOut: true }), ['auth:token']);
    assert.equal(out.exitCode, 2);
    assert.equal(out.stderr, ' ›   Error: not logged in');
  });

  it('waits at the login prompt while stdin is open, and gives up at end of input', async () => {
    const s = setup({ loggedOut: true });
    const child = spawn('heroku', ['apps', '--json'], { env: s.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stderr.includes('Press any key to open up the browser to login or q to exit'), 'the login prompt');
      assert.equal(child.exitCode, null, 'still waiting for a key');
      child.stdin.end();
      assert.equal(await within(exited, 5000, 'exit after EOF'), 1);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('prints the update notice first, on stderr', async () => {
    const r = await heroku(setup({ updateNotice: true }), ['auth:whoami']);
    assert.equal(r.stdout, 'dev@acme.example');
    assert.match(r.stderr, /^ › {3}Warning: heroku update available from 11\.0\.0 to 11\.10\.0\./);
  });

  it('fails, prints nothing, or prints garbage on request, by command and app', async () => {
    const fail = await heroku(setup({ fail: 'ps:exec:3:boom: with a colon' }), ['ps:exec', '-a', 'acme-storefront']);
    assert.deepEqual([fail.exitCode, fail.stderr], [3, ' ›   Error: boom: with a colon']);
    const s = setup({ empty: 'ps@acme-vault', garbage: 'apps' });
    assert.equal((await heroku(s, ['ps', '--json', '-a', 'acme-vault'])).stdout, '');
    assert.notEqual((await heroku(s, ['ps', '--json', '-a', 'acme-billing'])).stdout, '');
    const garbage = await heroku(s, ['apps', '--json']);
    assert.equal(garbage.exitCode, 0);
    assert.throws(() => JSON.parse(garbage.stdout) as unknown);
  });

  it('hangs a command on request until killed', async () => {
    const s = setup({ hang: 'auth:whoami' });
    const child = spawn('heroku', ['auth:whoami'], { env: s.env, stdio: 'ignore' });
    try {
      const call = await waitFor(() => readFakeHerokuLog(s.logFile)[0], 'the call');
      assert.equal(child.exitCode, null);
      child.kill('SIGTERM');
      await waitFor(() => !isAlive(call.pid), 'the fake to end');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('answers an unknown command as the not-found plugin does', async () => {
    const r = await heroku(setup(), ['foo']);
    assert.equal(r.exitCode, 127);
    assert.equal(r.stderr, ' ›   Warning: foo is not a heroku command.\n ›   Error: Run heroku help for a list of available commands.');
  });

  it('logs every argv, and whether a key was set, never the key', async () => {
    const s = setup({ extra: { HEROKU_API_KEY: 'HRKU-secret-value' } });
    await heroku(s, ['apps', '--json']);
    await heroku(s, ['ps', '--json', '-a', 'acme-vault', 'web']);
    assert.deepEqual(
      readFakeHerokuLog(s.logFile).map((c) => [c.argv, c.apiKeySet]),
      [
        [['apps', '--json'], true],
        [['ps', '--json', '-a', 'acme-vault', 'web'], true],
      ],
    );
    assert.ok(!readFileSync(s.logFile, 'utf8').includes('HRKU-secret-value'));
  });
});

describe('fake heroku: ps:exec refusals and the first-use prompt', () => {
  it('refuses Fir apps with the run:inside hint, exit 2', async () => {
    const r = await heroku(setup(), ['ps:exec', '-a', 'acme-ml-fir', '--dyno', 'web-848cd4f64d-pvpr2']);
    assert.equal(r.exitCode, 2);
    const text = r.stderr
      .split('\n')
      .map((l) => l.replace(/^ › {3}/, ''))
      .join(' ');
    assert.equal(
      text,
      'Error: This command is unavailable for this app. Use heroku run:inside instead. See https://devcenter.heroku.com/articles/run-tasks-in-an-existing-dyno.',
    );
    for (const line of r.stderr.split('\n')) assert.ok(line.length <= 80, 'wrapped as oclif does on a pipe');
  });

  it('refuses Shield spaces', async () => {
    const r = await heroku(setup(), ['ps:exec', '-a', 'acme-vault']);
    assert.deepEqual([r.exitCode, r.stderr], [2, ' ›   Error: This feature is restricted for Shield Private Spaces']);
  });

  it('cannot connect to a crashed dyno or a one-off', async () => {
    const state = sampleHerokuState();
    state.execEnabled = { ...state.execEnabled, 'acme-billing': true };
    const s = setup({}, state);
    for (const [app, dyno] of [
      ['acme-billing', 'worker.1'],
      ['acme-storefront', 'run.4821'],
      ['acme-storefront', 'web.9'],
    ] as const) {
      const r = await heroku(s, ['ps:exec', '-a', app, '--dyno', dyno]);
      assert.equal(r.exitCode, 2, `${app} ${dyno}`);
      assert.equal(
        r.stderr,
        "Establishing credentials... error\n ›   Error: Could not connect to dyno!\n ›   Check if the dyno is running with `heroku ps'",
      );
    }
  });

  it('asks before enabling exec: n ends quietly, no input fails, y enables it', async () => {
    const s = setup({ extra: { FAKE_HEROKU_RESTART_MS: '200' } });
    const no = await heroku(s, ['ps:exec', '-a', 'acme-billing', '--dyno', 'web.1'], 'n\n');
    assert.equal(no.exitCode, 0);
    assert.equal(no.stdout, 'Running this command for the first time requires a dyno restart.\n? Do you want to continue? [y/n] ');
    assert.equal(readFakeHerokuState(s.stateFile).execEnabled?.['acme-billing'], false);

    const eof = await heroku(s, ['ps:exec', '-a', 'acme-billing', '--dyno', 'web.1'], '');
    assert.equal(eof.exitCode, 1);

    const yes = await heroku(s, ['ps:exec', '-a', 'acme-billing', '--dyno', 'web.1'], 'y\n');
    assert.equal(yes.exitCode, 0, yes.stderr);
    assert.deepEqual(yes.stderr.split('\n'), [
      'Initializing feature... done',
      'Restarting dynos... done',
      'Waiting for web.1 to start... done',
      'Establishing credentials... done',
      'Connecting to web.1 on acme-billing... up',
    ]);
    assert.equal(readFakeHerokuState(s.stateFile).execEnabled?.['acme-billing'], true);
    const ps = JSON.parse((await heroku(s, ['ps', '--json', '-a', 'acme-billing'])).stdout) as { state: string }[];
    assert.ok(ps.every((d) => d.state === 'up' || d.state === 'crashed'), 'every dyno came back after the restart');
  });
});

describe('fake heroku: logs and ps:restart', () => {
  it('tails logs every 500 ms until stopped', async () => {
    const s = setup();
    const child = spawn('heroku', ['logs', '--tail', '-a', 'acme-storefront', '--dyno-name', 'web.2'], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      const lines = await waitFor(() => {
        const l = stdout.split('\n').filter(Boolean);
        return l.length >= 4 && l;
      }, 'four log lines');
      for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+\+00:00 app\[web\.2\]: /);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('restarts one dyno: starting for FAKE_HEROKU_RESTART_MS, then up; an unknown one is a 404', async () => {
    const s = setup({ extra: { FAKE_HEROKU_RESTART_MS: '400' } });
    const r = await heroku(s, ['ps:restart', '-a', 'acme-storefront', '--dyno-name', 'web.1']);
    assert.deepEqual([r.exitCode, r.stderr], [0, 'Restarting dyno web.1 on acme-storefront... done']);
    const stateOf = async () =>
      (JSON.parse((await heroku(s, ['ps', '--json', '-a', 'acme-storefront'])).stdout) as { name: string; state: string }[]).find((d) => d.name === 'web.1')?.state;
    assert.equal(await stateOf(), 'starting');
    const deadline = Date.now() + 5000;
    while ((await stateOf()) !== 'up') assert.ok(Date.now() < deadline, 'web.1 up again');
    const bad = await heroku(s, ['ps:restart', '-a', 'acme-storefront', '--dyno-name', 'web.9']);
    assert.equal(bad.exitCode, 2);
    assert.equal(bad.stderr, "Restarting dyno web.9 on acme-storefront... !\n ›   Error: Couldn't find that dyno.\n ›\n ›   Error ID: not_found");
  });

  it('features:info runtime-heroku-exec --json says whether exec is on', async () => {
    const s = setup();
    const off = await heroku(s, ['features:info', 'runtime-heroku-exec', '-a', 'acme-billing', '--json']);
    assert.equal((JSON.parse(off.stdout) as { enabled: boolean }).enabled, false);
    const on = await heroku(s, ['features:info', 'runtime-heroku-exec', '-a', 'acme-storefront', '--json']);
    assert.equal((JSON.parse(on.stdout) as { enabled: boolean }).enabled, true);
    const none = await heroku(s, ['features:info', 'runtime-heroku-exec', '-a', 'acme-nope', '--json']);
    assert.equal(none.exitCode, 2);
  });

  it('colours logs as the CLI does with FORCE_COLOR; the whole app has router lines; planted lines come first', async () => {
    const state = sampleHerokuState();
    state.logLines = { 'acme-storefront': ['app[web.1]: \x1b]0;t\x07planted'] };
    const s = setup({ extra: { FORCE_COLOR: '3' } }, state);
    const r = await heroku(s, ['logs', '-a', 'acme-storefront']);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^\x1b\[38;2;80;211;213m\d{4}-[\d:T.-]+\+00:00 app\[web\.1\]:\x1b\[39m \x1b\]0;t\x07planted$/);
    assert.ok(lines.some((l) => /heroku\[router\]:\x1b\[39m .*status=\x1b\[39m\x1b\[38;5;40m200/.test(l)), r.stdout);
    const plain = await heroku(setup(), ['logs', '-a', 'acme-storefront', '--dyno-name', 'web.1']);
    assert.doesNotMatch(plain.stdout, /\x1b|router/);
  });
});

const livePtys = new Set<PtyRun>();

/** The fake in a real pseudo-terminal, as dynotty's sessions run it. */
class PtyRun {
  output = '';
  readonly proc: pty.IPty;
  readonly exit: Promise<number>;
  private exited = false;

  constructor(env: NodeJS.ProcessEnv, argv: string[]) {
    this.proc = pty.spawn(fakeHerokuBin, argv, {
      name: 'xterm-256color',
      cols: 100,
      rows: 30,
      cwd: tmpdir(),
      env: { ...env, TERM: 'xterm-256color' } as Record<string, string>,
    });
    this.proc.onData((d) => (this.output += d));
    this.exit = new Promise((resolve) =>
      this.proc.onExit(({ exitCode }) => {
        this.exited = true;
        livePtys.delete(this);
        resolve(exitCode);
      }),
    );
    livePtys.add(this);
  }

  /** Hangs up, as closing the terminal would: the fake passes it on to its shell. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGHUP');
    await within(this.exit, 5000, 'the fake to end after a hang-up');
  }

  async expect(re: RegExp, what: string): Promise<RegExpMatchArray> {
    return waitFor(() => this.output.match(re), what, { timeoutMs: 8000, describe: () => JSON.stringify(this.output) });
  }
}

describe('fake heroku: sessions in a pty', () => {
  afterEach(async () => {
    for (const run of [...livePtys]) await run.close();
  });

  it('run bash prints its progress and gives a shell with DYNO set', async () => {
    const s = setup();
    const run = new PtyRun(s.env, ['run', 'bash', '-a', 'acme-storefront']);
    const [, dyno] = await run.expect(/Running bash on (?:⬢ )?acme-storefront\.\.\. up, (run\.\d{4})/, 'the up line');
    await run.expect(/~ \$ /, 'the prompt');
    run.proc.write('echo "dyno=$DYNO session=$FAKE_HEROKU_SESSION env=$NODE_ENV"\r');
    // The typed line is echoed with `$DYNO` unexpanded: only the output can match.
    await run.expect(new RegExp(`dyno=${dyno?.replace('.', '\\.')} session=1 env=production`), 'the echo');
    run.proc.write('exit 3\r');
    assert.equal(await within(run.exit, 5000, 'the session to end'), 0, 'run exits 0 whatever the remote status');
  });

  it('ps:exec gives a shell on the named dyno, without the config vars', async () => {
    const s = setup();
    const run = new PtyRun(s.env, ['ps:exec', '-a', 'acme-storefront', '--dyno', 'web.2']);
    await run.expect(/Connecting to web\.2 on (?:⬢ )?acme-storefront\.\.\. up/, 'connecting');
    await run.expect(/~ \$ /, 'the prompt');
    run.proc.write('echo "dyno=$DYNO db=${DATABASE_URL:-none}"\r');
    await run.expect(/dyno=web\.2 db=none/, 'the echo');
    run.proc.write('exit\r');
    assert.equal(await within(run.exit, 5000, 'the session to end'), 0);
  });

  it('run:inside gives a shell inside the Fir dyno', async () => {
    const s = setup();
    const run = new PtyRun(s.env, ['run:inside', 'web-848cd4f64d-pvpr2', 'bash', '-a', 'acme-ml-fir']);
    await run.expect(/Running bash on (?:⬢ )?acme-ml-fir\.\.\. up, web-848cd4f64d-pvpr2/, 'the up line');
    await run.expect(/~ \$ /, 'the prompt');
    run.proc.write('echo "dyno=$DYNO"\r');
    await run.expect(/dyno=web-848cd4f64d-pvpr2/, 'the echo');
    run.proc.write('exit\r');
    assert.equal(await within(run.exit, 5000, 'the session to end'), 0);
  });

  it('run -x passes the remote exit status back', async () => {
    const s = setup();
    const run = new PtyRun(s.env, ['run', '-x', 'exit 7', '-a', 'sideproject-eco']);
    assert.equal(await within(run.exit, 5000, 'the command to end'), 7);
  });
});
