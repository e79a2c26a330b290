// The demo fleet is listed before its folders and processes exist (the picker's first
// frame does not wait for ~100 ms of spawns), and starting it late, twice, or never is safe.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DemoFleet } from '../../src/demo/fleet.js';
import { DemoLauncher } from '../../src/demo/launcher.js';
import { DemoSource } from '../../src/demo/source.js';
import type { Dyno } from '../../src/heroku/model.js';
import { LaunchError } from '../../src/session/spec.js';

function dynosOf(fleet: DemoFleet): Dyno[] {
  return Object.values(fleet.snapshot().dynos).flat();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('demo fleet: listed at once, started after', () => {
  let parent: string;

  before(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'dynotty-fleet-start-test-'));
  });

  after(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('define() lists every app and dyno as starting, with no folder or process yet', async () => {
    const fleet = DemoFleet.define({ root: parent });
    try {
      const before = fleet.snapshot();
      assert.equal(before.apps.length, 5);
      const dynos = dynosOf(fleet);
      assert.ok(dynos.length >= 12);
      assert.ok(dynos.every((d) => d.state === 'starting'));
      assert.ok(dynos.every((d) => fleet.dynoPid(d.appName, d.name) === null));
      assert.throws(() => fleet.root, /not started/);
      assert.deepEqual(readdirSync(parent), [], 'nothing written before start()');

      await Promise.all([fleet.start(), fleet.start()]);
      // The same dynos, now running: ids and ages do not change under the user's cursor.
      const after = fleet.snapshot();
      assert.deepEqual(
        Object.values(after.dynos).flat().map((d) => [d.id, d.name, d.createdAt]),
        dynos.map((d) => [d.id, d.name, d.createdAt]),
      );
      for (const d of dynos) {
        const pid = fleet.dynoPid(d.appName, d.name);
        assert.ok(pid !== null && isAlive(pid), `${d.appName} ${d.name} spawned once`);
        assert.ok(existsSync(fleet.dynoDir(d.appName, d.name)));
      }
      assert.equal(readdirSync(parent).length, 1, 'one root, however many start() calls');
    } finally {
      await fleet.close();
    }
    assert.deepEqual(readdirSync(parent), []);
  });

  it('closed before start(): nothing is ever written or spawned', async () => {
    const fleet = DemoFleet.define({ root: parent });
    await fleet.close();
    await assert.rejects(fleet.start(), /closed/);
    assert.deepEqual(readdirSync(parent), []);
  });

  it('closed while starting: the start stops short and leaves nothing behind', async () => {
    const fleet = DemoFleet.define({ root: parent });
    const starting = fleet.start();
    await fleet.close();
    await starting;
    assert.ok(dynosOf(fleet).every((d) => fleet.dynoPid(d.appName, d.name) === null), 'no dyno spawned');
    assert.deepEqual(readdirSync(parent), []);
  });

  it('a session asked for before the fleet runs waits for it', async () => {
    const fleet = DemoFleet.define({ root: parent });
    try {
      const spec = await new DemoLauncher(fleet).prepare({ mode: 'exec', app: 'acme-storefront', dyno: 'web.1' });
      assert.equal(spec.cwd, fleet.dynoDir('acme-storefront', 'web.1'));
      assert.ok(existsSync(spec.cwd));
      assert.ok(isAlive(fleet.dynoPid('acme-storefront', 'web.1') ?? -1));
    } finally {
      await fleet.close();
    }
  });

  it('a fleet that cannot start says so in the listing and to a session', async () => {
    const fleet = DemoFleet.define({ root: path.join(parent, 'missing', 'folder') });
    const source = new DemoSource(fleet);
    assert.equal((await source.load()).apps.length, 5, 'listed before the start fails');
    await assert.rejects(fleet.start(), /ENOENT/);
    await assert.rejects(source.load(), /The demo fleet could not start: .*ENOENT/);
    await assert.rejects(new DemoLauncher(fleet).prepare({ mode: 'run', app: 'acme-billing', dyno: null }), (err: unknown) => {
      assert.ok(err instanceof LaunchError);
      assert.match(err.message, /The demo fleet could not start/);
      return true;
    });
    await source.close();
  });
});
