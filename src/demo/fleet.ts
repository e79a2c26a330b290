// The running demo fleet: every dyno of the definition is a real local
// process in its own folder under one private temp root, and the states the
// picker shows are read from those processes.
//
// Layout of the root:
//   apps/<app>/           the app's source (what a one-off starts from)
//   dynos/<app>/<dyno>/   a live dyno's filesystem (cwd and HOME of its process)
//   logs/<app>/<dyno>.log its Heroku-style log (router.log: the router's lines for web dynos)
//   runs/<app>/run.N/     throwaway copies for one-offs (makeRunDir)
import { randomInt, randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Dyno } from '../heroku/model.js';
import type { Fleet } from '../heroku/source.js';
import { copyTree, createRoot, removeInside, removeInsideSync, writeTree } from './demo-folders.js';
import { demoDynoEnv } from './dyno-env.js';
import type { DynoExit } from './dyno-process.js';
import { DynoProcess } from './dyno-process.js';
import { dynoScript, PARENT_PID_VAR } from './dyno-script.js';
import type { DemoAppDef, DemoDynoDef } from './fleet-definition.js';
import { DEMO_ACCOUNT, DEMO_APPS } from './fleet-definition.js';

export interface StartDemoFleetOptions {
  /** Folder in which the temp root is created (default: the OS temp folder). */
  root?: string;
  /** The process whose death ends every dyno (default: this process). */
  parentPid?: number;
  /** The apps to run (default: DEMO_APPS). */
  apps?: readonly DemoAppDef[];
}

/** A fresh copy of an app's folder for one `heroku run`-like session. */
export interface RunDir {
  dir: string;
  /** `run.N`, N four random digits. */
  dynoName: string;
  env: Record<string, string>;
  /** Removes the folder and the one-off from the listing. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface DynoEnvOptions {
  /** false gives the env a `heroku ps:exec` shell really gets: no config vars. Default true. */
  withConfigVars?: boolean;
}

interface DynoRuntime {
  def: DemoDynoDef;
  id: string;
  port: number;
  createdAt: string;
  /** null until start() has spawned it: the dyno is listed as starting meanwhile. */
  process: DynoProcess | null;
  /** Between the old process's end and the new one's start, a restart reports `starting`. */
  restarting?: boolean;
}

interface OneOff {
  id: string;
  createdAt: string;
}

interface AppRuntime {
  def: DemoAppDef;
  /** `runtime-heroku-exec`, once enabled by a first exec. */
  execEnabled: boolean | null;
  dynos: Map<string, DynoRuntime>;
  runs: Map<string, OneOff>;
}

/** Grace between SIGTERM and SIGKILL when closing. */
const GRACE_MS = 500;
const FIRST_PORT = 5000;
/** A restarted dyno boots this long (state `starting`), so the change can be seen in the list. */
export const RESTART_BOOT_SECONDS = 3;
/** Heroku gives a dyno 30 s after SIGTERM; the demo's shell loops need far less. */
const RESTART_GRACE_MS = 2000;

/** Heroku's timestamp shape: seconds precision, UTC. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Logplex's timestamp: microseconds, UTC. */
function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

// One collator: localeCompare with options builds a new one per call (~0.2 ms each, at start-up).
const NAME_ORDER = new Intl.Collator('en', { numeric: true });

function byName(a: { name: string }, b: { name: string }): number {
  return NAME_ORDER.compare(a.name, b.name);
}

export class DemoFleet {
  private readonly apps = new Map<string, AppRuntime>();
  private nextPort = FIRST_PORT;
  private rootDir: string | null = null;
  private starting: Promise<void> | null = null;
  private startError: unknown = null;
  private closed = false;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly opts: StartDemoFleetOptions,
    private readonly parentPid: number,
    private readonly startedAt: number,
  ) {}

  /**
   * The fleet as defined: listed at once (every dyno `starting`), with no folder or
   * process yet, so the picker's first frame need not wait for them. start() makes them.
   */
  static define(opts: StartDemoFleetOptions = {}): DemoFleet {
    const fleet = new DemoFleet(opts, opts.parentPid ?? process.pid, Date.now());
    for (const def of opts.apps ?? DEMO_APPS) {
      const dynos = new Map<string, DynoRuntime>();
      for (const dyno of def.dynos) {
        const createdAt = isoSeconds(fleet.startedAt - dyno.ageMinutes * 60_000);
        dynos.set(dyno.name, { def: dyno, id: randomUUID(), port: fleet.nextPort++, createdAt, process: null });
      }
      fleet.apps.set(def.app.name, { def, execEnabled: def.app.execEnabled, dynos, runs: new Map() });
    }
    return fleet;
  }

  static async start(opts: StartDemoFleetOptions = {}): Promise<DemoFleet> {
    const fleet = DemoFleet.define(opts);
    await fleet.start();
    return fleet;
  }

  /** The private temp folder everything lives in; there once start() has made it. */
  get root(): string {
    if (this.rootDir === null) throw new Error('the demo fleet has not started');
    return this.rootDir;
  }

  /** Why start() failed, if it did (the listing reports it). */
  get failure(): unknown {
    return this.startError;
  }

  /**
   * Makes every folder, then spawns every dyno; resolves once they run. Safe to call
   * again (the same start). A fleet closed meanwhile stops short and leaves nothing behind.
   */
  start(): Promise<void> {
    this.starting ??= this.build().catch((err: unknown) => {
      this.startError = err;
      this.closeSync();
      throw err;
    });
    return this.starting;
  }

  private async build(): Promise<void> {
    if (this.closed) throw new Error('the demo fleet is closed');
    const root = await createRoot(this.opts.root);
    this.rootDir = root;
    if (this.closed) return removeInside(root, root);
    const runtimes = [...this.apps.values()];
    await Promise.all(runtimes.map((rt) => this.prepareApp(root, rt.def)));
    // Spawn only once every folder exists, so a failed copy leaves no process behind.
    if (this.closed) return removeInside(root, root);
    for (const rt of runtimes) for (const dyno of rt.dynos.values()) dyno.process = this.spawnDyno(root, rt, dyno);
  }

  private async prepareApp(root: string, def: DemoAppDef): Promise<void> {
    const name = def.app.name;
    const dir = appDir(root, name);
    await writeTree(root, dir, def.source);
    await mkdir(path.join(root, 'logs', name), { recursive: true });
    await Promise.all(def.dynos.map((dyno) => copyTree(root, dir, dynoDir(root, name, dyno.name))));
  }

  private spawnDyno(root: string, rt: AppRuntime, dyno: DynoRuntime, restart = false): DynoProcess {
    const appName = rt.def.app.name;
    const { def } = dyno;
    const dir = dynoDir(root, appName, def.name);
    const logFile = logFileOf(root, appName, def.name);
    const env = demoDynoEnv({ def: rt.def, dynoName: def.name, dynoId: dyno.id, dir, port: dyno.port });
    const bootSeconds = restart ? RESTART_BOOT_SECONDS : 1;
    env[PARENT_PID_VAR] = String(this.parentPid);
    const script = dynoScript({
      dyno: def.name,
      command: def.command,
      behaviour: def.behaviour,
      logFile,
      lines: rt.def.logLines[def.behaviour] ?? [],
      user: def.behaviour === 'attached' ? DEMO_ACCOUNT : undefined,
      bootSeconds,
      router:
        def.type === 'web'
          ? { logFile: path.join(root, 'logs', appName, 'router.log'), host: hostOf(rt.def.app.webUrl) ?? `${appName}.herokuapp.com` }
          : undefined,
    });
    return new DynoProcess({
      script,
      cwd: dir,
      env,
      startingMs: bootSeconds * 1000,
      onUnexpectedExit: (exit) => this.logExit(def.name, logFile, exit),
    });
  }

  /**
   * Restarts one dyno as Heroku does: SIGTERM to its processes (SIGKILL after a grace),
   * a fresh filesystem (what exec wrote there is gone), a new process that reports
   * `starting` while it boots, then `up`. The platform's lines go to its log.
   */
  async restartDyno(appName: string, dynoName: string): Promise<void> {
    if (this.closed) throw new Error('the demo fleet is closed');
    await this.start();
    const root = this.root;
    const rt = this.app(appName);
    const old = this.dyno(appName, dynoName);
    if (old.restarting || old.process === null) return;
    old.restarting = true;
    const proc = old.process;
    const logFile = logFileOf(root, appName, dynoName);
    const from = proc.state();
    const running = proc.running;
    const lines = [`heroku[${dynoName}]: Restarting`, `heroku[${dynoName}]: State changed from ${from} to starting`];
    if (running) lines.push(`heroku[${dynoName}]: Stopping all processes with SIGTERM`);
    await this.platformLog(logFile, lines);
    if (running) {
      proc.stop('SIGTERM');
      if (!(await proc.waitExit(RESTART_GRACE_MS))) {
        proc.stop('SIGKILL');
        await proc.waitExit(RESTART_GRACE_MS);
      }
      const status = proc.exit?.code ?? 128 + 15;
      await this.platformLog(logFile, [`heroku[${dynoName}]: Process exited with status ${status}`]);
    }
    if (this.closed) return;
    const dir = dynoDir(root, appName, dynoName);
    await removeInside(root, dir);
    await copyTree(root, appDir(root, appName), dir);
    if (this.closed) return;
    old.process = this.spawnDyno(root, rt, old, true);
    old.restarting = false;
  }

  /** `heroku ps:restart -a APP`: every formation dyno at once. */
  async restartApp(appName: string): Promise<void> {
    const rt = this.app(appName);
    await Promise.all([...rt.dynos.keys()].map((name) => this.restartDyno(appName, name)));
  }

  /** What a first `heroku ps:exec` does once the user says yes: the feature on, every dyno restarted. */
  async enableExec(appName: string): Promise<void> {
    const rt = this.app(appName);
    rt.execEnabled = true;
    await this.restartApp(appName);
  }

  /** The folder of the app's log files, for `heroku logs`. */
  logDir(appName: string): string {
    this.app(appName);
    return path.join(this.root, 'logs', appName);
  }

  private async platformLog(logFile: string, lines: string[]): Promise<void> {
    const ts = logTimestamp(Date.now());
    await appendFile(logFile, lines.map((l) => `${ts} ${l}\n`).join('')).catch(() => undefined);
  }

  /** What the platform would log when a dyno's process ends on its own. */
  private logExit(dyno: string, logFile: string, exit: DynoExit): void {
    if (this.closed) return;
    const status = exit.code ?? 128;
    const to = exit.code === 0 ? 'down' : 'crashed';
    const ts = logTimestamp(exit.at);
    const text = `${ts} heroku[${dyno}]: Process exited with status ${status}\n${ts} heroku[${dyno}]: State changed from up to ${to}\n`;
    appendFile(logFile, text).catch(() => undefined);
  }

  private app(appName: string): AppRuntime {
    const rt = this.apps.get(appName);
    if (!rt) throw new Error(`Couldn't find that app: ${appName}`);
    return rt;
  }

  private dyno(appName: string, dynoName: string): DynoRuntime {
    const dyno = this.app(appName).dynos.get(dynoName);
    if (!dyno) throw new Error(`Couldn't find dyno ${dynoName} on ${appName}`);
    return dyno;
  }

  /** Everything as it is right now, states read from the processes. */
  snapshot(): Fleet {
    const now = Date.now();
    const apps = [...this.apps.values()].map((rt) => ({ ...rt.def.app, execEnabled: rt.execEnabled })).sort(byName);
    const dynos: Record<string, Dyno[]> = {};
    for (const rt of this.apps.values()) {
      const appName = rt.def.app.name;
      const release = rt.def.releaseVersion;
      const list: Dyno[] = [...rt.dynos.values()].map((d) => ({
        id: d.id,
        name: d.def.name,
        type: d.def.type,
        state: d.restarting ? 'starting' : (d.process?.state(now) ?? 'starting'),
        size: d.def.size,
        command: d.def.command,
        createdAt: d.createdAt,
        updatedAt: d.process?.exit ? isoSeconds(d.process.exit.at) : d.createdAt,
        appName,
        releaseVersion: release,
      }));
      for (const [name, run] of rt.runs) {
        list.push({
          id: run.id,
          name,
          type: 'run',
          state: 'up',
          size: rt.def.oneOffSize,
          command: 'bash',
          createdAt: run.createdAt,
          updatedAt: run.createdAt,
          appName,
          releaseVersion: release,
        });
      }
      dynos[appName] = list.sort(byName);
    }
    return { account: DEMO_ACCOUNT, apps, dynos, appErrors: {} };
  }

  /** The live dyno's folder: where an exec shell starts. */
  dynoDir(appName: string, dynoName: string): string {
    this.dyno(appName, dynoName);
    return dynoDir(this.root, appName, dynoName);
  }

  /** The env an exec shell in this dyno gets (the dyno's own, minus dynotty's bookkeeping). */
  dynoEnv(appName: string, dynoName: string, opts: DynoEnvOptions = {}): Record<string, string> {
    const rt = this.app(appName);
    const d = this.dyno(appName, dynoName);
    const dir = dynoDir(this.root, appName, dynoName);
    return demoDynoEnv({ def: rt.def, dynoName, dynoId: d.id, dir, port: d.port, withConfigVars: opts.withConfigVars });
  }

  /** The pid (and process group id) of the dyno's process; null if it has not been spawned. */
  dynoPid(appName: string, dynoName: string): number | null {
    return this.dyno(appName, dynoName).process?.pid ?? null;
  }

  logFile(appName: string, dynoName: string): string {
    this.dyno(appName, dynoName);
    return logFileOf(this.root, appName, dynoName);
  }

  async makeRunDir(appName: string): Promise<RunDir> {
    if (this.closed) throw new Error('the demo fleet is closed');
    const rt = this.app(appName);
    const root = this.root;
    const dynoName = this.freshRunName(rt);
    const run: OneOff = { id: randomUUID(), createdAt: isoSeconds(Date.now()) };
    rt.runs.set(dynoName, run);
    const dir = path.join(root, 'runs', appName, dynoName);
    const forget = async (): Promise<void> => {
      if (rt.runs.get(dynoName) === run) rt.runs.delete(dynoName);
      await removeInside(root, dir);
    };
    try {
      await copyTree(root, appDir(root, appName), dir);
    } catch (err) {
      await forget();
      throw err;
    }
    const env = demoDynoEnv({ def: rt.def, dynoName, dynoId: run.id, dir, port: this.nextPort++ });
    let disposing: Promise<void> | null = null;
    return {
      dir,
      dynoName,
      env,
      dispose: () => (disposing ??= forget()),
    };
  }

  private freshRunName(rt: AppRuntime): string {
    for (;;) {
      const name = `run.${randomInt(1000, 10000)}`;
      if (!rt.dynos.has(name) && !rt.runs.has(name)) return name;
    }
  }

  private processes(): DynoProcess[] {
    return [...this.apps.values()].flatMap((rt) => [...rt.dynos.values()].flatMap((d) => (d.process === null ? [] : [d.process])));
  }

  /** Stops every dyno (SIGTERM, then SIGKILL after a short grace) and removes the root. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    // A start under way finishes its step, sees the fleet closed, and spawns nothing more.
    await this.starting?.catch(() => undefined);
    const live = this.processes().filter((p) => p.running);
    for (const p of live) p.stop('SIGTERM');
    const ended = await Promise.all(live.map((p) => p.waitExit(GRACE_MS)));
    const stubborn = live.filter((_, i) => !ended[i]);
    for (const p of stubborn) p.stop('SIGKILL');
    await Promise.all(stubborn.map((p) => p.waitExit(GRACE_MS * 4)));
    if (this.rootDir !== null) await removeInside(this.rootDir, this.rootDir);
  }

  /** For `process.on('exit')`: SIGKILL every dyno's group and remove the root, synchronously. */
  closeSync(): void {
    this.closed = true;
    this.closing ??= Promise.resolve();
    for (const p of this.processes()) p.stop('SIGKILL');
    if (this.rootDir !== null) removeInsideSync(this.rootDir, this.rootDir);
  }
}

function appDir(root: string, appName: string): string {
  return path.join(root, 'apps', appName);
}

function dynoDir(root: string, appName: string, dynoName: string): string {
  return path.join(root, 'dynos', appName, dynoName);
}

function logFileOf(root: string, appName: string, dynoName: string): string {
  return path.join(root, 'logs', appName, `${dynoName}.log`);
}

export function startDemoFleet(opts?: StartDemoFleetOptions): Promise<DemoFleet> {
  return DemoFleet.start(opts);
}
