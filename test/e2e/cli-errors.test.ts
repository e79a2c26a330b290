import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { cliPath } from '../helpers/pty-screen.js';

const run = (args: string[]) => execa('node', [cliPath, ...args], { reject: false, stdin: 'pipe', timeout: 15_000 });

describe('dynotty outside a terminal, and with bad flags', () => {
  it('refuses a non-interactive stdin/stdout with one clear line and status 2', async () => {
    const r = await run(['--demo']);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'dynotty: needs an interactive terminal: stdin and stdout must both be a TTY (see dynotty --help)');
    assert.equal(r.stdout, '');
  });

  it('rejects an unknown flag with the usage and status 2', async () => {
    const r = await run(['--frobnicate']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^dynotty: unknown option '--frobnicate'/);
    assert.match(r.stderr, /Usage: dynotty \[options\]/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  it('rejects a stray argument with status 2', async () => {
    const r = await run(['bash']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^dynotty: unexpected argument 'bash'/);
  });

  it('prints help and version with status 0', async () => {
    const help = await run(['--help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /--demo/);
    const version = await run(['--version']);
    assert.equal(version.exitCode, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+$/);
  });

  it('rejects bad values with one clear line, status 2, no stack trace, and never echoes a control character', async () => {
    const cases: [string[], RegExp][] = [
      [['-a', 'Not_An_App'], /^dynotty: "Not_An_App" is not a Heroku app name \(lowercase letters, digits and dashes/],
      [['--app', 'evil\x1b]0;PWNED\x07\x1b[2J'], /^dynotty: "evil\\u001b\]0;PWNED\\u0007\\u001b\[2J" is not a Heroku app name/],
      [['-a', 'a'.repeat(31)], /is not a Heroku app name/],
      [['--size', 'Huge; rm -rf ~'], /^dynotty: "Huge; rm -rf ~" is not a dyno size \(e\.g\. Standard-1X/],
      [['--source', 'ftp'], /^dynotty: --source must be one of auto, api, cli, demo, not "ftp"/],
      [['--demo', '--source', 'api'], /^dynotty: --demo and --source api contradict each other/],
      [['--protect', 'bad pattern!'], /^dynotty: --protect "bad pattern!": use an app name, with \* and \? as wildcards/],
      [['--heroku-bin', ' '], /^dynotty: --heroku-bin needs a value/],
      [['-a'], /^dynotty: .*'-a, --app <value>' argument missing|^dynotty: .*-a.*(missing|needs a value)/],
    ];
    for (const [args, expected] of cases) {
      const r = await run(args);
      const what = JSON.stringify(args);
      assert.equal(r.exitCode, 2, what);
      assert.match(r.stderr, expected, what);
      assert.equal(r.stdout, '', what);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, `${what}: no stack trace`);
      assert.doesNotMatch(r.stderr, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, `${what}: no control character`);
    }
  });
});
