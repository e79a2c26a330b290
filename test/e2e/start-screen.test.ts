// Behaviour the source tests found missing: each test asserts what should happen and
// fails until src/ is fixed (see the comment on each).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { assertTerminalRestored } from '../helpers/dynotty.js';
import { isAlive, processesWithEnv, waitUntil } from '../helpers/processes.js';
import {
  cleanupSources,
  cliFixture,
  herokuStateOf,
  launch,
  PATH_FAKE_HEROKU_NO_SSH,
  sharedFleet,
} from '../helpers/sources.js';

after(cleanupSources);

describe('the start screen while the account is being looked for', () => {
  // Regression: quitting here used to leave `heroku auth:token` running, and dynotty alive
  // until the CLI answered or its 20 s timeout ended it.
  it('Ctrl-C while `heroku auth:token` hangs quits at once and stops the CLI', async () => {
    const cli = cliFixture(herokuStateOf(sharedFleet()));
    const screen = launch([], { path: PATH_FAKE_HEROKU_NO_SSH, env: { ...cli.env, FAKE_HEROKU_HANG: 'auth:token' } });
    await screen.waitFor(/Looking for your Heroku account/);
    const askingNow = (): number[] =>
      processesWithEnv('FAKE_HEROKU_STATE', cli.stateFile).filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes('auth:token');
        } catch {
          return false;
        }
      });
    // The screen shows before the CLI is spawned (the Heroku modules load first): wait for it.
    let asking: number[] = [];
    await waitUntil(() => (asking = askingNow()).length >= 1, 5000, 'heroku auth:token to be running');
    assert.ok(asking.length >= 1, 'heroku auth:token is running');
    screen.proc.write('\x03');
    const { exitCode } = await screen.waitExit(5000);
    assert.equal(exitCode, 0);
    assertTerminalRestored(screen, 'EXIT=0');
    await waitUntil(() => asking.every((p) => !isAlive(p)), 3000, 'heroku auth:token to be stopped');
  });
});
