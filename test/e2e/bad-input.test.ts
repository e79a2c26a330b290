// Bad input through the built CLI and the fakes, the cases sources.test.ts does not cover:
// each gives a clear message naming the request or command, the UI keeps working, and R
// (one key) lists once the source is well again. Also a fleet of 100,000 dynos, which must
// leave the keys responsive.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { appJson, dynoJson, FAKE_TOKEN, startFakeApi, type FailRule, type FakeApi } from '../fakes/fake-api.js';
import { fakeHerokuBin, readFakeHerokuLog } from '../fakes/fake-heroku.js';
import { assertTerminalRestored } from '../helpers/dynotty.js';
import { isAlive, processesWithEnv, waitUntil } from '../helpers/processes.js';
import { keys, type PtyScreen } from '../helpers/pty-screen.js';
import { cleanupSources, cliFixture, freshDir, herokuStateOf, launch, PATH_FAKE_HEROKU_NO_SSH, PATH_WITHOUT_HEROKU, sharedFleet } from '../helpers/sources.js';

after(cleanupSources);

const APPS_PATH = /^\/users\/~\/apps/;
const PANEL = /R retries · q quits/;
const LISTED = (t: string): boolean => /APPS 5/.test(t) && !t.includes('Could not list') && !t.includes('refresh failed');

async function quitCleanly(screen: PtyScreen): Promise<void> {
  screen.proc.write('q');
  const { exitCode } = await screen.waitExit();
  assert.equal(exitCode, 0);
  assertTerminalRestored(screen, 'EXIT=0');
}

function launchApi(api: FakeApi, cols = 160): PtyScreen {
  return launch(['--source', 'api'], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN }, cols });
}

/** The panel's text for a failed first listing; then R, with the source well again, lists. */
async function failsThenRetries(api: FakeApi, expected: RegExp, heal: () => void = () => undefined, timeoutMs = 10_000): Promise<string> {
  const screen = launchApi(api);
  const text = await screen.waitFor(PANEL, timeoutMs);
  assert.match(text, /Could not list your apps/);
  assert.match(text, expected);
  assert.doesNotMatch(text, /at .*\.js:\d+|Error:/, 'no stack trace, no raw exception');
  // The UI still takes keys: help opens and closes over the panel.
  await screen.send('?', /dynotty keys/);
  await screen.send(keys.esc, (t) => PANEL.test(t) && !t.includes('dynotty keys'));
  heal();
  await screen.send('R', LISTED, 10_000);
  await quitCleanly(screen);
  return text;
}

describe('the Platform API misbehaving on the apps list: a clear message, and R lists', () => {
  const cases: { what: string; rule: FailRule; expected: RegExp }[] = [
    {
      what: '403 forbidden',
      rule: { path: APPS_PATH, status: 403 },
      expected: /GET \/users\/~\/apps: You do not have access to the app\.[\s\S]*ask the app's owner/,
    },
    {
      what: 'an HTML page with status 200',
      rule: { path: APPS_PATH, status: 200, body: '<!DOCTYPE html><html><body><h1>Heroku | Welcome</h1></body></html>' },
      expected: /GET \/users\/~\/apps: expected JSON, got text\/html \(HTTP 200\)/,
    },
    {
      what: 'malformed JSON',
      rule: { path: APPS_PATH, status: 200, body: '[{"id": "0b1", "name": ', headers: { 'Content-Type': 'application/json' } },
      expected: /GET \/users\/~\/apps: expected JSON, got text that does not parse as JSON \(HTTP 200\)/,
    },
    {
      what: 'an empty body',
      rule: { path: APPS_PATH, status: 200, body: '', headers: { 'Content-Type': 'application/json' } },
      expected: /GET \/users\/~\/apps: expected JSON, got text that does not parse as JSON \(HTTP 200\)/,
    },
    {
      what: 'JSON that is not a list',
      rule: { path: APPS_PATH, status: 200, body: { id: 'not_a_list' } },
      expected: /GET \/users\/~\/apps: expected a JSON array, got/,
    },
    {
      what: 'a 502 HTML page from the router',
      rule: { path: APPS_PATH, status: 502, body: '<html><body>Bad Gateway</body></html>' },
      expected: /GET \/users\/~\/apps: Heroku answered HTTP 502[\s\S]*status\.heroku\.com/,
    },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const api = await startFakeApi({ state: sharedFleet(), failNext: [c.rule] });
      try {
        await failsThenRetries(api, c.expected);
        assert.equal(api.failNext.length, 0, 'the failure was served');
      } finally {
        await api.close();
      }
    });
  }

  it('429 twice (Retry-After honoured once): rate-limited, and R lists', async () => {
    const rule: FailRule = { path: APPS_PATH, status: 429, headers: { 'Retry-After': '1' } };
    const api = await startFakeApi({ state: sharedFleet(), failNext: [rule, { ...rule }] });
    try {
      await failsThenRetries(api, /GET \/users\/~\/apps: Your account reached the API rate limit[\s\S]*wait a minute/);
    } finally {
      await api.close();
    }
  });

  it('connections reset: unreachable, and R lists once the API is back', async () => {
    const api = await startFakeApi({ state: sharedFleet(), down: true });
    try {
      await failsThenRetries(api, /GET \/account: could not reach 127\.0\.0\.1:\d+|could not reach/, () => (api.down = false));
    } finally {
      await api.close();
    }
  });

  it('an API that never answers: a timeout after 15 s, and R lists once it answers', async () => {
    const api = await startFakeApi({ state: sharedFleet(), hang: APPS_PATH });
    try {
      const started = Date.now();
      await failsThenRetries(api, /GET \/users\/~\/apps: no answer from the Heroku API within 15 s[\s\S]*check your network/, () => (api.hang = null), 25_000);
      assert.ok(Date.now() - started >= 15_000, 'the timeout was waited for');
    } finally {
      await api.close();
    }
  });
});

/**
 * The fake CLI behind a wrapper that reads its switches (FAKE_HEROKU_*) from a file at
 * every call, so a test can make it fail, then heal it before R.
 */
function switchableCli(): { bin: string; env: Record<string, string>; logFile: string; stateFile: string; set: (switches: Record<string, string>) => void } {
  const cli = cliFixture(herokuStateOf(sharedFleet()));
  const dir = freshDir('switchable-cli');
  const switches = path.join(dir, 'switches.sh');
  const bin = path.join(dir, 'heroku');
  writeFileSync(bin, `#!/bin/sh\nset -a\n. '${switches}'\nexec '${fakeHerokuBin}' "$@"\n`);
  chmodSync(bin, 0o755);
  const set = (values: Record<string, string>): void =>
    writeFileSync(switches, Object.entries(values).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'\n`).join(''));
  set({});
  return { bin, env: cli.env, logFile: cli.logFile, stateFile: cli.stateFile, set };
}

function launchCli(cli: ReturnType<typeof switchableCli>): PtyScreen {
  return launch(['--source', 'cli', '--heroku-bin', cli.bin], { path: PATH_FAKE_HEROKU_NO_SSH, env: cli.env, cols: 160 });
}

describe('the heroku CLI misbehaving: a clear message, warnings only with a failure, and R lists', () => {
  it('`heroku apps --json` printing nothing: said; R lists once it prints', async () => {
    const cli = switchableCli();
    cli.set({ FAKE_HEROKU_EMPTY: 'apps' });
    const screen = launchCli(cli);
    const text = await screen.waitFor(PANEL, 15_000);
    assert.match(text, /heroku apps --json: printed nothing/);
    cli.set({});
    await screen.send('R', LISTED, 15_000);
    await quitCleanly(screen);
  });

  it('`heroku ps` printing HTML for one app marks that app; R clears the mark', async () => {
    const cli = switchableCli();
    cli.set({ FAKE_HEROKU_GARBAGE: 'ps@acme-vault' });
    const screen = launchCli(cli);
    await screen.waitFor(/APPS 5/, 15_000);
    const vault = await screen.send('/', /Enter keep/).then(() => screen.send('acme-vault', /compare ways in: acme-vault/));
    assert.match(vault, /acme-vault .*●0 !/);
    assert.match(vault, /! heroku ps --json -a acme-vault: printed something other than JSON/);
    cli.set({});
    await screen.send(keys.enter, /filter: /);
    await screen.send('R', (t) => /acme-vault +shield ●2 /.test(t) && !t.includes('! heroku ps'), 15_000);
    await quitCleanly(screen);
  });

  it('a failing `heroku apps` shows its error without its update warning; a succeeding one shows no warning at all', async () => {
    const cli = switchableCli();
    cli.set({ FAKE_HEROKU_UPDATE_NOTICE: '1', FAKE_HEROKU_FAIL: 'apps:1:Internal server error. Please try again.' });
    const screen = launchCli(cli);
    const text = await screen.waitFor(PANEL, 15_000);
    assert.match(text, /heroku apps --json: .*Internal server error\. Please try again\./);
    assert.doesNotMatch(text, /update available|Warning/, 'the warning is not the problem');
    cli.set({ FAKE_HEROKU_UPDATE_NOTICE: '1' });
    const listed = await screen.send('R', LISTED, 15_000);
    assert.doesNotMatch(listed, /update available|Warning/, 'warnings of a command that worked are not shown');
    await quitCleanly(screen);
  });

  it('a `heroku apps` that hangs: stopped after its 20 s timeout, said, nothing left running; R lists', async () => {
    const cli = switchableCli();
    cli.set({ FAKE_HEROKU_HANG: 'apps' });
    const screen = launchCli(cli);
    await waitUntil(() => readFakeHerokuLog(cli.logFile).some((e) => e.argv[0] === 'apps'), 10_000, 'heroku apps to start');
    const hung = processesWithEnv('FAKE_HEROKU_STATE', cli.stateFile).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes('apps');
      } catch {
        return false;
      }
    });
    assert.ok(hung.length >= 1, 'the hanging CLI is running');
    const text = await screen.waitFor(PANEL, 30_000);
    assert.match(text, /heroku apps --json: .*(20 s|timed out|no answer)/);
    await waitUntil(() => hung.every((p) => !isAlive(p)), 5000, 'the hung heroku to be stopped');
    cli.set({});
    await screen.send('R', LISTED, 15_000);
    await quitCleanly(screen);
  });
});

describe('100,000 dynos', () => {
  it('list, and a key still moves the cursor within a bounded time', async () => {
    const state = sharedFleet();
    const big = 'acme-huge-fleet';
    state.apps.push(appJson({ name: big }));
    state.dynos[big] = Array.from({ length: 100_000 }, (_, i) => dynoJson({ app: big, name: `web.${i + 1}`, command: `bin/web --shard ${i + 1}` }));
    state.features[big] = { 'runtime-heroku-exec': true };
    const api = await startFakeApi({ state, maxPageSize: 1000 });
    try {
      const screen = launch(['--source', 'api', '-a', big], { path: PATH_WITHOUT_HEROKU, env: { HEROKU_HOST: api.url, HEROKU_API_KEY: FAKE_TOKEN }, cols: 140, rows: 40 });
      await screen.waitFor(/DYNOS acme-huge-fleet \(100000\)/, 60_000);
      await screen.send(keys.tab, /compare ways in: acme-huge-fleet · web\.1\b/);
      // A bound generous enough for a shared 2-CPU machine; frozen would be seconds or never.
      const BOUND_MS = 2000;
      const timed = async (key: string, expect: RegExp): Promise<number> => {
        const t0 = Date.now();
        await screen.send(key, expect, BOUND_MS);
        return Date.now() - t0;
      };
      const times = [
        await timed('j', /compare ways in: acme-huge-fleet · web\.10\b/),
        await timed('G', /compare ways in: acme-huge-fleet · web\.99999\b/),
        await timed('k', /compare ways in: acme-huge-fleet · web\.99998\b/),
        await timed('g', /compare ways in: acme-huge-fleet · web\.1\b/),
      ];
      assert.ok(times.every((t) => t < BOUND_MS), `keys answered in ${times.join(', ')} ms`);
      await quitCleanly(screen);
    } finally {
      await api.close();
    }
  });
});
