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
});
