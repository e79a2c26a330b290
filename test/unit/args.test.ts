import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DYNO_NAME, parseCliArgs, usage } from '../../src/args.js';

function errorOf(argv: string[]): string {
  const parsed = parseCliArgs(argv);
  assert.equal(parsed.kind, 'error', `${argv.join(' ')} should be refused`);
  return parsed.kind === 'error' ? parsed.message : '';
}

describe('arguments: scripting and ls', () => {
  it('--app --dyno --mode is a session; --mode run needs no dyno; -a alone stays the picker', () => {
    const exec = parseCliArgs(['--app', 'acme-web', '--dyno', 'web.1', '--mode', 'exec']);
    assert.equal(exec.kind, 'session');
    assert.deepEqual(exec.kind === 'session' ? exec.target : null, { app: 'acme-web', dyno: 'web.1', mode: 'exec' });
    const run = parseCliArgs(['-a', 'acme-web', '--mode', 'run']);
    assert.deepEqual(run.kind === 'session' ? run.target : null, { app: 'acme-web', dyno: null, mode: 'run' });
    const picker = parseCliArgs(['-a', 'acme-web']);
    assert.equal(picker.kind, 'run');
    assert.equal(picker.kind === 'run' ? picker.options.app : null, 'acme-web');
  });

  it('ls, ls --json, ls -a APP', () => {
    const ls = parseCliArgs(['ls', '--json', '-a', 'acme-web', '--demo']);
    assert.equal(ls.kind, 'ls');
    if (ls.kind !== 'ls') return;
    assert.equal(ls.json, true);
    assert.equal(ls.options.app, 'acme-web');
    assert.equal(ls.options.source, 'demo');
    const plain = parseCliArgs(['ls']);
    assert.equal(plain.kind === 'ls' && plain.json, false);
  });

  it('usage errors: --dyno without --mode, --mode without --app, exec without --dyno, --json without ls, ls with --mode, a second argument', () => {
    assert.equal(errorOf(['--dyno', 'web.1']), '--dyno needs --mode run or --mode exec');
    assert.equal(errorOf(['--mode', 'run']), '--mode needs --app APP: dynotty --app APP --mode run');
    assert.equal(errorOf(['-a', 'acme-web', '--mode', 'exec']), '--mode exec needs --dyno NAME: the live dyno to enter');
    assert.equal(errorOf(['-a', 'acme-web', '--mode', 'shell']), '--mode must be run or exec, not "shell"');
    assert.equal(errorOf(['--json']), '--json goes with ls: dynotty ls --json');
    assert.equal(errorOf(['ls', '--mode', 'run']), 'ls takes no --mode or --dyno: it lists every dyno');
    assert.equal(errorOf(['ls', 'more']), "unexpected argument 'more'");
    assert.equal(errorOf(['bash']), "unexpected argument 'bash'");
    assert.equal(errorOf(['--config', ' ']), '--config needs a value');
    assert.equal(errorOf(['-r', 'heroku', '-a', 'acme-web', '--mode', 'run']), '--remote selects an app in the picker; --mode takes --app APP');
    assert.equal(errorOf(['ls', '-r', 'heroku']), '--remote selects an app in the picker; ls takes --app APP');
  });

  it('app and dyno names: Heroku shapes pass, flags and controls do not', () => {
    for (const good of ['web.1', 'worker.12', 'run.4821', 'web-848cd4f64d-pvpr2', 'worker_low.2', 'clock.1']) assert.ok(DYNO_NAME.test(good), good);
    for (const bad of ['-x', '--help', 'web 1', 'web.1;rm', 'web.', '.1', 'web..1', 'web.1\x1b[2J', '']) {
      assert.ok(!DYNO_NAME.test(bad), JSON.stringify(bad));
    }
    assert.match(errorOf(['-a', 'acme-web', '--dyno', 'web 1', '--mode', 'exec']), /^"web 1" is not a dyno name/);
    assert.match(errorOf(['-a', 'Acme', '--mode', 'run']), /^"Acme" is not a Heroku app name/);
    assert.match(errorOf(['-a', 'ab']), /is not a Heroku app name/);
  });

  it('--help documents every flag and the keys other parts add', () => {
    for (const flag of ['--demo', '--source', '--app', '--remote', '--dyno', '--mode', '--json', '--heroku-bin', '--size', '--fullscreen', '--record', '--protect', '--config', '--help', '--version']) {
      assert.ok(usage.includes(flag), flag);
    }
    for (const key of [/^ {2}l {4}/m, /^ {2}s {4}/m, /^ {2}c {4}/m, /^ {2}x {4}/m, /^ {2}r {4}/m, /Ctrl-\]/]) assert.match(usage, key);
    for (const line of usage.split('\n')) assert.ok(line.length <= 80, `help line over 80 columns: ${line}`);
  });
});
