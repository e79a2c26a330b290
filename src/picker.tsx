import { render } from 'ink';
import { App } from '../components/App.js';
import { StoreContext, ThemeContext } from '../components/StoreContext.js';
import { colorEnabled, makeTheme } from '../components/theme.js';
import type { RunOptions } from './args.js';
import { DemoLauncher } from './demo/launcher.js';
import { createDemoSource } from './demo/source.js';
import { DeferredSource } from './heroku/deferred-source.js';
import { handOffFullscreen } from './session/fullscreen.js';
import { PtyRunner } from './session/runner.js';
import type { SessionLauncher } from './session/spec.js';
import { startAutoRefresh } from './store/auto-refresh.js';
import { createAppStore, type AppStore } from './store/store.js';
import { TerminalGuard } from './terminal.js';

const DEMO_REFRESH_MS = 2000;
const CLOSE_GRACE_MS = 3000;

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

function mountInk(store: AppStore) {
  return render(
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={makeTheme(colorEnabled())}>
        <App />
      </ThemeContext.Provider>
    </StoreContext.Provider>,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30 },
  );
}

/** Resolves with the id of the next session that asks for the whole terminal. */
function nextFullscreenRequest(store: AppStore): Promise<number> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const id = store.getState().fullscreen;
      if (id === null) return false;
      unsubscribe();
      resolve(id);
      return true;
    };
    const unsubscribe = store.subscribe(() => void check());
    check();
  });
}

function sessionEnded(store: AppStore, id: number): Promise<void> {
  return new Promise((resolve) => {
    const ended = (): boolean => store.getState().sessions.find((x) => x.id === id)?.state !== 'live';
    if (ended()) return resolve();
    const unsubscribe = store.subscribe(() => {
      if (ended()) {
        unsubscribe();
        resolve();
      }
    });
  });
}

/** Runs the full-screen picker until the user quits; resolves with the exit status. */
export async function runPicker(options: RunOptions): Promise<number> {
  const guard = new TerminalGuard(process.stdin);
  const demo = createDemoSource();
  demo.catch(() => undefined);
  const source = new DeferredSource('demo', 'demo fleet', () => demo);
  const launcher: SessionLauncher = { prepare: async (request) => new DemoLauncher((await demo).fleet).prepare(request) };
  const store = createAppStore(
    { source, now: Date.now, launcher, runner: new PtyRunner({ recordDir: options.record }), terminal: guard },
    { fullscreen: options.fullscreen },
  );

  let closing: Promise<void> | null = null;
  const closeSource = (): Promise<void> => {
    closing ??= Promise.race([source.close(), new Promise<void>((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
    return closing;
  };

  // Whatever ends the process, the terminal goes back as it was found and the fleet is stopped.
  process.on('exit', () => {
    guard.restore();
    source.closeSync?.();
  });
  // An error nobody caught: restore first, so the message lands on the user's screen, not the alternate one.
  const onFatal = (err: unknown): void => {
    guard.restore();
    source.closeSync?.();
    process.stderr.write(`dynotty: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env['DEBUG']?.split(',').includes('dynotty') && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);

  guard.enter();
  let ink = mountInk(store);
  const stopRefresh = startAutoRefresh(store, DEMO_REFRESH_MS);

  let exitCode = 0;
  const stopFromOutside = (code: number): void => {
    exitCode = code;
    store.getState().quit();
    ink.unmount();
  };
  const onSignal = (signal: NodeJS.Signals): void => stopFromOutside(SIGNAL_EXIT_CODES[signal] ?? 1);
  const onStdinEnd = (): void => stopFromOutside(0);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal, onSignal);
  process.stdin.on('end', onStdinEnd);

  try {
    for (;;) {
      const outcome = await Promise.race([
        ink.waitUntilExit().then(() => 'quit' as const),
        nextFullscreenRequest(store).then((id) => ({ fullscreen: id })),
      ]);
      if (outcome === 'quit' || store.getState().quitting) break;
      // Ink lets go of the terminal; the session gets it whole; then Ink draws again from the same store.
      ink.unmount();
      await ink.waitUntilExit();
      const handle = store.getState().handleFor(outcome.fullscreen);
      if (handle !== undefined) {
        guard.handOff();
        await handOffFullscreen(handle, { stdin: process.stdin, stdout: process.stdout }, sessionEnded(store, outcome.fullscreen));
        guard.reclaim();
      }
      store.getState().endFullscreen();
      if (store.getState().quitting) break;
      ink = mountInk(store);
    }
  } finally {
    stopRefresh();
    for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal, onSignal);
    process.stdin.off('end', onStdinEnd);
    ink.unmount();
    guard.restore();
    await store.getState().closeAllSessions();
    await closeSource();
  }
  return exitCode;
}
