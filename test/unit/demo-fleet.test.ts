import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dyno } from '../../src/heroku/model.js';
import type { DemoFleet } from '../../src/demo/fleet.js';
import { startDemoFleet } from '../../src/demo/fleet.js';
import { createDemoSource } from '../../src/demo/source.js';

/** Alive and not a zombie (PID 1 in a container may be slow to reap orphans). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function environ(pid: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

function allDynos(fleet: DemoFleet): Dyno[] {
  return Object.values(fleet.snapshot().dynos).flat();
}

/** Pids of the defined dynos (one-offs from makeRunDir have no process of the fleet's). */
function allPids(fleet: DemoFleet): number[] {
  return allDynos(fleet)
    .filter((d) => d.type !== 'run' || d.name === 'run.4821')
    .flatMap((d) => fleet.dynoPid(d.appName, d.name) ?? []);
}

function dyno(fleet: DemoFleet, app: string, name: string): Dyno {
  const found = fleet.snapshot().dynos[app]?.find((d) => d.name === name);
  assert.ok(found, `${app} ${name} listed`);
  return found;
}

describe('demo fleet', () => {
  let parent: string;
  let fleet: DemoFleet;

  before(async () => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'dynotty-test-'));
    fleet = await startDemoFleet({ root: parent });
  });

  after(async () => {
    await fleet.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('runs every dyno as a live process with a Heroku-like env and its own folder as cwd', () => {
    const ports = new Set<string>();
    for (const d of allDynos(fleet)) {
      const pid = fleet.dynoPid(d.appName, d.name);
      assert.ok(pid !== null && isAlive(pid), `${d.appName} ${d.name} alive`);
      const dir = fleet.dynoDir(d.appName, d.name);
      assert.equal(realpathSync(readlinkSync(`/proc/${pid}/cwd`)), realpathSync(dir));
      assert.ok(dir.startsWith(path.join(fleet.root, 'dynos', d.appName) + path.sep));

      const env = environ(pid);
      assert.equal(env.DYNO, d.name);
      assert.equal(env.HOME, dir);
      assert.equal(env.HEROKU_APP_NAME, d.appName);
      assert.equal(env.DYNOTTY_DEMO, '1');
      assert.equal(env.DYNOTTY_PARENT_PID, String(process.pid));
      assert.equal(env.PATH, process.env.PATH);
      assert.match(env.DATABASE_URL ?? env.GREETING ?? '', /./);
      assert.match(env.PORT ?? '', /^\d+$/);
      assert.ok(Number(env.PORT) >= 5000);
      ports.add(env.PORT ?? '');

      const { DYNOTTY_PARENT_PID: _watched, ...shellEnv } = env;
      assert.deepEqual(fleet.dynoEnv(d.appName, d.name), shellEnv);
    }
    assert.equal(ports.size, allDynos(fleet).length, 'one port per dyno');

    const web = environ(fleet.dynoPid('acme-storefront', 'web.1') ?? 0);
    assert.equal(web.NODE_ENV, 'production');
    assert.match(web.DATABASE_URL ?? '', /^postgres:\/\//);
    assert.equal(environ(fleet.dynoPid('acme-billing', 'web.1') ?? 0).RACK_ENV, 'production');

    const execEnv = fleet.dynoEnv('acme-storefront', 'web.1', { withConfigVars: false });
    assert.equal(execEnv.DATABASE_URL, undefined);
    assert.equal(execEnv.DYNO, 'web.1');
  });

  it('lists the fleet: apps and dynos sorted, Fir names, Shield space, a one-off', () => {
    const snap = fleet.snapshot();
    assert.equal(snap.account, 'demo@dynotty.dev');
    assert.deepEqual(snap.appErrors, {});
    const names = snap.apps.map((a) => a.name);
    assert.deepEqual(names, ['acme-billing', 'acme-ml-fir', 'acme-storefront', 'acme-vault', 'sideproject-eco']);
    assert.deepEqual(Object.keys(snap.dynos).sort(), names);
    for (const name of names) {
      const list = (snap.dynos[name] ?? []).map((d) => d.name);
      assert.deepEqual(list, [...list].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    }

    const app = (name: string) => snap.apps.find((a) => a.name === name);
    const list = (name: string) => (snap.dynos[name] ?? []).map((d) => d.name);
    assert.deepEqual(list('acme-storefront'), ['run.4821', 'web.1', 'web.2', 'worker.1']);
    assert.equal(app('acme-storefront')?.execEnabled, true);
    assert.equal(app('acme-storefront')?.processTier, 'production');
    const oneOff = dyno(fleet, 'acme-storefront', 'run.4821');
    assert.deepEqual([oneOff.type, oneOff.command], ['run', 'bash']);

    assert.equal(app('acme-billing')?.execEnabled, false);
    assert.equal(app('acme-ml-fir')?.generation, 'fir');
    for (const d of list('acme-ml-fir')) assert.match(d, /^(web|worker)-[0-9a-f]{9,10}-[0-9a-z]{5}$/);
    assert.deepEqual(app('acme-vault')?.space, { name: 'acme-shield', shield: true });
    assert.ok((snap.dynos['acme-vault'] ?? []).every((d) => d.size === 'Shield-M'));
    assert.equal(app('sideproject-eco')?.processTier, 'eco');
    assert.deepEqual((snap.dynos['sideproject-eco'] ?? []).map((d) => d.size), ['Eco']);

    for (const d of allDynos(fleet)) {
      assert.ok(d.createdAt && Date.parse(d.createdAt) <= Date.now());
      assert.ok(['starting', 'up'].includes(d.state), `${d.appName} ${d.name} is ${d.state}`);
    }
  });

  it('derives starting, then up, from the running process', async () => {
    await waitFor('storefront web.1 up', () => dyno(fleet, 'acme-storefront', 'web.1').state === 'up');
  });

  it('marks the dyno whose process exits 1 as crashed', async () => {
    await waitFor('billing worker.1 crashed', () => dyno(fleet, 'acme-billing', 'worker.1').state === 'crashed', 6000);
    const pid = fleet.dynoPid('acme-billing', 'worker.1') ?? 0;
    assert.equal(isAlive(pid), false);
    assert.equal(dyno(fleet, 'acme-billing', 'web.1').state, 'up');
    const crashed = allDynos(fleet).filter((d) => d.state === 'crashed').map((d) => `${d.appName} ${d.name}`);
    assert.deepEqual(crashed, ['acme-billing worker.1']);
    const log = readFileSync(fleet.logFile('acme-billing', 'worker.1'), 'utf8');
    assert.match(log, /app\[worker\.1\]: .*Redis/);
    await waitFor('exit logged', () => readFileSync(fleet.logFile('acme-billing', 'worker.1'), 'utf8').includes('Process exited with status 1'));
  });

  it('appends timestamped Heroku-style lines to each dyno log', async () => {
    const file = fleet.logFile('acme-storefront', 'web.1');
    const size = statSync(file).size;
    await waitFor('web.1 log to grow', () => statSync(file).size > size, 4000);
    assert.match(readFileSync(file, 'utf8'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[web\.1\]: \S/m);
  });

  it('makes a fresh throwaway copy of the app for a one-off', async () => {
    const live = fleet.dynoDir('acme-storefront', 'web.1');
    writeFileSync(path.join(live, 'exec-was-here.txt'), 'hello\n');

    const run = await fleet.makeRunDir('acme-storefront');
    const other = await fleet.makeRunDir('acme-storefront');
    assert.match(run.dynoName, /^run\.\d{4}$/);
    assert.notEqual(run.dir, other.dir);
    assert.ok(run.dir.startsWith(path.join(fleet.root, 'runs') + path.sep));
    assert.ok(existsSync(path.join(run.dir, 'Procfile')));
    assert.ok(existsSync(path.join(run.dir, 'package.json')));
    assert.equal(existsSync(path.join(run.dir, 'exec-was-here.txt')), false);
    assert.ok(existsSync(path.join(live, 'exec-was-here.txt')));
    assert.equal(run.env.DYNO, run.dynoName);
    assert.equal(run.env.HOME, run.dir);
    assert.equal(run.env.HEROKU_APP_NAME, 'acme-storefront');
    assert.match(run.env.DATABASE_URL ?? '', /^postgres:\/\//);
    assert.equal(dyno(fleet, 'acme-storefront', run.dynoName).type, 'run');

    await run.dispose();
    await run.dispose();
    assert.equal(existsSync(run.dir), false);
    assert.equal(fleet.snapshot().dynos['acme-storefront']?.some((d) => d.name === run.dynoName), false);
    assert.ok(existsSync(other.dir));
    await other.dispose();
  });

  it('close() ends every process, removes the root, and can be called twice', async () => {
    const pids = allPids(fleet);
    assert.ok(pids.length >= 12);
    await fleet.close();
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} gone`);
    assert.equal(existsSync(fleet.root), false);
    await fleet.close();
    fleet.closeSync();
    assert.ok(allDynos(fleet).every((d) => d.state === 'down' || d.state === 'crashed'));
    await assert.rejects(fleet.makeRunDir('acme-storefront'), /closed/);
    assert.deepEqual(readdirSync(parent), []);
  });

  it('closeSync() kills every process group and removes the root at once', async () => {
    const other = await startDemoFleet({ root: parent });
    const pids = allPids(other);
    other.closeSync();
    assert.equal(existsSync(other.root), false);
    await waitFor('SIGKILLed dynos to be gone', () => pids.every((pid) => !isAlive(pid)), 2000);
    await other.close();
  });

  it('DemoSource lists the fleet and closes it', async () => {
    const source = await createDemoSource({ root: parent });
    assert.equal(source.kind, 'demo');
    assert.equal(source.label, 'demo fleet');
    const loaded = await source.load();
    assert.equal(loaded.apps.length, 5);
    assert.equal(loaded.account, 'demo@dynotty.dev');
    const pids = allPids(source.fleet);
    await source.close();
    await source.close();
    assert.ok(pids.every((pid) => !isAlive(pid)));
    assert.equal(existsSync(source.fleet.root), false);
  });

  it('dynos end by themselves when the dynotty process is SIGKILLed', async () => {
    const fleetModule = new URL('../../src/demo/fleet.js', import.meta.url).href;
    const script = path.join(parent, 'throwaway-parent.mjs');
    writeFileSync(
      script,
      [
        `import { startDemoFleet } from ${JSON.stringify(fleetModule)};`,
        'const fleet = await startDemoFleet({ root: process.argv[2] });',
        'const pids = Object.values(fleet.snapshot().dynos).flat().map((d) => fleet.dynoPid(d.appName, d.name));',
        "process.stdout.write(JSON.stringify({ root: fleet.root, pids }) + '\\n');",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [script, parent], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.once('exit', () => reject(new Error('throwaway parent exited early')));
    });
    const { root, pids } = JSON.parse(line) as { root: string; pids: number[] };
    try {
      assert.ok(pids.length >= 12 && pids.every(isAlive));
      child.kill('SIGKILL');
      await exited;
      await waitFor('orphaned dynos to exit', () => pids.every((pid) => !isAlive(pid)), 5000);
    } finally {
      for (const pid of pids) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone, as it should be
        }
      }
      assert.ok(path.basename(root).startsWith('dynotty-demo-') && path.dirname(root) === parent);
      rmSync(root, { recursive: true, force: true });
      rmSync(script, { force: true });
    }
  });
});
