import { render } from 'ink';
import os from 'node:os';
import { App } from '../components/App.js';
import { StartScreen } from '../components/StartScreen.js';
import { PaneContext } from '../components/PaneContext.js';
import { StoreContext, ThemeContext } from '../components/StoreContext.js';
import { colorEnabled, makeTheme, type Theme } from '../components/theme.js';
import { protectMatcher } from './access/protect.js';
import type { RunOptions } from './args.js';
import { demoBackend, resolveBackend, type Backend } from './backend.js';
import { handOffFullscreen } from './session/fullscreen.js';
import { notifyingStream, PanePainter } from './session/pane-painter.js';
import { endAllSessionsNow } from './session/terminal-session.js';
import { PtyRunner } from './session/runner.js';
import type { StartProblem } from './start-problem.js';
import { startAutoRefresh } from './store/auto-refresh.js';
import { createAppStore, type AppStore } from './store/store.js';
import { TerminalGuard } from './terminal.js';
import { terminalClipboard } from './clipboard/osc52.js';
import { installTestFault } from './test-fault.js';
import { saveUiLibrariesCache, uiLibrariesCacheState } from './ui-libraries.js';
import { createDebugLog, loggedSource, type DebugLog } from './debug-log.js';
import type { SessionLauncher } from './session/spec.js';

const CLOSE_GRACE_MS = 3000;
/** Resolving the source faster than this shows no start screen at all. */
const START_SCREEN_DELAY_MS = 150;

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * A frame is drawn as soon as a key changed something: Ink's throttle (30 fps by default)
 * held a key that came within 33 ms of the previous frame until the window closed. The
 * session pane caps its own frame rate where its frames are made (the runner), so Ink's
 * cap only ever delayed keys. Incremental: only the lines that changed are written (a
 * cursor move rewrote all 30 lines), with Ink's off-by-one fixed at build time
 * (scripts/bundle.ts).
 */
/** After the first frame: late enough that its code has run, early enough for a short visit. */
const CODE_CACHE_DELAY_MS = 500;
/** How long the first frame may wait for the first listing. */
const FIRST_LOAD_WAIT_MS = 33;
const INK_OPTIONS = { exitOnCtrlC: false, patchConsole: false, maxFps: 1000, incrementalRendering: true } as const;

/**
 * Ink draws the picker and a session's chrome; the session's screen is painted straight
 * onto the terminal from the store's frame (no React render per frame), and again after
 * each of Ink's writes (which redraw the empty pane too: inside Ink's synchronized-output
 * block, so a terminal that supports it never shows the pane blank). Ink writes only
 * the lines that changed, so what the painter drew on lines Ink sees as blank both before
 * and after is blanked by the painter itself (setArea(null)).
 */
function mountInk(store: AppStore, theme: Theme, painter: PanePainter) {
  return render(
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>
        <PaneContext.Provider value={painter}>
          <App />
        </PaneContext.Provider>
      </ThemeContext.Provider>
    </StoreContext.Provider>,
    { ...INK_OPTIONS, stdout: notifyingStream(process.stdout, () => painter.invalidate()) },
  );
}

/**
 * Finds the source the options ask for. Slow paths (heroku auth:token) show a start screen;
 * when nothing is found, the screen says what is missing and offers the demo fleet.
 * Resolves null when the user quits there.
 */
async function chooseBackend(options: RunOptions, theme: Theme, log: DebugLog): Promise<Backend | null> {
  // Quitting (or taking the demo) while heroku auth:token runs must stop it, not wait for it.
  const looking = new AbortController();
  const resolving = resolveBackend(options, {
    signal: looking.signal,
    env: process.env,
    homeDir: os.homedir(),
    cwd: process.cwd(),
    onSecret: (secret) => log.addSecret(secret),
  });
  const quick = await Promise.race([resolving, new Promise<null>((r) => setTimeout(() => r(null), START_SCREEN_DELAY_MS))]);
  if (quick?.kind === 'ready') return quick.backend;

  let choice: (value: 'demo' | 'quit') => void = () => undefined;
  const chosen = new Promise<'demo' | 'quit'>((resolve) => (choice = resolve));
  const screen = (problem: StartProblem | null) => (
    <ThemeContext.Provider value={theme}>
      <StartScreen problem={problem} onDemo={() => choice('demo')} onQuit={() => choice('quit')} />
    </ThemeContext.Provider>
  );
  const ink = render(screen(null), INK_OPTIONS);
  try {
    const resolution = await Promise.race([resolving, chosen.then(() => null)]);
    if (resolution?.kind === 'ready') return resolution.backend;
    if (resolution !== null) ink.rerender(screen(resolution.problem));
    return (await chosen) === 'demo' ? demoBackend() : null;
  } finally {
    looking.abort();
    ink.unmount();
    await ink.waitUntilExit();
  }
}

/**
 * Waits for the first listing, at most one 30 Hz frame: a fleet that arrives within it
 * looks no later to the eye, and this way the first frame shows it (the demo fleet's
 * listing is immediate) instead of a "loading" frame.
 */
function firstLoadOrFrame(store: AppStore): Promise<void> {
  const settled = (): boolean => store.getState().loadedAt !== null || store.getState().loadError !== null;
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, FIRST_LOAD_WAIT_MS);
    const unsubscribe = store.subscribe(() => void (settled() && done()));
  });
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
  const theme = makeTheme(colorEnabled());
  // Set once there is something to stop; every exit path below calls it.
  let releaseSync: () => void = () => undefined;
  let stopFromOutside: (code: number) => void = (code) => {
    // Before the picker is up (the start screen): restore and go.
    guard.restore();
    process.exit(code);
  };

  // Whatever ends the process, the terminal goes back as it was found and the fleet is stopped.
  process.on('exit', () => {
    guard.restore();
    releaseSync();
    saveUiLibrariesCache();
  });
  // An error nobody caught: restore first, so the message lands on the user's screen, not the alternate one.
  const onFatal = (err: unknown): void => {
    guard.restore();
    releaseSync();
    endAllSessionsNow();
    process.stderr.write(`dynotty: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env['DEBUG']?.split(',').includes('dynotty') && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  installTestFault(process.env);
  const onSignal = (signal: NodeJS.Signals): void => stopFromOutside(SIGNAL_EXIT_CODES[signal] ?? 1);
  const onStdinEnd = (): void => stopFromOutside(0);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal, onSignal);
  process.stdin.on('end', onStdinEnd);

  guard.enter();
  // Git is asked only when the fleet may be the user's own; the demo fleet's apps are not.
  const inferred =
    options.source === 'demo' && options.app === null
      ? Promise.resolve(null)
      : import('./heroku/app-inference.js').then(({ inferApp }) =>
          inferApp({ flagApp: options.app, flagRemote: options.remote, env: process.env, cwd: process.cwd() }),
        );
  const log = createDebugLog();
  const backend = await chooseBackend(options, theme, log);
  log.write('start', { source: backend?.source.kind ?? null, options: { ...options }, codeCache: uiLibrariesCacheState() });
  if (backend === null) {
    guard.restore();
    return 0;
  }
  const source = loggedSource(backend.source, log);
  const launcher: SessionLauncher = {
    prepare: async (request) => {
      const spec = await backend.launcher.prepare(request);
      log.write('session', { ...request, file: spec.file, args: spec.args, cwd: spec.cwd });
      return spec;
    },
  };
  releaseSync = () => source.closeSync?.();
  // The demo fleet's apps are not the user's: what git or HEROKU_APP say does not apply to it.
  const preferred = source.kind === 'demo' && options.app === null ? null : await inferred;
  // After an internal error the terminal is restored while React is still mounted: its clean-ups
  // (and the header clock's last tick) must not draw over the message on the user's screen.
  const painter = new PanePainter((data) => {
    if (guard.ownsScreen) process.stdout.write(data);
  });
  const store = createAppStore(
    {
      source,
      now: Date.now,
      launcher,
      runner: new PtyRunner({ recordDir: options.record }),
      terminal: guard,
      screen: painter,
      ops: backend.ops,
      clipboard: terminalClipboard(),
    },
    {
      fullscreen: options.fullscreen,
      preferredApp: preferred?.app ? { app: preferred.app, origin: preferred.origin ?? 'git' } : null,
      remotes: preferred?.candidates ?? [],
      access: { ssh: backend.ssh, runSize: options.size },
      isProtected: protectMatcher(options.protect),
    },
  );

  // Frames reach the painter from the sessions themselves; off the session view it shows none.
  store.subscribe((s) => {
    if (s.view !== 'session') painter.show(null);
  });
  const stopRefresh = startAutoRefresh(store, options.refreshSeconds !== null ? options.refreshSeconds * 1000 : backend.refreshMs);
  await firstLoadOrFrame(store);
  let ink = mountInk(store, theme, painter);
  backend.startAfterFirstFrame?.();
  // Once the first frame's code has run, so that the next start finds it compiled.
  setTimeout(saveUiLibrariesCache, CODE_CACHE_DELAY_MS).unref();

  let exitCode = 0;
  let signalStop: () => void = () => undefined;
  const stoppedFromOutside = new Promise<void>((resolve) => (signalStop = resolve));
  stopFromOutside = (code) => {
    exitCode = code;
    store.getState().quit();
    signalStop();
    ink.unmount();
  };

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
        const over = Promise.race([sessionEnded(store, outcome.fullscreen), stoppedFromOutside]);
        await handOffFullscreen(handle, { stdin: process.stdin, stdout: process.stdout }, over);
        // Quitting from here (a signal): no need to draw the picker's screen only to leave it.
        if (store.getState().quitting) guard.endHandOff();
        else guard.reclaim();
      }
      store.getState().endFullscreen();
      if (store.getState().quitting) break;
      // The hand-off leaves stdin paused, and Ink 6.8 only adds a 'readable' listener, which
      // does not restart a paused TTY stream: once the child had exited (nothing else keeping
      // the loop alive), Node's 'beforeExit' unmounted Ink and dynotty quit on its own.
      process.stdin.resume();
      ink = mountInk(store, theme, painter);
    }
  } finally {
    stopRefresh();
    ink.unmount();
    guard.restore();
    await store.getState().closeAllSessions();
    await Promise.race([source.close(), new Promise<void>((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
    for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal, onSignal);
    process.stdin.off('end', onStdinEnd);
  }
  return exitCode;
}
