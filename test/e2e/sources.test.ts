// Real sources end to end: dynotty in a real pty, listing through the fake Platform API
// (--source api, HEROKU_HOST) or the fake `heroku` CLI (--source cli), handing sessions
// to the CLI with the exact argv, choosing the app at start, and surviving failures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { FakeApiState } from '../fakes/fake-api.js';
import { FAKE_ACCOUNT, FAKE_TOKEN, startFakeApi } from '../fakes/fake-api.js';
import type { FakeHerokuInvocation } from '../fakes/fake-heroku.js';
import { fakeHerokuBin, readFakeHerokuLog } from '../fakes/fake-heroku.js';
import { assertTerminalRestored } from '../helpers/dynotty.js';
import { isAlive, processesWithEnv, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';
import {
  cleanupSources,
  cliFixture,
  escapeRegExp as esc,
  FLEET_EMAIL,
  freshDir,
  herokuStateOf,
  launch,
  onPath,
  PATH_FAKE_HEROKU_NO_SSH,
  PATH_FAKE_HEROKU_WITH_SSH,
  PATH_WITHOUT_HEROKU,
  sharedFleet,
  shortSize,
} from '../helpers/sources.js';

after(cleanupSources);

const APPS = ['acme-billing', 'acme-ml-fir', 'acme-storefront', 'acme-vault', 'sideproject-eco'];
const APPS_PATH = /^\/users\/~\/apps/;
const SESSION_COMMANDS = new Set(['run', 'ps:exec', 'run:inside']);

/** The API's environment for dynotty: the fake's URL and the token it accepts. */
function apiEnv(url: string, token = FAKE_TOKEN): Record<string, string> {
  return { HEROKU_HOST: url, HEROKU_API_KEY: token };
}

async function quitCleanly(screen: PtyScreen): Promise<void> {
  screen.proc.write('q');
  const { exitCode } = await screen.waitExit();
  assert.equal(exitCode, 0);
  assertTerminalRestored(screen, 'EXIT=0');
}

/** Filters down to an app (and a dyno), as a user would: `/`, the names, Enter. */
async function selectTarget(screen: PtyScreen, app: string, dyno?: string): Promise<string> {
  if (screen.text().includes('filter: ')) await screen.send(keys.esc, (t) => !t.includes('filter: '));
  await screen.send('/', /Enter keep/);
  const target = new RegExp(`compare ways in: ${esc(app)}${dyno === undefined ? '' : ` · ${esc(dyno)}`}`);
  await screen.send(dyno === undefined ? app : `${app} ${dyno}`, target);
  return screen.send(keys.enter, (t) => t.includes('filter: ') && target.test(t));
}

type Listing = Record<string, string[]>;

/**
 * Each app's dynos as the DYNOS pane shows them (`name state size`), read by walking the
 * apps list from the top; each row is checked against the fleet state on the way.
 */
async function readListing(screen: PtyScreen, state: FakeApiState): Promise<Listing> {
  const names = state.apps.map((a) => a.name).sort();
  const listing: Listing = {};
  for (const [i, app] of names.entries()) {
    const dynos = state.dynos[app] ?? [];
    const title = new RegExp(`DYNOS ${esc(app)} \\(${dynos.length}\\)`);
    const text = await screen.send(i === 0 ? 'g' : 'j', title);
    const shield = state.apps.find((a) => a.name === app)?.space?.shield === true;
    listing[app] = dynos
      .map((d) => {
        const row = new RegExp(` ${esc(d.name)} +([a-z]+) +(\\S+) `).exec(text);
        assert.ok(row, `${app} ${d.name} listed:\n${text}`);
        const [, shownState = '', shownSize = ''] = row;
        assert.equal(shownState, d.state, `${app} ${d.name} state`);
        const size = shortSize(shield ? d.size.replace('Private-', 'Shield-') : d.size);
        assert.ok(size.startsWith(shownSize.replace(/…$/, '')), `${app} ${d.name}: size ${shownSize} is ${size}`);
        return `${d.name} ${shownState} ${shownSize}`;
      })
      .sort();
  }
  return listing;
}

/** The fake CLI's session calls, oldest first; asserts nothing but listing followed the last one. */
function lastSessionArgv(logFile: string): string[] | undefined {
  const log = readFakeHerokuLog(logFile);
  let i = log.length - 1;
  while (i >= 0 && !SESSION_COMMANDS.has(log[i]?.argv[0] ?? '')) i--;
  for (const later of log.slice(i + 1)) assert.ok(['apps', 'ps', 'auth:whoami'].includes(later.argv[0] ?? ''), `only listing after the session: ${later.argv.join(' ')}`);
  return log[i]?.argv;
}

function sessionCount(logFile: string): number {
  return readFakeHerokuLog(logFile).filter((e) => SESSION_COMMANDS.has(e.argv[0] ?? '')).length;
}

/** Opens a session with `key`, checks the argv the CLI got, proves the shell is the dyno's, and ends it. */
async function handOff(
  screen: PtyScreen,
  logFile: string,
  key: string,
  header: RegExp,
  argv: string[],
  dynoPattern: RegExp,
): Promise<void> {
  const before = sessionCount(logFile);
  await screen.send(key, header);
  await waitUntil(() => sessionCount(logFile) === before + 1, 5000, `heroku ${argv[0]} to be started`);
  assert.deepEqual(lastSessionArgv(logFile), argv);
  await screen.waitFor(/^~ \$/m, 8000);
  const out = await screen.send('echo "D=$DYNO"\r', new RegExp(`D=${dynoPattern.source}\\s`), 8000);
  assert.match(out, header);
  await screen.send('exit\r', /exited with status 0 after/);
  await screen.send(keys.enter, (t) => t.includes('compare ways in') && !t.includes('exited with status'));
}

let apiListing: Listing | null = null;

describe('real sources in a real terminal', () => {
  it('--source api lists the fake API fleet: account, source, app count, dynos; exec off shows as "not enabled"', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    try {
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url) });
      let text = await screen.waitFor(/APPS 5/);
      assert.match(text, new RegExp(`${esc(FLEET_EMAIL)} │ Platform API │ 5 apps │ updated`));
      for (const name of APPS) assert.ok(text.includes(name), `${name} listed`);
      apiListing = await readListing(screen, api.state);

      text = await selectTarget(screen, 'acme-billing', 'web.1');
      assert.match(text, /exec not enabled: restarts all dynos/);
      text = await selectTarget(screen, 'acme-storefront', 'web.1');
      assert.match(text, /live dyno web\.1/, 'exec on: no warning');
      assert.doesNotMatch(text, /exec not enabled/);

      assert.ok(api.requests.length > 0);
      for (const r of api.requests) assert.deepEqual([r.auth, r.authScheme], ['valid', 'Bearer'], `${r.method} ${r.path}`);
      const paths = new Set(api.requests.map((r) => r.path));
      assert.ok(paths.has('/account'));
      for (const name of APPS) assert.ok(paths.has(`/apps/${name}/dynos`), `${name}'s dynos asked for`);
      assert.ok(!paths.has('/apps/acme-ml-fir/features/runtime-heroku-exec'), 'no exec feature on Fir');

      // Listing needs no CLI; sessions do, and there is none on this PATH: said, not crashed.
      await screen.send('r', /Sessions run through the heroku CLI/);
      await screen.send(keys.enter, (t) => !t.includes('Sessions run through') && /compare ways in: acme-storefront/.test(t));
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it('--source cli --heroku-bin lists the same fleet through `apps --json` and `ps --json -a APP`', async () => {
    const fleet = sharedFleet();
    const cli = cliFixture(herokuStateOf(fleet));
    assert.equal(onPath('heroku', PATH_WITHOUT_HEROKU), false, 'no heroku on the PATH: --heroku-bin is what runs');
    const screen = launch(['--source', 'cli', '--heroku-bin', fakeHerokuBin], { path: PATH_WITHOUT_HEROKU, env: cli.env });
    const text = await screen.waitFor(new RegExp(`${esc(FLEET_EMAIL)} │ heroku CLI │ 5 apps`));
    for (const name of APPS) assert.ok(text.includes(name), `${name} listed`);
    const listing = await readListing(screen, fleet);
    if (apiListing !== null) assert.deepEqual(listing, apiListing, 'the CLI lists what the API lists');

    const calls = readFakeHerokuLog(cli.logFile).map((e: FakeHerokuInvocation) => JSON.stringify(e.argv));
    assert.equal(calls.filter((c) => c === JSON.stringify(['apps', '--json'])).length, 1, calls.join('\n'));
    for (const name of APPS) {
      assert.equal(calls.filter((c) => c === JSON.stringify(['ps', '--json', '-a', name])).length, 1, `ps for ${name}:\n${calls.join('\n')}`);
    }
    const expected = new Set([['apps', '--json'], ['auth:whoami'], ...APPS.map((a) => ['ps', '--json', '-a', a])].map((a) => JSON.stringify(a)));
    for (const c of calls) assert.ok(expected.has(c), `unexpected heroku call ${c}`);
    await quitCleanly(screen);
  });

  it('--source auto finds the token in ~/.netrc for the HEROKU_HOST machine and lists through the API', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    try {
      const home = freshDir('home');
      writeFileSync(path.join(home, '.netrc'), `machine ${new URL(api.url).host}\n  login ${FLEET_EMAIL}\n  password ${FAKE_TOKEN}\n`, { mode: 0o600 });
      const screen = launch([], { home, path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url } });
      await screen.waitFor(new RegExp(`${esc(FLEET_EMAIL)} │ Platform API │ 5 apps`));
      assert.ok(api.requests.length > 0 && api.requests.every((r) => r.auth === 'valid'));
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it('--source auto asks `heroku auth:token` when nothing else has a token, then lists through the API', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    try {
      const cli = cliFixture(herokuStateOf(api.state));
      const screen = launch([], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, HEROKU_HOST: api.url } });
      await screen.waitFor(new RegExp(`${esc(FLEET_EMAIL)} │ Platform API │ 5 apps`));
      assert.deepEqual(readFakeHerokuLog(cli.logFile).map((e) => e.argv), [['auth:token']], 'the CLI only gave its token');
      assert.ok(api.requests.every((r) => r.auth === 'valid'));
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it('sessions hand the CLI the exact argv (run with --size, ps:exec without --ssh, run:inside on Fir), never the token', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const secret = 'HRKU-secret-value-that-must-never-be-on-an-argv';
    assert.equal(onPath('ssh', PATH_FAKE_HEROKU_NO_SSH), false);
    assert.equal(onPath('heroku', PATH_FAKE_HEROKU_NO_SSH), true);
    const screen = launch(['--source', 'cli', '--size', 'Standard-2X'], {
      path: PATH_FAKE_HEROKU_NO_SSH,
      env: { ...cli.env, HEROKU_API_KEY: secret },
      cols: 120,
      rows: 32,
    });
    await screen.waitFor(/heroku CLI │ 5 apps/);

    let text = await selectTarget(screen, 'acme-storefront', 'web.1');
    assert.match(text, /r \$ heroku run bash -a acme-storefront --size Standard-2X$/m);
    assert.match(text, /x \$ heroku ps:exec -a acme-storefront --dyno web\.1$/m);
    await handOff(screen, cli.logFile, 'r', /run bash · acme-storefront/, ['run', 'bash', '-a', 'acme-storefront', '--size', 'Standard-2X'], /run\.\d{4}/);
    await handOff(screen, cli.logFile, 'x', /ps:exec · acme-storefront · web\.1/, ['ps:exec', '-a', 'acme-storefront', '--dyno', 'web.1'], /web\.1/);

    const fir = 'web-848cd4f64d-pvpr2';
    text = await selectTarget(screen, 'acme-ml-fir', fir);
    assert.match(text, new RegExp(`x \\$ heroku run:inside ${fir} bash -a acme-ml-fir$`, 'm'));
    await handOff(screen, cli.logFile, 'x', new RegExp(`run:inside · acme-ml-fir · ${fir}`), ['run:inside', fir, 'bash', '-a', 'acme-ml-fir'], new RegExp(fir));

    const log = readFakeHerokuLog(cli.logFile);
    assert.ok(log.length >= 10);
    for (const entry of log) {
      assert.equal(entry.apiKeySet, true, `the CLI got HEROKU_API_KEY through its environment: ${entry.argv.join(' ')}`);
      assert.ok(!entry.argv.some((a) => a.includes(secret)), `no token on ${entry.argv.join(' ')}`);
    }
    assert.ok(!readFileSync(cli.logFile, 'utf8').includes(secret), 'the log never holds the token');
    assert.ok(!screen.raw.includes(secret), 'the token is never shown');
    await quitCleanly(screen);
  });

  it('with ssh on the PATH, ps:exec gets --ssh; without --size, run gets none', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    assert.equal(onPath('ssh', PATH_FAKE_HEROKU_WITH_SSH), true);
    const screen = launch(['--source', 'cli'], { path: PATH_FAKE_HEROKU_WITH_SSH, env: cli.env, cols: 120, rows: 32 });
    await screen.waitFor(/heroku CLI │ 5 apps/);
    const text = await selectTarget(screen, 'acme-storefront', 'web.1');
    assert.match(text, /r \$ heroku run bash -a acme-storefront$/m);
    assert.match(text, /x \$ heroku ps:exec -a acme-storefront --dyno web\.1 --ssh$/m);
    await handOff(screen, cli.logFile, 'x', /ps:exec · acme-storefront · web\.1/, ['ps:exec', '-a', 'acme-storefront', '--dyno', 'web.1', '--ssh'], /web\.1/);
    await handOff(screen, cli.logFile, 'r', /run bash · acme-storefront/, ['run', 'bash', '-a', 'acme-storefront'], /run\.\d{4}/);
    assert.ok(readFakeHerokuLog(cli.logFile).every((e) => !e.apiKeySet), 'no HEROKU_API_KEY invented');
    await quitCleanly(screen);
  });
});

describe('the app selected at start', () => {
  const gitRepo = (remotes: Record<string, string>): string => {
    const dir = freshDir('repo');
    const git = (...args: string[]): void => void execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, HOME: dir }, stdio: 'ignore' });
    git('init', '-q');
    for (const [remote, app] of Object.entries(remotes)) git('remote', 'add', remote, `https://git.heroku.com/${app}.git`);
    return dir;
  };

  it('comes from -a, HEROKU_APP, the one Heroku remote, or -r; two remotes are listed in the header', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    try {
      const cases: { what: string; args: string[]; env?: Record<string, string>; cwd?: string; expect: RegExp }[] = [
        { what: '-a', args: ['-a', 'acme-storefront'], expect: /compare ways in: acme-storefront · / },
        { what: 'HEROKU_APP', args: [], env: { HEROKU_APP: 'acme-vault' }, expect: /compare ways in: acme-vault · / },
        { what: 'one git remote', args: [], cwd: gitRepo({ heroku: 'acme-ml-fir' }), expect: /compare ways in: acme-ml-fir · / },
        {
          what: '-r in a repo with two remotes',
          args: ['-r', 'production'],
          cwd: gitRepo({ staging: 'sideproject-eco', production: 'acme-storefront' }),
          expect: /compare ways in: acme-storefront · /,
        },
      ];
      for (const c of cases) {
        const screen = launch(['--source', 'api', ...c.args], { path: PATH_WITHOUT_HEROKU, env: { ...apiEnv(api.url), ...c.env }, cwd: c.cwd });
        // The comparison's title is drawn below the lists: with it on screen, the frame is whole.
        const text = await screen.waitFor(/APPS 5[\s\S]*compare ways in: /);
        assert.match(text, c.expect, c.what);
        assert.doesNotMatch(text, /remotes: /, c.what);
        await quitCleanly(screen);
      }

      const missing = launch(['--source', 'api', '-a', 'not-in-this-fleet'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url) });
      await missing.waitFor(/not-in-this-fleet \(from --app\) is not among the apps/);
      await missing.send(keys.enter, (t) => /compare ways in: acme-billing/.test(t) && !t.includes('not-in-this-fleet'));
      await quitCleanly(missing);

      const twoRemotes = gitRepo({ staging: 'sideproject-eco', production: 'acme-storefront' });
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url), cwd: twoRemotes, cols: 160 });
      const text = await screen.waitFor(/APPS 5[\s\S]*compare ways in: /);
      assert.match(text, /remotes: production→acme-storefront staging→sideproject-eco/);
      assert.match(text, /compare ways in: acme-billing · /, 'neither remote is chosen: the first app is');
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });
});

describe('failures: said where the lists would be, and the UI lives on', () => {
  it('a wrong token: the panel names the request and HEROKU_API_KEY; R lists once the token is good', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    try {
      const wrong = 'hrku-wrong-token-0000000000000000000000000000';
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url, wrong), cols: 160 });
      const text = await screen.waitFor(/R retries · q quits/);
      assert.match(text, /Could not list your apps/);
      assert.match(text, /GET \/(account|users\/~\/apps): The token provided to HEROKU_API_KEY is invalid\./);
      assert.ok(api.requests.every((r) => r.auth === 'invalid' && r.status === 401));
      assert.ok(!screen.raw.includes(wrong), 'the token is never shown');

      api.state.accounts[wrong] = { ...FAKE_ACCOUNT, email: FLEET_EMAIL };
      const listed = await screen.send('R', (t) => /APPS 5/.test(t) && !t.includes('Could not list'));
      assert.match(listed, new RegExp(`${esc(FLEET_EMAIL)} │ Platform API │ 5 apps`));
      assert.doesNotMatch(listed, /refresh failed/);
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it("one app's dynos failing (404, 500) marks only that app; the others list", async () => {
    const api = await startFakeApi({
      state: sharedFleet(),
      failNext: [
        { path: /^\/apps\/acme-billing\/dynos/, status: 404 },
        { path: /^\/apps\/acme-vault\/dynos/, status: 500 },
      ],
    });
    try {
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url) });
      let text = await screen.waitFor(/APPS 5/);
      assert.match(text, /acme-billing .*●0 !/);
      assert.match(text, /acme-vault .*●0 !/);
      assert.match(text, /acme-storefront .*●\d+ *$/m, 'no mark on a good app');
      assert.doesNotMatch(text, /refresh failed|Could not list/);

      text = await selectTarget(screen, 'acme-billing');
      assert.match(text, /! GET \/apps\/acme-billing\/dynos: Couldn't find that app\./);
      text = await selectTarget(screen, 'acme-vault');
      assert.match(text, /! GET \/apps\/acme-vault\/dynos: Heroku answered HTTP 500/);
      text = await selectTarget(screen, 'acme-storefront');
      assert.match(text, /DYNOS acme-storefront \(4\)/);
      assert.match(text, / web\.2 +up /);
      assert.doesNotMatch(text, /! GET/);
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it("one app's `heroku ps` failing marks only that app", async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch(['--source', 'cli'], {
      path: PATH_FAKE_HEROKU_NO_SSH,
      env: { ...cli.env, FAKE_HEROKU_FAIL: "ps@acme-vault:2:Couldn't find that app." },
    });
    let text = await screen.waitFor(/APPS 5/);
    assert.match(text, /acme-vault .*●0 !/);
    assert.doesNotMatch(text, /acme-billing .*!/);
    text = await selectTarget(screen, 'acme-vault');
    assert.match(text, /! heroku ps --json -a acme-vault: Couldn't find that app\./);
    text = await selectTarget(screen, 'acme-billing', 'web.1');
    assert.match(text, / web\.1 +up /);
    assert.doesNotMatch(text, /! heroku ps/);
    await quitCleanly(screen);
  });

  it('a 429 with Retry-After is waited out, then the fleet lists', async () => {
    const api = await startFakeApi({ state: sharedFleet(), failNext: [{ path: APPS_PATH, status: 429, headers: { 'Retry-After': '1' } }] });
    try {
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url) });
      const text = await screen.waitFor(/APPS 5/, 10_000);
      assert.doesNotMatch(text, /refresh failed|Could not list/);
      const listings = api.requests.filter((r) => APPS_PATH.test(r.path));
      assert.deepEqual(listings.map((r) => r.status).slice(0, 2), [429, 200]);
      const [first, second] = listings;
      assert.ok(first && second && second.startedAt - (first.finishedAt ?? first.startedAt) >= 900, 'the retry waited for Retry-After');
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it('a 503 on the apps list: the panel with a hint; R lists', async () => {
    const api = await startFakeApi({ state: sharedFleet(), failNext: [{ path: APPS_PATH, status: 503 }] });
    try {
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url) });
      const text = await screen.waitFor(/R retries · q quits/);
      assert.match(text, /Could not list your apps/);
      assert.match(text, /GET \/users\/~\/apps: Heroku answered HTTP 503/);
      assert.match(text, /status\.heroku\.com/);
      await screen.send('R', (t) => /APPS 5/.test(t) && !t.includes('Could not list'));
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });

  it('an API that refuses connections: the panel says it could not reach the host', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    const url = api.url;
    await api.close();
    const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(url) });
    const text = await screen.waitFor(/R retries · q quits/);
    assert.match(text, /Could not list your apps/);
    assert.match(text, new RegExp(`could not reach ${esc(url.replace('http://', ''))} \\(ECONNREFUSED\\)`));
    await quitCleanly(screen);
  });

  it('garbage from `heroku apps --json`: the panel names the command', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch(['--source', 'cli'], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_GARBAGE: 'apps' } });
    const text = await screen.waitFor(/R retries · q quits/);
    assert.match(text, /Could not list your apps/);
    assert.match(text, /heroku apps --json: printed something other than JSON/);
    await quitCleanly(screen);
  });

  it('the CLI logged out, with --source cli: the panel says not logged in and to run heroku login', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch(['--source', 'cli'], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_LOGGED_OUT: '1' } });
    const text = await screen.waitFor(/R retries · q quits/);
    assert.match(text, /Could not list your apps/);
    assert.match(text, /heroku apps --json: not logged in \(run heroku login\)/);
    await quitCleanly(screen);
  });

  it('a `heroku ps` that never answers: still loading, q quits at once and the CLI is stopped', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch(['--source', 'cli'], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_HANG: 'ps@acme-vault' } });
    await waitUntil(() => readFakeHerokuLog(cli.logFile).some((e) => e.argv.includes('acme-vault')), 8000, 'heroku ps -a acme-vault to start');
    const hung = processesWithEnv('FAKE_HEROKU_STATE', cli.stateFile).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes('acme-vault');
      } catch {
        return false;
      }
    });
    assert.ok(hung.length >= 1, 'the hanging CLI is running');
    const text = await screen.waitFor(/loading…/);
    assert.match(text, /heroku CLI │ 0 apps/);
    const started = Date.now();
    await quitCleanly(screen);
    assert.ok(Date.now() - started < 5000, 'quitting does not wait for the CLI');
    await waitUntil(() => hung.every((p) => !isAlive(p)), 5000, 'the hanging heroku to be stopped');
  });
});

describe('the start screen', () => {
  it('no token, no netrc, no heroku: says so; d opens the demo fleet; q quits cleanly', async () => {
    assert.equal(onPath('heroku', PATH_WITHOUT_HEROKU), false);
    const screen = launch([], { path: PATH_WITHOUT_HEROKU });
    const text = await screen.waitFor(/d try the demo fleet/);
    assert.match(text, /No Heroku account found/);
    assert.match(text, /HEROKU_API_KEY is not set/);
    await screen.send('d', (t) => /demo fleet │ 5 apps/.test(t) && /APPS 5/.test(t));
    await quitCleanly(screen);
  });

  it('the heroku CLI logged out: "You are not logged in to Heroku"; q quits cleanly', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch([], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_LOGGED_OUT: '1' } });
    const text = await screen.waitFor(/d try the demo fleet/);
    assert.match(text, /You are not logged in to Heroku/);
    assert.match(text, /Run heroku login/);
    assert.ok(readFakeHerokuLog(cli.logFile).some((e) => e.argv[0] === 'auth:token'), 'heroku auth:token was asked');
    screen.proc.write('q');
    const { exitCode } = await screen.waitExit();
    assert.equal(exitCode, 0);
    assertTerminalRestored(screen, 'EXIT=0');
  });
});

describe('a failed refresh', () => {
  it('keeps the last good data and says "refresh failed" in the header; the next good refresh clears it', async () => {
    const api = await startFakeApi({ state: sharedFleet() });
    try {
      const screen = launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: apiEnv(api.url) });
      await screen.waitFor(/APPS 5/);
      api.failNext.push({ path: APPS_PATH, status: 503 });
      let text = await screen.send('R', /refresh failed: GET \/users\/~\/apps/);
      assert.match(text, /APPS 5/);
      for (const name of APPS) assert.ok(text.includes(name), `${name} still listed`);
      assert.match(text, /DYNOS acme-billing \(2\)/);
      assert.doesNotMatch(text, /Could not list your apps/);
      assert.equal(api.failNext.length, 0, 'the failure was served');
      text = await screen.send('R', (t) => !t.includes('refresh failed') && /APPS 5/.test(t));
      assert.match(text, /5 apps │ updated/);
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });
});
