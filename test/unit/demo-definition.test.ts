import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inside } from '../../src/demo/demo-folders.js';
import { dynoScript, shQuote } from '../../src/demo/dyno-script.js';
import { DEMO_APPS } from '../../src/demo/fleet-definition.js';

const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

describe('demo fleet definition', () => {
  it('has valid, unique, sorted app names and ids', () => {
    const names = DEMO_APPS.map((d) => d.app.name);
    for (const name of names) assert.match(name, APP_NAME);
    assert.deepEqual(names, [...names].sort());
    assert.equal(new Set(names).size, names.length);
    assert.equal(new Set(DEMO_APPS.map((d) => d.app.id)).size, names.length);
  });

  it('names dynos the way each generation does', () => {
    for (const { app, dynos } of DEMO_APPS) {
      assert.ok(dynos.length > 0, app.name);
      assert.equal(new Set(dynos.map((d) => d.name)).size, dynos.length);
      for (const dyno of dynos) {
        const pattern = app.generation === 'fir' ? /^([a-z]+)-[0-9a-f]{9,10}-[0-9a-z]{5}$/ : /^([a-z]+)\.\d+$/;
        const match = pattern.exec(dyno.name);
        assert.ok(match, `${app.name} ${dyno.name}`);
        assert.equal(match[1], dyno.type);
      }
    }
  });

  it('covers every case the comparison distinguishes', () => {
    const find = (test: (d: (typeof DEMO_APPS)[number]) => boolean) => DEMO_APPS.filter(test).map((d) => d.app.name);
    assert.deepEqual(find((d) => d.app.generation === 'cedar' && d.app.execEnabled === true && d.dynos.some((x) => x.type === 'run')), ['acme-storefront']);
    assert.deepEqual(find((d) => d.dynos.some((x) => x.behaviour === 'crash')), ['acme-billing']);
    assert.deepEqual(find((d) => d.app.generation === 'fir'), ['acme-ml-fir']);
    assert.deepEqual(find((d) => d.app.space?.shield === true), ['acme-vault']);
    assert.deepEqual(find((d) => d.app.processTier === 'eco'), ['sideproject-eco']);
    assert.ok(DEMO_APPS.every((d) => Object.keys(d.source).includes('Procfile')));
  });

  it('generates dyno scripts that /bin/sh accepts', () => {
    for (const { app, dynos, logLines } of DEMO_APPS) {
      for (const dyno of dynos) {
        const script = dynoScript({
          dyno: dyno.name,
          command: dyno.command,
          behaviour: dyno.behaviour,
          logFile: "/tmp/it's a log.log",
          lines: logLines[dyno.behaviour] ?? [],
        });
        const check = spawnSync('/bin/sh', ['-n', '-c', script]);
        assert.equal(check.status, 0, `${app.name} ${dyno.name}: ${check.stderr.toString()}`);
      }
    }
  });
});

describe('demo helpers', () => {
  it('shQuote survives the shell', () => {
    const text = `it's "100%" $HOME \`x\` \\ ;|&`;
    const out = spawnSync('/bin/sh', ['-c', `printf %s ${shQuote(text)}`]);
    assert.equal(out.stdout.toString(), text);
  });

  it('refuses paths outside the demo root', () => {
    const root = path.join('/tmp', 'dynotty-demo-abc123');
    assert.equal(inside(root, path.join(root, 'runs', 'x')), path.join(root, 'runs', 'x'));
    assert.equal(inside(root, root), root);
    assert.throws(() => inside(root, path.join(root, '..', 'elsewhere')), /refusing/);
    assert.throws(() => inside(root, '/tmp/dynotty-demo-abc1234/x'), /refusing/);
    assert.throws(() => inside('/home/someone', '/home/someone/x'), /refusing/);
  });
});
