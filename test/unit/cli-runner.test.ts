import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliProblem, herokuAuthToken, herokuWhoami, parseJsonArray, runHeroku } from '../../src/heroku/cli-runner.js';
import { SourceError } from '../../src/heroku/errors.js';
import type { FakeHerokuMode, FakeHerokuState } from '../fakes/fake-heroku.js';
import { fakeHerokuBin, fakeHerokuEnv, readFakeHerokuLog, sampleHerokuState, writeFakeHerokuState } from '../fakes/fake-heroku.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;
let stateFile: string;
let state: FakeHerokuState;
let runs = 0;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dynotty-cli-runner-'));
  state = sampleHerokuState();
  stateFile = writeFakeHerokuState(dir, state);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh log per call, so each test reads only its own invocations. */
function setup(mode: FakeHerokuMode & { extra?: Record<string, string> } = {}): { env: NodeJS.ProcessEnv; logFile: string } {
  const logFile = path.join(dir, `log-${++runs}.jsonl`);
  return { env: fakeHerokuEnv({ stateFile, logFile, ...mode }), logFile };
}

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe('runHeroku against the fake heroku', () => {
  it('lists exactly the apps of the state, sorted by name, found on PATH', async () => {
    const { env, logFile } = setup();
    const stdout = await runHeroku(['apps', '--json'], { bin: 'heroku', env });
    assert.deepEqual(parseJsonArray(stdout, 'heroku apps --json'), [...state.apps].sort(byName));
    assert.deepEqual(
      readFakeHerokuLog(logFile).map((e) => e.argv),
      [['apps', '--json']],
    );
  });

  it('ignores a warning on stderr when the command succeeds', async () => {
    const { env } = setup({ updateNotice: true });
    const stdout = await runHeroku(['ps', '--json', '-a', 'acme-storefront'], { bin: fakeHerokuBin, env });
    const dynos = parseJsonArray(stdout, 'heroku ps --json -a acme-storefront') as Array<{ name: string }>;
    assert.deepEqual(
      dynos.map((d) => d.name),
      ['run.4821', 'web.1', 'web.2', 'worker.1'],
    );
  });

  it('never counts a warning as the problem when the command fails', async () => {
    const { env } = setup({ updateNotice: true, fail: 'apps:1:Internal server error' });
    const error = await sourceError(runHeroku(['apps', '--json'], { bin: 'heroku', env }));
    assert.equal(error.problem, 'Internal server error');
    assert.equal(error.attempted, 'heroku apps --json');
    assert.equal(error.kind, 'other');
  });

  it('names the command and what came back when the output is not JSON', async () => {
    const { env } = setup({ garbage: 'ps' });
    const stdout = await runHeroku(['ps', '--json', '-a', 'acme-billing'], { bin: 'heroku', env });
    const error = await sourceError(Promise.resolve().then(() => parseJsonArray(stdout, 'heroku ps --json -a acme-billing')));
    assert.equal(error.kind, 'bad-output');
    assert.equal(error.attempted, 'heroku ps --json -a acme-billing');
    assert.match(error.problem, /other than JSON: "<!DOCTYPE html>/);
  });

  it('reports truncated JSON as bad output', async () => {
    const { env } = setup({ garbage: 'apps' });
    const stdout = await runHeroku(['apps', '--json'], { bin: 'heroku', env });
    const error = await sourceError(Promise.resolve().then(() => parseJsonArray(stdout, 'heroku apps --json')));
    assert.equal(error.kind, 'bad-output');
    assert.match(error.problem, /^printed something other than JSON: "\[ \{ "acm": null/);
    assert.ok(error.problem.length < 140, 'the preview is cut');
  });

  it('reports empty output as bad output', async () => {
    const { env } = setup({ empty: 'apps' });
    const stdout = await runHeroku(['apps', '--json'], { bin: 'heroku', env });
    const error = await sourceError(Promise.resolve().then(() => parseJsonArray(stdout, 'heroku apps --json')));
    assert.equal(error.kind, 'bad-output');
    assert.match(error.problem, /printed nothing/);
  });

  it("maps Couldn't find that app to not-found, prefixes stripped", async () => {
    const { env } = setup();
    const error = await sourceError(runHeroku(['ps', '--json', '-a', 'no-such-app'], { bin: 'heroku', env }));
    assert.equal(error.kind, 'not-found');
    assert.equal(error.problem, "Couldn't find that app.\nError ID: not_found");
    assert.equal(error.attempted, 'heroku ps --json -a no-such-app');
  });

  it('times out a hung CLI and leaves no process behind', async () => {
    const { env, logFile } = setup({ hang: 'apps' });
    const started = Date.now();
    const error = await sourceError(runHeroku(['apps', '--json'], { bin: 'heroku', env, timeoutMs: 600 }));
    assert.equal(error.kind, 'timeout');
    assert.match(error.hint ?? '', /R/);
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    const [call] = readFakeHerokuLog(logFile);
    assert.ok(call);
    assert.equal(isAlive(call.pid), false, 'the hung heroku is gone');
  });

  it('is cancelled by the signal at once, and leaves no process behind', async () => {
    const { env, logFile } = setup({ hang: 'apps' });
    const controller = new AbortController();
    const pending = runHeroku(['apps', '--json'], { bin: 'heroku', env, signal: controller.signal });
    const call = await waitFor(() => readFakeHerokuLog(logFile)[0], 'the fake to start');
    const started = Date.now();
    controller.abort();
    const error = await sourceError(pending);
    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    assert.equal(isAlive(call.pid), false);
  });

  it('does not start anything when the signal is already aborted', async () => {
    const { env, logFile } = setup();
    const error = await sourceError(runHeroku(['apps', '--json'], { bin: 'heroku', env, signal: AbortSignal.abort() }));
    assert.equal(error.kind, 'cancelled');
    assert.deepEqual(readFakeHerokuLog(logFile), []);
  });

  it('fails fast as not-logged-in at the login prompt, since stdin is closed', async () => {
    const { env } = setup({ loggedOut: true });
    const started = Date.now();
    const error = await sourceError(runHeroku(['apps', '--json'], { bin: 'heroku', env, timeoutMs: 10_000 }));
    assert.equal(error.kind, 'not-logged-in');
    assert.equal(error.problem, 'not logged in');
    assert.equal(error.hint, 'run heroku login');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('maps auth:whoami exit 100 to not-logged-in', async () => {
    const { env } = setup({ loggedOut: true });
    const error = await sourceError(runHeroku(['auth:whoami'], { bin: 'heroku', env }));
    assert.equal(error.kind, 'not-logged-in');
    assert.equal(error.problem, 'not logged in');
  });

  it('maps a rejected HEROKU_API_KEY to invalid-token', async () => {
    const { env } = setup({ loggedOut: true, extra: { HEROKU_API_KEY: 'HRKU-revoked' } });
    const error = await sourceError(runHeroku(['apps', '--json'], { bin: 'heroku', env }));
    assert.equal(error.kind, 'invalid-token');
    assert.match(error.problem, /^The token provided to HEROKU_API_KEY is invalid/);
    assert.ok(!error.message.includes('HRKU-revoked'));
  });

  it('says the CLI is missing when the binary does not exist', async () => {
    const { env } = setup();
    const error = await sourceError(runHeroku(['apps', '--json'], { bin: path.join(dir, 'nowhere', 'heroku'), env }));
    assert.equal(error.kind, 'missing-cli');
    assert.match(error.hint ?? '', /--heroku-bin/);
    assert.equal(error.attempted, 'heroku apps --json');

    const noPath = await sourceError(runHeroku(['apps', '--json'], { bin: 'heroku', env: { ...env, PATH: dir } }));
    assert.equal(noPath.kind, 'missing-cli');
  });

  it('passes the environment through, and logs whether a key was set, never its value', async () => {
    const { env, logFile } = setup({ extra: { HEROKU_API_KEY: 'HRKU-from-env-1234' } });
    assert.equal(await herokuAuthToken('heroku', env), 'HRKU-from-env-1234');
    const calls = readFakeHerokuLog(logFile);
    assert.deepEqual(calls.map((c) => [c.argv, c.apiKeySet]), [[['auth:token'], true]]);
    assert.ok(!readFileSync(logFile, 'utf8').includes('HRKU-from-env-1234'));
  });
});

describe('herokuAuthToken and herokuWhoami', () => {
  it('return the token and the email, ignoring the warnings', async () => {
    const { env } = setup({ updateNotice: true });
    assert.equal(await herokuAuthToken('heroku', env), state.token);
    assert.equal(await herokuWhoami('heroku', env), state.account.email);
  });

  it('return null when not logged in', async () => {
    const { env } = setup({ loggedOut: true });
    assert.equal(await herokuAuthToken('heroku', env), null);
    assert.equal(await herokuWhoami('heroku', env), null);
  });

  it('throw other failures', async () => {
    const { env } = setup({ fail: 'auth:token:1:HTTP Error 503 for GET https://api.heroku.com/oauth/authorizations' });
    const error = await sourceError(herokuAuthToken('heroku', env));
    assert.equal(error.kind, 'other');
    assert.match(error.problem, /HTTP Error 503/);
  });
});

describe('cliProblem', () => {
  it('keeps error blocks, drops warning blocks with their continuation lines', () => {
    const stderr = [
      ' ›   Warning: heroku update available from 11.0.0 to 11.10.0.',
      ' ›   update with: "npm update -g heroku"',
      ' ›   Error: Could not connect to dyno!',
      " ›   Check if the dyno is running with `heroku ps'",
    ].join('\n');
    assert.equal(cliProblem(stderr), "Could not connect to dyno!\nCheck if the dyno is running with `heroku ps'");
  });

  it("reads oclif's four-space form for plain errors, and colour codes", () => {
    assert.equal(cliProblem('\u001b[33m ›\u001b[39m   Warning: x\n    Error: No worker dynos on acme-web\n'), 'No worker dynos on acme-web');
    assert.equal(cliProblem('    TypeError: boom\n'), 'TypeError: boom');
  });

  it('falls back to the last plain lines, and is empty for warnings alone', () => {
    assert.equal(cliProblem('Running bash on acme... starting\nsomething odd\n'), 'Running bash on acme... starting\nsomething odd');
    assert.equal(cliProblem(' ›   Warning: only this\n'), '');
  });
});

describe('parseJsonArray', () => {
  it('rejects JSON that is not a list, and sanitises the preview', () => {
    const error = (() => {
      try {
        parseJsonArray('{"id":"not_found","message":"x\\u001b"}', 'heroku apps --json');
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof SourceError);
    assert.equal(error.kind, 'bad-output');
    assert.match(error.problem, /not a list/);

    const long = `\u001b]0;title\u0007${'x'.repeat(200)}\u0000`;
    try {
      parseJsonArray(long, 'heroku ps --json -a a1');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof SourceError);
      assert.ok(!/[\u0000-\u001f]/.test(e.problem), 'no control characters');
      assert.ok(e.problem.length < 140);
    }
  });

  it('accepts colour codes around JSON', () => {
    assert.deepEqual(parseJsonArray('\u001b[1m[\u001b[22m1, 2]\n', 'x'), [1, 2]);
  });
});
