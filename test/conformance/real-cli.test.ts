// Conformance with the real, published Heroku CLI (heroku@11.10.0, installed once into a
// cache folder outside node_modules by ensureRealHerokuCli): it must accept the fake API's
// answers, `heroku run` must attach through a real TLS rendezvous to a local "dyno", and
// dynotty `--source cli` must list apps and open a run session through it.
//
// Nothing here is skipped: without the npm registry the first install fails, and so does
// every test of this file, with npm's message.
//
//   npx tsc -p . && node --test dist/test/conformance/real-cli.test.js
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { demoLikeFleet, startFakeApi } from '../fakes/fake-api.js';
import type { FakeApi, RecordedRequest } from '../fakes/fake-api.js';
import { cliPath, PtyScreen, repoRoot } from '../helpers/pty-screen.js';
import { ensureRealHerokuCli, HEROKU_CLI_VERSION, lastInstallMs, realHerokuEnv } from './heroku-cli.js';
import { startRendezvous } from './rendezvous.js';
import type { Rendezvous } from './rendezvous.js';

/** One budget for the whole file, first-time install (about a minute) included. */
const FILE_TIMEOUT_MS = 8 * 60_000;
const CLI_TIMEOUT_MS = 30_000;
/** The real CLI takes about a second to start; a run needs three API calls and a TLS handshake on top. */
const SESSION_WAIT_MS = 20_000;

const screens: PtyScreen[] = [];

/**
 * A program in a pseudo-terminal with exactly `env`: PtyScreen adds this process's
 * environment under it, so whatever realHerokuEnv left out is removed again with `env -u`
 * (names only on the command line, never values).
 */
function screenWith(env: Record<string, string>, file: string, args: string[], size = { cols: 100, rows: 30 }): PtyScreen {
  const unset = Object.keys(process.env)
    .filter((name) => !(name in env))
    .flatMap((name) => ['-u', name]);
  const screen = new PtyScreen('/usr/bin/env', [...unset, file, ...args], { env, ...size });
  screens.push(screen);
  return screen;
}

/** The requests the fake API saw from index `from` on. */
function requestsSince(api: FakeApi, from: number): RecordedRequest[] {
  return api.requests.slice(from);
}

/** Every request carried FAKE_TOKEN as a Bearer token, came from this CLI, and was answered with success. */
function assertAuthenticated(requests: RecordedRequest[]): void {
  assert.ok(requests.length > 0, 'the CLI called the fake API');
  for (const r of requests) {
    const what = `${r.method} ${r.path}`;
    assert.equal(r.auth, 'valid', `${what}: the token the fake knows`);
    assert.equal(r.authScheme, 'Bearer', `${what}: Authorization: Bearer`);
    assert.match(r.headers['user-agent'] ?? '', new RegExp(`^heroku-cli/${HEROKU_CLI_VERSION.replace(/\./g, '\\.')} `), `${what}: user agent`);
    assert.match(r.headers.accept ?? '', /^application\/vnd\.heroku\+json; version=3/, `${what}: Accept`);
    assert.ok(r.status !== null && r.status < 300, `${what}: answered ${String(r.status)}`);
    assert.doesNotMatch(r.path, /analytics-leak/, 'no telemetry reached the fake (DISABLE_TELEMETRY honoured)');
  }
}

/** Warnings are allowed on stderr (HEROKU_API_KEY set, terms of service); errors are not. */
function assertNoErrors(stderr: string, what: string): void {
  assert.doesNotMatch(stripAnsi(stderr), /Error|ERR!|Unhandled|EAI_AGAIN|ENOTFOUND/, `${what}: stderr has no error:\n${stderr}`);
}

function printStderr(t: TestContext, stderr: string): void {
  for (const line of stripAnsi(stderr).split('\n')) if (line.trim()) t.diagnostic(`stderr: ${line}`);
}

describe(`the real heroku CLI (${HEROKU_CLI_VERSION}) against the fake API`, { timeout: FILE_TIMEOUT_MS }, () => {
  let bin = '';
  let api: FakeApi;
  let rendezvous: Rendezvous;
  let env: Record<string, string> = {};

  // A failed setup (no registry for the install, no openssl) fails every test below with
  // its message; node:test would otherwise count them as "cancelled", which reads like a pass.
  let setupError: unknown = null;
  before(async () => {
    try {
      bin = await ensureRealHerokuCli();
      api = await startFakeApi({ state: demoLikeFleet() });
      rendezvous = await startRendezvous({ api });
      env = realHerokuEnv(api.url, { NODE_EXTRA_CA_CERTS: rendezvous.caPath, TERM: 'xterm-256color' });
    } catch (err) {
      setupError = err;
    }
  });
  beforeEach(() => {
    if (setupError !== null) throw setupError;
  });

  after(async () => {
    for (const s of screens.splice(0)) s.kill();
    await rendezvous?.close();
    await api?.close();
  });

  async function heroku(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
    const r = await execa(bin, args, { env, extendEnv: false, stdin: 'ignore', reject: false, timeout: CLI_TIMEOUT_MS, encoding: 'utf8' });
    assert.ok(!r.timedOut, `heroku ${args.join(' ')} answered within ${CLI_TIMEOUT_MS / 1000} s (a call to the internet would hang here)`);
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
  }

  it('heroku --version runs the pinned CLI from the cache', async (t) => {
    if (lastInstallMs !== null) t.diagnostic(`installed heroku@${HEROKU_CLI_VERSION} in ${(lastInstallMs / 1000).toFixed(1)} s`);
    t.diagnostic(`heroku binary: ${bin}`);
    assert.ok(!bin.startsWith(path.join(repoRoot, 'node_modules') + path.sep), 'the CLI is not one of dynotty\'s dependencies');
    const r = await heroku(['--version']);
    t.diagnostic(`heroku --version: ${r.stdout.trim()}`);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^heroku/${HEROKU_CLI_VERSION.replace(/\./g, '\\.')} `));
    assertNoErrors(r.stderr, 'heroku --version');
    printStderr(t, r.stderr);
  });

  it('heroku apps --json accepts the fake\'s apps', async (t) => {
    const from = api.requests.length;
    const r = await heroku(['apps', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    assertNoErrors(r.stderr, 'heroku apps --json');
    printStderr(t, r.stderr);
    const apps = JSON.parse(r.stdout) as Array<{ name: string; generation: unknown; owner: { email: string } }>;
    const expected = api.state.apps.map((a) => a.name).sort();
    assert.deepEqual(
      apps.map((a) => a.name),
      expected,
    );
    t.diagnostic(`apps: ${apps.map((a) => a.name).join(', ')}`);
    const requests = requestsSince(api, from);
    assertAuthenticated(requests);
    assert.ok(
      requests.some((q) => q.method === 'GET' && q.path === '/users/~/apps'),
      `GET /users/~/apps among ${requests.map((q) => `${q.method} ${q.path}`).join(', ')}`,
    );
  });

  it('heroku ps --json -a APP accepts the fake\'s dynos', async (t) => {
    const app = 'acme-storefront';
    const from = api.requests.length;
    const r = await heroku(['ps', '--json', '-a', app]);
    assert.equal(r.exitCode, 0, r.stderr);
    assertNoErrors(r.stderr, `heroku ps --json -a ${app}`);
    printStderr(t, r.stderr);
    const dynos = JSON.parse(r.stdout) as Array<{ name: string; state: string; app: { name: string } }>;
    const expected = (api.state.dynos[app] ?? []).map((d) => d.name).sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(
      dynos.map((d) => d.name).sort(),
      expected,
    );
    assert.ok(dynos.every((d) => d.app.name === app));
    t.diagnostic(`dynos of ${app}: ${dynos.map((d) => `${d.name} ${d.state}`).join(', ')}`);
    const requests = requestsSince(api, from);
    assertAuthenticated(requests);
    const dynoList = requests.find((q) => q.method === 'GET' && q.path === `/apps/${app}/dynos`);
    assert.ok(dynoList, 'GET /apps/APP/dynos');
    assert.match(dynoList.headers.accept ?? '', /version=3\.sdk/, 'ps asks for the sdk variant');
  });

  it('heroku run bash attaches through the TLS rendezvous to a local shell', async (t) => {
    const app = 'acme-billing';
    const from = api.requests.length;
    const runsBefore = api.state.runs.length;
    const screen = screenWith(env, bin, ['run', 'bash', '-a', app]);
    await screen.waitFor(/^~ \$/m, SESSION_WAIT_MS);
    const text = await screen.send('echo "D=$DYNO"\r', /^D=run\.\d+$/m);
    const dyno = /^D=(run\.\d+)$/m.exec(text)?.[1] ?? '';
    const status = new RegExp(`Running bash on (?:⬢ )?${app}\\.\\.\\. .*?up, ${dyno.replace('.', '\\.')}`);
    assert.match(stripAnsi(screen.raw), status, 'the CLI reported the dyno up, by the name the fake gave it');
    screen.proc.write('exit\r');
    const exit = await screen.waitExit(SESSION_WAIT_MS);
    for (const line of screen.lines()) if (line.trim()) t.diagnostic(`screen: ${line}`);
    assert.equal(exit.exitCode, 0, 'heroku run exits 0');

    const run = api.state.runs[runsBefore];
    assert.ok(run, 'the fake recorded POST /apps/APP/dynos');
    assert.equal(api.state.runs.length, runsBefore + 1);
    assert.equal(run.dyno, dyno, 'the shell ran as the dyno the API created');
    assert.equal(run.command, 'bash');
    assert.equal(run.attach, true);
    assert.equal(run.forceNoTty, false);
    assert.equal(String(run.env.COLUMNS), '100', 'COLUMNS sent with the create');
    assert.equal(String(run.env.LINES), '30', 'LINES sent with the create');
    assert.equal(run.env.TERM, 'xterm-256color', 'TERM sent with the create');
    const session = rendezvous.sessions.find((s) => s.secret === run.secret);
    assert.ok(session, 'the CLI sent the secret from attach_url');
    await session.done;
    assert.equal(session.exitCode, 0);
    assert.equal(session.cols, 100);
    assert.equal(session.rows, 30);
    const requests = requestsSince(api, from);
    assertAuthenticated(requests);
    assert.deepEqual(
      requests.filter((q) => q.method === 'POST').map((q) => q.path),
      [`/apps/${app}/dynos`],
    );
  });

  it('heroku run -x passes the dyno\'s exit status through (Fir: the CLI prepends launcher)', async () => {
    const app = 'acme-ml-fir';
    const runsBefore = api.state.runs.length;
    const screen = screenWith(env, bin, ['run', '-x', 'bash', '-a', app]);
    await screen.waitFor(/^~ \$/m, SESSION_WAIT_MS);
    await screen.send('echo "D=$DYNO"\r', /^D=run\.\d+$/m);
    screen.proc.write('exit 3\r');
    const exit = await screen.waitExit(SESSION_WAIT_MS);
    assert.equal(exit.exitCode, 3, `the remote status; screen:\n${screen.text()}`);
    assert.match(screen.text(), /Error: Process exited with code 3/);
    assert.doesNotMatch(screen.text(), /heroku-command-exit-status/, 'the CLI hides its status line');
    const run = api.state.runs[runsBefore];
    assert.ok(run);
    assert.equal(run.command, 'launcher bash ; echo "\uFFFF heroku-command-exit-status: $?"');
  });

  it('heroku run refuses the rendezvous when its certificate is not trusted (real TLS verification)', async (t) => {
    const untrusted = { ...env };
    delete untrusted.NODE_EXTRA_CA_CERTS;
    const sessionsBefore = rendezvous.sessions.length;
    const r = await execa(bin, ['run', 'bash', '-a', 'acme-billing'], {
      env: untrusted,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: CLI_TIMEOUT_MS,
      encoding: 'utf8',
    });
    t.diagnostic(`without NODE_EXTRA_CA_CERTS: exit ${String(r.exitCode)}`);
    printStderr(t, r.stderr);
    assert.notEqual(r.exitCode, 0);
    assert.match(stripAnsi(r.stderr), /certificate/i);
    assert.equal(rendezvous.sessions.length, sessionsBefore, 'no secret was sent over an unverified connection');
  });

  it('dynotty --source cli lists the fake\'s apps through the real CLI, and r opens a run session end to end', async (t) => {
    const help = await execa(process.execPath, [cliPath, '--help'], { reject: false, stdin: 'ignore', encoding: 'utf8' });
    assert.match(help.stdout, /--source/, 'dynotty has --source');
    const runsBefore = api.state.runs.length;
    const from = api.requests.length;
    // CI=true as the e2e harness sets it (Ink must draw every frame on the CI machine).
    const screen = screenWith({ ...env, CI: 'true' }, process.execPath, [cliPath, '--source', 'cli', '--heroku-bin', bin], { cols: 110, rows: 32 });
    const started = Date.now();
    const names = api.state.apps.map((a) => a.name);
    await screen.waitFor((s) => names.every((n) => s.includes(n)) && /heroku CLI/.test(s), SESSION_WAIT_MS);
    t.diagnostic(`apps listed through the real CLI after ${Date.now() - started} ms`);
    const first = [...names].sort()[0] ?? '';
    await screen.waitFor(new RegExp(`DYNOS ${first}`), SESSION_WAIT_MS);

    await screen.send('r', /^~ \$/m, SESSION_WAIT_MS);
    const text = await screen.send('echo "D=$DYNO"\r', /^D=run\.\d+$/m);
    const dyno = /^D=(run\.\d+)$/m.exec(text)?.[1] ?? '';
    assert.match(text, new RegExp(`up, ${dyno.replace('.', '\\.')}`), 'the CLI\'s progress shows in the session pane');
    await screen.send('exit\r', /exited with status 0 after/, SESSION_WAIT_MS);
    await screen.send('\r', (s) => s.includes(`DYNOS ${first}`) && !s.includes('exited with status'));
    screen.proc.write('q');
    const exit = await screen.waitExit(10_000);
    assert.equal(exit.exitCode, 0, 'dynotty quit cleanly');

    const run = api.state.runs[runsBefore];
    assert.ok(run, 'dynotty\'s r reached POST /apps/APP/dynos through the CLI');
    assert.equal(run.app, first);
    assert.equal(run.dyno, dyno);
    assert.equal(run.command, 'bash');
    const session = rendezvous.sessions.find((s) => s.secret === run.secret);
    assert.ok(session);
    await session.done;
    assert.equal(session.exitCode, 0);
    const requests = requestsSince(api, from);
    assertAuthenticated(requests);
    assert.ok(requests.some((q) => q.path === '/users/~/apps'), 'listed through heroku apps --json');
    assert.ok(requests.some((q) => q.path === `/apps/${first}/dynos` && q.method === 'GET'), 'listed through heroku ps --json');
  });
});
