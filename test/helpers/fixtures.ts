import type { App, Dyno } from '../../src/heroku/model.js';
import type { Fleet, FleetSource } from '../../src/heroku/source.js';
import type { InputModes } from '../../src/session/pty-session.js';
import type { Run, ScreenFrame } from '../../src/session/screen.js';
import type { SessionLauncher, SessionRequest, SpawnSpec } from '../../src/session/spec.js';
import type { SessionHandle, SessionRunner, SessionStartOptions, TerminalControl } from '../../src/store/sessions.js';
import type { StoreServices } from '../../src/store/store.js';

export function app(overrides: Partial<App> = {}): App {
  const name = overrides.name ?? 'acme-web';
  return {
    id: `id-${name}`,
    name,
    ownerEmail: 'dev@example.com',
    team: null,
    region: 'us',
    space: null,
    stack: 'heroku-24',
    generation: 'cedar',
    processTier: 'production',
    maintenance: false,
    execEnabled: true,
    webUrl: `https://${name}.herokuapp.com/`,
    ...overrides,
  };
}

export function dyno(overrides: Partial<Dyno> = {}): Dyno {
  const name = overrides.name ?? 'web.1';
  const appName = overrides.appName ?? 'acme-web';
  return {
    id: `id-${appName}-${name}`,
    name,
    type: name.split(/[.-]/)[0] ?? 'web',
    state: 'up',
    size: 'Standard-1X',
    command: 'npm start',
    createdAt: new Date(Date.now() - 3_600_000).toISOString(),
    updatedAt: new Date(Date.now() - 3_600_000).toISOString(),
    appName,
    releaseVersion: 42,
    ...overrides,
  };
}

export function fleet(apps: App[], dynos: Dyno[], extra: Partial<Fleet> = {}): Fleet {
  const byApp: Record<string, Dyno[]> = {};
  for (const a of apps) byApp[a.name] = [];
  for (const d of dynos) (byApp[d.appName] ??= []).push(d);
  return { account: 'dev@example.com', apps, dynos: byApp, appErrors: {}, ...extra };
}

/** The standard small fleet the store and component tests share. */
export function sampleFleet(): Fleet {
  return fleet(
    [
      app({ name: 'acme-billing', execEnabled: false }),
      app({ name: 'acme-ml-fir', generation: 'fir' }),
      app({ name: 'acme-web' }),
    ],
    [
      dyno({ appName: 'acme-billing', name: 'web.1' }),
      dyno({ appName: 'acme-billing', name: 'worker.1', state: 'crashed', command: 'node worker.js' }),
      dyno({ appName: 'acme-ml-fir', name: 'web-848cd4f64d-pvpr2' }),
      dyno({ appName: 'acme-web', name: 'web.1' }),
      dyno({ appName: 'acme-web', name: 'web.2' }),
      dyno({ appName: 'acme-web', name: 'worker.1', command: 'node worker.js' }),
    ],
  );
}

/** A source that serves whatever the test sets, and counts its loads. */
export class FakeSource implements FleetSource {
  readonly kind = 'demo' as const;
  readonly label = 'fake fleet';
  loads = 0;
  closed = 0;
  next: Fleet | Error;

  constructor(initial: Fleet | Error = sampleFleet()) {
    this.next = initial;
  }

  async load(): Promise<Fleet> {
    this.loads++;
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

/** A child that records what it is sent; the test makes it draw and exit. */
export class FakeHandle implements SessionHandle {
  static nextPid = 1000;
  readonly pid = FakeHandle.nextPid++;
  written: string[] = [];
  sizes: [number, number][] = [];
  visible = false;
  passthrough: ((data: string) => void) | null = null;
  killed = false;
  disposed = false;
  modes: InputModes = { applicationCursorKeys: false, bracketedPaste: false };

  constructor(
    readonly spec: SpawnSpec,
    readonly opts: SessionStartOptions,
  ) {}

  write(data: string): void {
    this.written.push(data);
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.draw(`screen of ${this.spec.title}`);
  }
  setPassthrough(writer: ((data: string) => void) | null): void {
    this.passthrough = writer;
  }
  inputModes(): InputModes {
    return this.modes;
  }
  async drain(): Promise<void> {}
  snapshot(): ScreenFrame {
    return { cols: this.opts.cols, rows: this.opts.rows, lines: [[{ text: `screen of ${this.spec.title}`, style: {} }]], cursor: { x: 0, y: 0, visible: true } };
  }
  async kill(): Promise<void> {
    this.killed = true;
    this.exitWith(129);
  }
  dispose(): void {
    this.disposed = true;
  }

  draw(text: string): void {
    if (!this.visible) return;
    const line: Run[] = [{ text, style: {} }];
    this.opts.onFrame({ cols: this.opts.cols, rows: this.opts.rows, lines: [line], cursor: { x: 0, y: 0, visible: true } });
  }
  exitWith(exitCode: number): void {
    this.opts.onExit({ exitCode, signal: null, durationMs: 1234 });
  }
}

export class FakeRunner implements SessionRunner {
  started: FakeHandle[] = [];
  failWith: Error | null = null;
  async start(spec: SpawnSpec, opts: SessionStartOptions): Promise<FakeHandle> {
    if (this.failWith) throw this.failWith;
    const handle = new FakeHandle(spec, opts);
    this.started.push(handle);
    return handle;
  }
}

export class FakeLauncher implements SessionLauncher {
  requests: SessionRequest[] = [];
  failWith: Error | null = null;
  async prepare(request: SessionRequest): Promise<SpawnSpec> {
    this.requests.push(request);
    if (this.failWith) throw this.failWith;
    return {
      file: '/bin/sh',
      args: [],
      cwd: '/',
      env: {},
      title: `heroku ${request.mode} -a ${request.app}`,
      dynoName: request.mode === 'run' ? 'run.1234' : request.dyno,
      dispose: async () => undefined,
    };
  }
}

export class FakeTerminal implements TerminalControl {
  modes: InputModes[] = [];
  setInputModes(modes: InputModes): void {
    this.modes.push(modes);
  }
}

export interface FakeServices extends StoreServices {
  source: FakeSource;
  launcher: FakeLauncher;
  runner: FakeRunner;
  terminal: FakeTerminal;
}

export function fakeServices(source: FakeSource = new FakeSource(), now: () => number = () => 1_000): FakeServices {
  return { source, now, launcher: new FakeLauncher(), runner: new FakeRunner(), terminal: new FakeTerminal() };
}
