import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliSource } from '../../src/heroku/cli-source.js';
import { parseApp, parseApps, parseDyno, parseGeneration } from '../../src/heroku/parse.js';
import { SourceError } from '../../src/heroku/errors.js';
import type { App } from '../../src/heroku/model.js';
import type { ApiApp, ApiDyno, FakeHerokuMode, FakeHerokuState } from '../fakes/fake-heroku.js';
import { fakeHerokuBin, fakeHerokuEnv, readFakeHerokuLog, sampleHerokuState, writeFakeHerokuState } from '../fakes/fake-heroku.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

let root: string;
let runs = 0;

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dynotty-cli-source-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function setup(
  mode: FakeHerokuMode & { extra?: Record<string, string> } = {},
  state: FakeHerokuState = sampleHerokuState(),
): { env: NodeJS.ProcessEnv; logFile: string; state: FakeHerokuState } {
  const dir = mkdtempSync(path.join(root, `run-${++runs}-`));
  const stateFile = writeFakeHerokuState(dir, state);
  const logFile = path.join(dir, 'log.jsonl');
  return { env: fakeHerokuEnv({ stateFile, logFile, ...mode }), logFile, state };
}

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

/** Eight plain Cedar apps with one web dyno each. */
function eightApps(): FakeHerokuState {
  const base = sampleHerokuState();
  const template = base.apps.find((a) => a.name === 'acme-storefront');
  const dyno = base.dynos['acme-storefront']?.find((d) => d.name === 'web.1');
  assert.ok(template && dyno);
  const apps: ApiApp[] = [];
  const dynos: Record<string, ApiDyno[]> = {};
  for (let i = 1; i <= 8; i++) {
    const name = `fleet-app-${i}`;
    apps.push({ ...template, id: `00000000-0000-4000-8000-00000000000${i}`, name });
    dynos[name] = [{ ...dyno, app: { id: `a${i}`, name } }];
  }
  return { ...base, apps, dynos };
}

describe('CliSource.load against the fake heroku', () => {
  it('lists the whole fleet in the model, as the state holds it', async () => {
    const { env, state } = setup();
    const source = new CliSource({ bin: 'heroku', env });
    assert.equal(source.kind, 'cli');
    assert.equal(source.label, 'heroku CLI');
    const fleet = await source.load();

    assert.equal(fleet.account, 'dev@acme.example');
    assert.deepEqual(fleet.appErrors, {});
    assert.deepEqual(
      fleet.apps.map((a) => a.name),
      ['acme-billing', 'acme-ml-fir', 'acme-storefront', 'acme-vault', 'sideproject-eco'],
    );
    const app = (name: string): App => {
      const found = fleet.apps.find((a) => a.name === name);
      assert.ok(found, name);
      return found;
    };
    assert.deepEqual(app('acme-billing'), {
      id: '6d1b0c52-3a8e-4f7d-9c21-8e4f2a7b9d10',
      name: 'acme-billing',
      ownerEmail: 'acme@herokumanager.com',
      team: 'acme',
      region: 'eu',
      space: null,
      stack: 'heroku-24',
      generation: 'cedar',
      processTier: 'production',
      maintenance: false,
      execEnabled: null,
      webUrl: 'https://acme-billing-4e1f0b2c7d9a.herokuapp.com/',
    });
    assert.equal(app('acme-ml-fir').generation, 'fir');
    assert.deepEqual(app('acme-ml-fir').space, { name: 'acme-fir', shield: false });
    assert.equal(app('acme-vault').generation, 'cedar', 'generation given as an object');
    assert.deepEqual(app('acme-vault').space, { name: 'acme-shield', shield: true });
    assert.equal(app('sideproject-eco').generation, 'cedar', 'generation absent');

    for (const a of state.apps) {
      const expected = [...(state.dynos[a.name] ?? [])].map((d) => d.name).sort();
      assert.deepEqual(fleet.dynos[a.name]?.map((d) => d.name), expected, a.name);
    }
    assert.deepEqual(fleet.dynos['acme-billing']?.find((d) => d.name === 'worker.1'), {
      id: 'b1e0d9c8-0002-4a2b-8c3d-000000000002',
      name: 'worker.1',
      type: 'worker',
      state: 'crashed',
      size: 'Standard-1X',
      command: 'bundle exec sidekiq -C config/sidekiq.yml',
      createdAt: '2025-06-20T08:00:00Z',
      updatedAt: '2025-06-20T09:58:12Z',
      appName: 'acme-billing',
      releaseVersion: 311,
    });
    assert.deepEqual(fleet.dynos['acme-vault']?.map((d) => d.size), ['Shield-M', 'Shield-M']);
    assert.equal(fleet.dynos['acme-storefront']?.[0]?.type, 'run');
    assert.deepEqual(fleet.dynos['acme-ml-fir']?.map((d) => d.type), ['web', 'web', 'worker']);
    await source.close();
  });

  it('runs exactly whoami, apps and one ps per app', async () => {
    const { env, logFile } = setup({ updateNotice: true });
    await new CliSource({ bin: fakeHerokuBin, env }).load();
    const argvs = readFakeHerokuLog(logFile)
      .map((c) => c.argv.join(' '))
      .sort();
    assert.deepEqual(argvs, [
      'apps --json',
      'auth:whoami',
      'ps --json -a acme-billing',
      'ps --json -a acme-ml-fir',
      'ps --json -a acme-storefront',
      'ps --json -a acme-vault',
      'ps --json -a sideproject-eco',
    ]);
  });

  it('marks only the app that failed', async () => {
    const { env } = setup({ fail: "ps@acme-vault:2:Couldn't find that app.", garbage: 'ps@acme-billing' });
    const fleet = await new CliSource({ bin: 'heroku', env }).load();
    assert.deepEqual(Object.keys(fleet.appErrors).sort(), ['acme-billing', 'acme-vault']);
    assert.match(fleet.appErrors['acme-vault'] ?? '', /^heroku ps --json -a acme-vault: Couldn't find that app\./);
    assert.match(fleet.appErrors['acme-billing'] ?? '', /other than JSON/);
    assert.equal(fleet.dynos['acme-vault'], undefined);
    assert.equal(fleet.dynos['acme-storefront']?.length, 4);
    assert.equal(fleet.apps.length, 5);
  });

  it('fetches the apps concurrently, at most `concurrency` at a time', async () => {
    const latencyMs = 300;
    const { env, logFile } = setup({ latencyMs }, eightApps());
    const started = Date.now();
    const fleet = await new CliSource({ bin: 'heroku', env, concurrency: 4 }).load();
    const elapsed = Date.now() - started;
    assert.equal(fleet.apps.length, 8);
    assert.deepEqual(fleet.appErrors, {});

    const ps = readFakeHerokuLog(logFile)
      .filter((c) => c.argv[0] === 'ps')
      .map((c) => c.at)
      .sort((a, b) => a - b);
    assert.equal(ps.length, 8);
    const [first, , , fourth, fifth] = ps;
    assert.ok(first !== undefined && fourth !== undefined && fifth !== undefined);
    assert.ok(fourth - first < latencyMs, 'the first four start together');
    assert.ok(fifth - first >= latencyMs * 0.9, 'the fifth waits for a free slot');
    // apps (1 round) + ps (2 rounds); one at a time would take 9 rounds.
    assert.ok(elapsed < latencyMs * 7, `took ${elapsed} ms`);
  });

  it('narrows the apps to HEROKU_TEAM, as the CLI does', async () => {
    const { env } = setup({ extra: { HEROKU_TEAM: 'acme' } });
    const fleet = await new CliSource({ bin: 'heroku', env }).load();
    assert.deepEqual(
      fleet.apps.map((a) => a.name),
      ['acme-billing', 'acme-ml-fir', 'acme-storefront', 'acme-vault'],
    );
  });

  it('gives a null account when whoami fails, and still lists', async () => {
    const { env } = setup({ fail: 'auth:whoami:1:HTTP Error 503' });
    const fleet = await new CliSource({ bin: 'heroku', env }).load();
    assert.equal(fleet.account, null);
    assert.equal(fleet.apps.length, 5);
  });

  it('rejects as not-logged-in, quickly, when logged out', async () => {
    const { env } = setup({ loggedOut: true });
    const started = Date.now();
    const error = await rejection(new CliSource({ bin: 'heroku', env, timeoutMs: 10_000 }).load());
    assert.equal(error.kind, 'not-logged-in');
    assert.equal(error.attempted, 'heroku apps --json');
    assert.ok(Date.now() - started < 5000);
  });

  it('rejects as bad-output when the app list is garbage', async () => {
    const { env } = setup({ garbage: 'apps' });
    const error = await rejection(new CliSource({ bin: 'heroku', env }).load());
    assert.equal(error.kind, 'bad-output');
    assert.equal(error.attempted, 'heroku apps --json');
  });

  it('is cancelled by the signal, leaving no heroku running', async () => {
    const { env, logFile } = setup({ hang: 'ps' });
    const controller = new AbortController();
    const pending = new CliSource({ bin: 'heroku', env, concurrency: 2 }).load(controller.signal);
    await waitFor(() => readFakeHerokuLog(logFile).filter((c) => c.argv[0] === 'ps').length === 2, 'two ps calls');
    const started = Date.now();
    controller.abort();
    const error = await rejection(pending);
    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    const calls = readFakeHerokuLog(logFile);
    assert.equal(calls.filter((c) => c.argv[0] === 'ps').length, 2, 'no queued ps started after the abort');
    for (const call of calls) assert.equal(isAlive(call.pid), false, call.argv.join(' '));
  });

  it('close() stops a load in progress', async () => {
    const { env, logFile } = setup({ hang: 'apps' });
    const source = new CliSource({ bin: 'heroku', env });
    const pending = source.load();
    await waitFor(() => readFakeHerokuLog(logFile).some((c) => c.argv[0] === 'apps'), 'apps to start');
    await source.close();
    const error = await rejection(pending);
    assert.equal(error.kind, 'cancelled');
    for (const call of readFakeHerokuLog(logFile)) assert.equal(isAlive(call.pid), false);
  });
});

describe('parsing the API shapes', () => {
  const attempted = 'heroku apps --json';

  it('reads the generation as a string, an object, or absent', () => {
    assert.equal(parseGeneration('fir'), 'fir');
    assert.equal(parseGeneration({ id: 'x', name: 'fir' }), 'fir');
    assert.equal(parseGeneration('cedar'), 'cedar');
    assert.equal(parseGeneration(undefined), 'cedar');
    assert.equal(parseGeneration(42), 'cedar');
  });

  it('reads wrong types as absent, and ignores unknown fields', () => {
    const app = parseApp(
      { name: 'odd-app', id: 7, owner: 'x', team: { name: [3] }, region: null, space: 'nope', stack: [], maintenance: 'yes', process_tier: {}, web_url: {}, brand_new: { a: 1 } },
      0,
      attempted,
    );
    assert.deepEqual(app, {
      id: '7',
      name: 'odd-app',
      ownerEmail: null,
      team: null,
      region: null,
      space: null,
      stack: null,
      generation: 'cedar',
      processTier: null,
      maintenance: false,
      execEnabled: null,
      webUrl: null,
    });
    const dyno = parseDyno({ id: 'd3', name: 'web.3', state: 'provisioning-v2', release: { version: 'nine' }, size: [5] }, 0, app, 'x');
    assert.equal(dyno.type, 'web');
    assert.equal(dyno.state, 'provisioning-v2', 'unknown states kept as they come');
    assert.equal(dyno.size, '');
    assert.equal(dyno.releaseVersion, null);
    assert.equal(dyno.appName, 'odd-app');
  });

  it('turns an entry without a name into bad-output, never a crash', () => {
    for (const entry of [null, 42, 'acme', [], { id: 'x' }, { name: '' }]) {
      assert.throws(() => parseApps([entry], attempted), (e: unknown) => e instanceof SourceError && e.kind === 'bad-output');
    }
  });

  it('rewrites Private- sizes in shield spaces', () => {
    const app = parseApp({ id: 'a1', name: 'vault', space: { name: 's', shield: true } }, 0, attempted);
    assert.equal(parseDyno({ id: 'd1', name: 'web.1', size: 'Private-L' }, 0, app, 'x').size, 'Shield-L');
  });

  it('does not pass a name that would read as a flag to the CLI', async () => {
    const state = sampleHerokuState();
    const first = state.apps[0];
    assert.ok(first);
    state.apps.push({ ...first, id: 'evil', name: '--help' });
    const { env, logFile } = setup({}, state);
    const fleet = await new CliSource({ bin: 'heroku', env }).load();
    assert.ok(fleet.appErrors['--help']);
    assert.ok(!readFakeHerokuLog(logFile).some((c) => c.argv.includes('--help')));
  });
});
