import { render } from 'ink';
import { createDemoSource } from './demo/source.js';
import { DeferredSource } from './heroku/deferred-source.js';
import type { FleetSource } from './heroku/source.js';
import { startAutoRefresh } from './store/auto-refresh.js';
import { createAppStore } from './store/store.js';
import { TerminalGuard } from './terminal.js';
import { App } from '../components/App.js';
import { StoreContext, ThemeContext } from '../components/StoreContext.js';
import { colorEnabled, makeTheme } from '../components/theme.js';
import type { RunOptions } from './args.js';

const DEMO_REFRESH_MS = 2000;
const CLOSE_GRACE_MS = 3000;

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Runs the full-screen picker until the user quits; resolves with the exit status. */
export async function runPicker(_options: RunOptions): Promise<number> {
  const guard = new TerminalGuard(process.stdin);
  const source: FleetSource = new DeferredSource('demo', 'demo fleet', () => createDemoSource());
  const store = createAppStore({ source, now: Date.now });

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
  const ink = render(
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={makeTheme(colorEnabled())}>
        <App />
      </ThemeContext.Provider>
    </StoreContext.Provider>,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30 },
  );
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
    await ink.waitUntilExit();
  } finally {
    stopRefresh();
    for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal, onSignal);
    process.stdin.off('end', onStdinEnd);
    ink.unmount();
    guard.restore();
    await closeSource();
  }
  return exitCode;
}
