import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  argvFor,
  displayCommand,
  execArgv,
  runArgv,
  runInsideArgv,
  shellQuote,
} from '../../src/heroku/argv.js';

test('runArgv: bash on the app, size only when given', () => {
  assert.deepEqual(runArgv('my-app'), ['run', 'bash', '-a', 'my-app']);
  assert.deepEqual(runArgv('my-app', {}), ['run', 'bash', '-a', 'my-app']);
  assert.deepEqual(runArgv('my-app', { size: 'Standard-2X' }), [
    'run', 'bash', '-a', 'my-app', '--size', 'Standard-2X',
  ]);
  assert.deepEqual(runArgv('my-app', { size: '' }), ['run', 'bash', '-a', 'my-app']);
});

test('execArgv: names the dyno, --ssh only when asked', () => {
  assert.deepEqual(execArgv('my-app', 'web.1'), ['ps:exec', '-a', 'my-app', '--dyno', 'web.1']);
  assert.deepEqual(execArgv('my-app', 'web.1', { ssh: false }), ['ps:exec', '-a', 'my-app', '--dyno', 'web.1']);
  assert.deepEqual(execArgv('my-app', 'worker.2', { ssh: true }), [
    'ps:exec', '-a', 'my-app', '--dyno', 'worker.2', '--ssh',
  ]);
});

test('runInsideArgv: dyno first, then the command', () => {
  assert.deepEqual(runInsideArgv('fir-app', 'web-848cd4f64d-pvpr2'), [
    'run:inside', 'web-848cd4f64d-pvpr2', 'bash', '-a', 'fir-app',
  ]);
});

test('argvFor dispatches on the mode and passes only the options each mode takes', () => {
  const opts = { size: 'Basic', ssh: true };
  assert.deepEqual(argvFor('run', 'a-app', 'web.1', opts), runArgv('a-app', { size: 'Basic' }));
  assert.deepEqual(argvFor('run', 'a-app', null, {}), runArgv('a-app'));
  assert.deepEqual(argvFor('exec', 'a-app', 'web.1', opts), execArgv('a-app', 'web.1', { ssh: true }));
  assert.deepEqual(argvFor('exec', 'a-app', 'web.1'), execArgv('a-app', 'web.1'));
  assert.deepEqual(argvFor('run-inside', 'a-app', 'web-1-2', opts), runInsideArgv('a-app', 'web-1-2'));
});

test('argvFor: modes that enter a dyno give null without one', () => {
  assert.equal(argvFor('exec', 'a-app', null), null);
  assert.equal(argvFor('run-inside', 'a-app', null), null);
});

test('displayCommand: plain words stay bare', () => {
  assert.equal(displayCommand(runArgv('my-app')), 'heroku run bash -a my-app');
  assert.equal(
    displayCommand(execArgv('my-app', 'web.1', { ssh: true })),
    'heroku ps:exec -a my-app --dyno web.1 --ssh',
  );
  assert.equal(displayCommand(runInsideArgv('a', 'web-848cd4f64d-pvpr2')), 'heroku run:inside web-848cd4f64d-pvpr2 bash -a a');
  assert.equal(displayCommand(['x=1', 'a@b', '50%', '+,-'], 'hk'), 'hk x=1 a@b 50% +,-');
});

test('displayCommand: quotes what a shell would interpret', () => {
  assert.equal(shellQuote(''), "''");
  assert.equal(shellQuote('web 1'), "'web 1'");
  assert.equal(shellQuote('web.1; rm -rf ~'), "'web.1; rm -rf ~'");
  assert.equal(shellQuote('$(reboot)'), "'$(reboot)'");
  assert.equal(shellQuote('`id`'), "'`id`'");
  assert.equal(shellQuote('*'), "'*'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote('日本'), "'日本'");
  assert.equal(displayCommand(['run'], '/opt/my tools/heroku'), "'/opt/my tools/heroku' run");
});

test('displayCommand: control and bidi characters become octal escapes, never raw', () => {
  assert.equal(shellQuote('a\x1b[2Jb'), "$'a\\033[2Jb'");
  assert.equal(shellQuote('a\nb'), "$'a\\012b'");
  assert.equal(shellQuote('x\u202ey'), "$'x\\342\\200\\256y'");
  assert.equal(shellQuote("q'\\\x07"), "$'q\\'\\\\\\007'");
  // Three digits always, so a following digit is not read as part of the escape.
  assert.equal(shellQuote('\x011'), "$'\\0011'");
  const shown = displayCommand(execArgv('app', '\x1b]0;pwned\x07web.1\u202e\u0085'));
  assert.doesNotMatch(shown, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
});

test('displayCommand: pasting into a shell gives back the exact argv', () => {
  const hostile = [
    'web.1',
    '',
    'two words',
    "it's",
    'a\\b',
    '$(touch /tmp/pwned) `id` ${HOME} *',
    '-- --ssh',
    '\x1b]0;title\x07\x1b[2J\x1b[H',
    'line\nbreak\ttab\r',
    'bidi\u202eevil\u2066\u200f',
    'c1\u0085\u009b31m',
    'del\x7f',
    '\x011',
    '日本語 🚀',
  ];
  const line = displayCommand(hostile, 'printf');
  const out = execFileSync('bash', ['-c', `${line.replace(/^printf/, "printf '%s\\0'")}`], {
    encoding: 'utf8',
  });
  assert.deepEqual(out.split('\0').slice(0, -1), hostile);
});

test('-x for scripted sessions: run and run:inside pass the remote status; ps:exec has no such flag', () => {
  assert.deepEqual(runArgv('my-app', { exitCode: true }), ['run', 'bash', '-a', 'my-app', '-x']);
  assert.deepEqual(runArgv('my-app', { size: 'Standard-2X', exitCode: true }), ['run', 'bash', '-a', 'my-app', '--size', 'Standard-2X', '-x']);
  assert.deepEqual(runInsideArgv('my-app', 'web-1a-2b', { exitCode: true }), ['run:inside', 'web-1a-2b', 'bash', '-a', 'my-app', '-x']);
  assert.deepEqual(argvFor('exec', 'my-app', 'web.1', { exitCode: true }), ['ps:exec', '-a', 'my-app', '--dyno', 'web.1']);
  assert.deepEqual(argvFor('run-inside', 'my-app', 'web-1a-2b', { exitCode: true }), ['run:inside', 'web-1a-2b', 'bash', '-a', 'my-app', '-x']);
});
