// The logs view's state and actions: one log stream at a time, its lines in a bounded
// buffer, and the window onto them (following or paused, searched) drawn at most once
// per frame interval.
import { LogBuffer } from '../logs/log-buffer.js';
import { LogView, type LogFrame } from '../logs/log-view.js';
import type { LogStream, LogTarget, Operations } from '../ops/operations.js';
import type { AppState } from './store.js';

export interface LogsMeta {
  target: LogTarget;
  /** The command the lines come from. */
  title: string;
  state: 'live' | 'ended';
  /** Why the stream ended, when it failed: the command and what it said. */
  problem: string | null;
  /** `/` typed: the search line is open, holding `input`. */
  searching: boolean;
  input: string;
}

export interface LogsSlice {
  logs: LogsMeta | null;
  logsFrame: LogFrame | null;
  /** `l`: the selected dyno's logs, or the whole app's when the apps list has the focus. */
  openLogs: () => void;
  /** Esc: the stream (and its process) ended, back to the picker. */
  closeLogs: () => Promise<void>;
  logsScroll: (delta: number) => void;
  logsPage: (direction: 1 | -1) => void;
  logsEdge: (edge: 'first' | 'last') => void;
  logsTogglePause: () => void;
  logsStartSearch: () => void;
  logsEditSearch: (input: string) => void;
  /** Enter on the search line: the first match from the top of the view. Empty input clears the search. */
  logsAcceptSearch: () => void;
  logsCancelSearch: () => void;
  logsFind: (direction: 1 | -1) => void;
  /** The pane's size changed. */
  logsResize: (cols: number, rows: number) => void;
}

type SetState = (partial: Partial<AppState>) => void;
type GetState = () => AppState;

const FRAME_MS = 50;

export function createLogsSlice(set: SetState, get: GetState, ops: Operations | undefined): LogsSlice {
  let stream: LogStream | null = null;
  let view: LogView | null = null;
  let timer: NodeJS.Timeout | null = null;
  let generation = 0;

  const draw = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (view !== null) set({ logsFrame: view.frame() });
  };
  const scheduleDraw = (): void => {
    if (timer === null) timer = setTimeout(draw, FRAME_MS);
  };
  const patch = (p: Partial<LogsMeta>): void => {
    const logs = get().logs;
    if (logs !== null) set({ logs: { ...logs, ...p } });
  };
  const withView = (fn: (v: LogView) => void): void => {
    if (view === null) return;
    fn(view);
    draw();
  };

  return {
    logs: null,
    logsFrame: null,

    openLogs: () => {
      const s = get();
      const app = s.selectedApp;
      if (app === null || s.view !== 'picker') return;
      if (ops === undefined) return set({ notice: 'Logs are not available with this source.' });
      const target: LogTarget = { app, dyno: s.focus === 'dynos' ? s.selectedDyno : null };
      const buffer = new LogBuffer();
      const mine = ++generation;
      view = new LogView(buffer, get().viewport);
      set({
        view: 'logs',
        logs: { target, title: ops.logsCommand(target), state: 'live', problem: null, searching: false, input: '' },
        logsFrame: view.frame(),
        overlay: null,
      });
      stream = ops.openLogs(target, {
        onData: (text) => {
          if (mine !== generation) return;
          if (buffer.append(text) > 0) scheduleDraw();
        },
        onEnd: (problem) => {
          if (mine !== generation) return;
          buffer.flush();
          patch({ state: 'ended', problem });
          draw();
        },
      });
    },

    closeLogs: async () => {
      generation++;
      const closing = stream;
      stream = null;
      view = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (get().view === 'logs') set({ view: 'picker' });
      set({ logs: null, logsFrame: null });
      await closing?.stop();
    },

    logsScroll: (delta) => withView((v) => v.scrollBy(delta)),
    logsPage: (direction) => withView((v) => v.page(direction)),
    logsEdge: (edge) => withView((v) => (edge === 'first' ? v.toTop() : v.toBottom())),
    logsTogglePause: () => withView((v) => v.togglePause()),

    logsStartSearch: () => patch({ searching: true, input: view?.searchQuery ?? '' }),
    logsEditSearch: (input) => {
      patch({ input });
      withView((v) => v.setQuery(input));
    },
    logsAcceptSearch: () => {
      const input = get().logs?.input ?? '';
      patch({ searching: false });
      withView((v) => {
        v.setQuery(input);
        if (input !== '') v.find(1);
      });
    },
    logsCancelSearch: () => {
      patch({ searching: false, input: '' });
      withView((v) => v.setQuery(''));
    },
    logsFind: (direction) => withView((v) => v.find(direction)),
    logsResize: (cols, rows) => withView((v) => v.resize(cols, rows)),
  };
}
