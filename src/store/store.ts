import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AccessModeId } from '../access/model.js';
import { modeForKey, MODES } from '../access/modes.js';
import { isProtectedApp } from '../access/protect.js';
import { availability, recommendedMode } from '../access/rules.js';
import { isOneOff, type App, type Dyno } from '../heroku/model.js';
import type { ScreenFrame } from '../session/screen.js';
import { LaunchError, type SpawnSpec } from '../session/spec.js';
import type { Fleet, FleetSource } from '../heroku/source.js';
import type { Clipboard } from '../clipboard/osc52.js';
import type { Operations } from '../ops/operations.js';
import { indexFleet, positionByName, searchFleet, warmUpSearch, type FilteredFleet } from './filter.js';
import { whenQuietFor } from './quiet.js';
import { createLogsSlice, type LogsSlice } from './logs-slice.js';
import { createOpsSlice, type OpsSlice } from './ops-slice.js';
import { memoizeLast } from './memo.js';
import { reuseUnchanged } from './reuse.js';
import {
  DEFAULT_INPUT_MODES,
  DETACH_KEY,
  MAX_SESSIONS,
  type SessionHandle,
  type SessionMeta,
  type SessionServices,
} from './sessions.js';

export type Pane = 'apps' | 'dynos';
export type Overlay = 'help' | null;
export type View = 'picker' | 'session' | 'logs';
/** What starts a session: Enter (the recommended mode), `r` (run) or `x` (exec, run:inside on Fir). */
export type SessionTrigger = 'enter' | 'r' | 'x';

/** What the store needs from the outside world: injected, so tests use fakes. */
export interface StoreServices extends SessionServices {
  source: FleetSource;
  now: () => number;
  /** Logs and restarts; without it those keys say they are not available. */
  ops?: Operations;
  /** Where `c` copies to (OSC 52 on the real terminal). */
  clipboard?: Clipboard;
}

export interface AppState extends LogsSlice, OpsSlice {
  sourceLabel: string;
  account: string | null;
  apps: App[];
  dynos: Record<string, Dyno[]>;
  appErrors: Record<string, string>;
  /** When the shown data was fetched (ms since epoch); null before the first load. */
  loadedAt: number | null;
  loading: boolean;
  /** The last refresh's failure; the last good data stays on screen. */
  loadError: string | null;

  focus: Pane;
  selectedApp: string | null;
  selectedDyno: string | null;
  filterQuery: string;
  filterEditing: boolean;
  overlay: Overlay;
  quitting: boolean;

  sessions: SessionMeta[];
  view: View;
  /** The session on screen in the session view. */
  front: number | null;
  /** The front session's latest screen, when there is no SessionScreen to draw it (services.screen). */
  frame: ScreenFrame | null;
  /** The size sessions (and the logs view) get: the session view's pane, from the UI. */
  viewport: { cols: number; rows: number };
  /** The next session takes the whole terminal (`f`, `--fullscreen`). */
  fullscreenNext: boolean;
  /** The session that has the whole terminal now; the picker is not drawn meanwhile. */
  fullscreen: number | null;
  /** A message the user must read: a session that could not start, a mode that is unavailable. */
  notice: string | null;
  /** Quitting was asked for while sessions are live: waiting for y/n. */
  confirmQuit: boolean;
  /**
   * Production guard: an exec into a protected app waits until the user has typed the
   * app's name. `typed` is what they have typed so far.
   */
  guard: {
    /** What it guards: a session (exec), a restart, or enabling exec (which restarts every dyno). */
    purpose?: 'session' | 'restart' | 'enable-exec';
    mode: AccessModeId;
    app: string;
    dyno: string | null;
    typed: string;
  } | null;
  launching: boolean;
  remotes: { remote: string; app: string }[];
  access: AccessOptions;

  refresh: () => Promise<void>;
  move: (delta: number) => void;
  moveToEdge: (edge: 'first' | 'last') => void;
  focusPane: (pane: Pane) => void;
  toggleFocus: () => void;
  startFilter: () => void;
  editFilter: (query: string) => void;
  acceptFilter: () => void;
  clearFilter: () => void;
  toggleHelp: () => void;
  closeOverlay: () => void;
  quit: () => void;

  openSession: (trigger: SessionTrigger) => Promise<void>;
  /** Raw bytes typed in the session view. Ctrl-] detaches; on an ended session Enter returns. */
  sendInput: (data: string) => void;
  detach: () => void;
  /** Brings the session at this position of the strip (0-based) to the front. */
  attach: (index: number) => void;
  /** Leaves an ended session's banner: back to the picker, the session forgotten. */
  dismissFront: () => void;
  setViewport: (cols: number, rows: number) => void;
  toggleFullscreenNext: () => void;
  /** The full-screen hand-off gave the terminal back. */
  endFullscreen: () => void;
  /** q and Ctrl-C in the picker: asks first while sessions are live. */
  requestQuit: () => void;
  answerQuit: (yes: boolean) => void;
  dismissNotice: () => void;
  /** Typing in the production guard: the new text, or 'confirm' (Enter) or 'cancel' (Esc). */
  answerGuard: (input: string | 'confirm' | 'cancel') => Promise<void>;
  /** The live child behind a session, for the full-screen hand-off. */
  handleFor: (id: number) => SessionHandle | undefined;
  /** Ends every session (SIGHUP, then SIGKILL) and the logs stream: on quit. */
  closeAllSessions: () => Promise<void>;
}

export type AppStore = StoreApi<AppState>;

/** The fleet made searchable once per data load (a refresh that changed nothing keeps it). */
const indexOf = memoizeLast(indexFleet);
const visibleOf = memoizeLast((apps: App[], dynos: Record<string, Dyno[]>, query: string) => searchFleet(indexOf(apps, dynos), query));

/** The apps and dynos after the filter; stable between calls while nothing changed. */
export function selectVisible(s: Pick<AppState, 'apps' | 'dynos' | 'filterQuery'>): FilteredFleet {
  return visibleOf(s.apps, s.dynos, s.filterQuery);
}

export function selectApp(s: AppState): App | null {
  return s.apps[positionByName(s.apps, s.selectedApp)] ?? null;
}

/** Selectors must return stable values: a fresh [] each call would re-render forever. */
const NO_DYNOS: Dyno[] = [];

export function selectVisibleDynos(s: AppState): Dyno[] {
  return s.selectedApp === null ? NO_DYNOS : (selectVisible(s).dynos[s.selectedApp] ?? NO_DYNOS);
}

export function selectDyno(s: AppState): Dyno | null {
  const dynos = selectVisibleDynos(s);
  return dynos[positionByName(dynos, s.selectedDyno)] ?? null;
}

/** Keeps the selection on the same names when they are still visible, else the first visible. */
function reconcileSelection(s: AppState, preferBest = false): Pick<AppState, 'selectedApp' | 'selectedDyno'> {
  const visible = selectVisible(s);
  const keepApp = !preferBest && positionByName(visible.apps, s.selectedApp) >= 0;
  const selectedApp = keepApp ? s.selectedApp : (visible.apps[0]?.name ?? null);
  const dynos = selectedApp === null ? [] : (visible.dynos[selectedApp] ?? []);
  const keepDyno = !preferBest && selectedApp === s.selectedApp && positionByName(dynos, s.selectedDyno) >= 0;
  return { selectedApp, selectedDyno: keepDyno ? s.selectedDyno : (dynos[0]?.name ?? null) };
}

function clampIndex(i: number, length: number): number {
  return Math.max(0, Math.min(length - 1, i));
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function selectLiveSessionCount(s: AppState): number {
  return s.sessions.filter((x) => x.state === 'live').length;
}

export function selectFrontSession(s: AppState): SessionMeta | null {
  return s.sessions.find((x) => x.id === s.front) ?? null;
}

function modeFor(trigger: SessionTrigger, app: App, dyno: Dyno | null): AccessModeId {
  if (trigger === 'enter') return recommendedMode({ app, dyno });
  return modeForKey(app, trigger) ?? 'run';
}

export interface StoreOptions {
  /** `--fullscreen`: sessions take the whole terminal from the first one. */
  fullscreen?: boolean;
  /** The app to select once the fleet is loaded (`--app`, HEROKU_APP, the git remote), and where that came from. */
  preferredApp?: { app: string; origin: string } | null;
  /** Several Heroku git remotes and no choice: shown in the header. */
  remotes?: { remote: string; app: string }[];
  /** `--ssh` for exec, `--size` for run: what the comparison and the sessions use. */
  access?: AccessOptions;
  /** Apps whose live dynos are production: entering one asks for its name first. */
  isProtected?: (app: string) => boolean;
  /** Between refreshes while a restarted dyno comes back (1 s). */
  restartPollMs?: number;
}

/** How long a session may take to ask the question it is to be answered for (the CLI's start, the API calls). */
const AUTO_ANSWER_MS = 120_000;
/** How long the picker must be left alone before the next step of the search warm-up runs. */
const WARM_UP_QUIET_MS = 60;

export interface AccessOptions {
  ssh: boolean;
  runSize: string | null;
}

export function createAppStore(services: StoreServices, options: StoreOptions = {}): AppStore {
  const { source, now, launcher, runner, terminal, screen } = services;
  let inFlight: Promise<void> | null = null;
  const handles = new Map<number, SessionHandle>();
  let nextSessionId = 1;
  let mirroredModes = DEFAULT_INPUT_MODES;
  let preferred = options.preferredApp ?? null;
  /** Exec's state found out on demand (the CLI source's listing leaves it unknown). */
  const execKnown: Record<string, boolean> = {};

  /** When the store last changed. */
  let lastChangeAt = performance.now();

  /** The search warm-up's steps wait for the picker to be left alone: a key changes the store at once. */
  const whenQuiet = whenQuietFor(WARM_UP_QUIET_MS, () => lastChangeAt);

  const store = createStore<AppState>()((set, get) => {
    const applyFleet = (fleet: Fleet): void => {
      set({
        account: fleet.account,
        ...reuseUnchanged(get(), {
          ...fleet,
          apps: fleet.apps.map((a) => (a.execEnabled === null && a.name in execKnown ? { ...a, execEnabled: execKnown[a.name] ?? null } : a)),
        }),
        loadedAt: now(),
        loadError: null,
      });
      if (preferred !== null) {
        // Once, on the first load: later refreshes keep whatever the user selected.
        const { app, origin } = preferred;
        preferred = null;
        if (fleet.apps.some((a) => a.name === app)) set({ selectedApp: app, selectedDyno: null });
        else set({ notice: `${app} (from ${origin}) is not among the apps this account can see.` });
      }
      set(reconcileSelection(get()));
      warmUpSearch(get().apps, get().dynos, whenQuiet);
    };

    const mirrorModes = (id: number | null): void => {
      const modes = id === null ? DEFAULT_INPUT_MODES : (handles.get(id)?.inputModes() ?? DEFAULT_INPUT_MODES);
      if (modes.applicationCursorKeys === mirroredModes.applicationCursorKeys && modes.bracketedPaste === mirroredModes.bracketedPaste) return;
      mirroredModes = modes;
      terminal.setInputModes(modes);
    };

    const updateSession = (id: number, patch: Partial<SessionMeta>): void => {
      set({ sessions: get().sessions.map((x) => (x.id === id ? { ...x, ...patch } : x)) });
    };

    const forget = (id: number): void => {
      handles.get(id)?.dispose();
      handles.delete(id);
      set({ sessions: get().sessions.filter((x) => x.id !== id) });
    };

    /** Room for one more session: ended ones go first; null when nine are live. */
    const makeRoom = (): boolean => {
      for (const x of get().sessions) {
        if (get().sessions.length < MAX_SESSIONS) break;
        if (x.state === 'exited') forget(x.id);
      }
      return get().sessions.length < MAX_SESSIONS;
    };

    const showSession = (id: number): void => {
      const previous = get().front;
      if (previous !== null && previous !== id) handles.get(previous)?.setVisible(false);
      set({ view: 'session', front: id, frame: null, overlay: null });
      handles.get(id)?.setVisible(true);
      mirrorModes(id);
    };

    /** Types the answer to a question the user has already answered in dynotty (ps:exec's enable prompt). */
    const answerWhenAsked = (id: number, handle: SessionHandle, answer: { prompt: string; reply: string }): void => {
      const deadline = now() + AUTO_ANSWER_MS;
      const timer = setInterval(() => {
        const meta = get().sessions.find((x) => x.id === id);
        if (meta === undefined || meta.state !== 'live' || now() > deadline) return clearInterval(timer);
        const screen = handle.snapshot().lines.map((runs) => runs.map((r) => r.text).join('')).join('\n');
        if (!screen.includes(answer.prompt)) return;
        clearInterval(timer);
        handle.write(answer.reply);
      }, 100);
      timer.unref();
    };

    const launch = async (mode: AccessModeId, app: App, dyno: Dyno | null, extra: { enableExec?: boolean } = {}): Promise<void> => {
      if (!makeRoom()) {
        set({ notice: `${MAX_SESSIONS} sessions are live: end one (exit in it) before opening another.` });
        return;
      }
      set({ launching: true });
      const id = nextSessionId++;
      let spec: SpawnSpec | null = null;
      try {
        spec = await launcher.prepare({ mode, app: app.name, dyno: dyno?.name ?? null, ...(extra.enableExec ? { enableExec: true } : {}) });
        const { cols, rows } = get().viewport;
        const handle = await runner.start(spec, {
          cols,
          rows,
          onFrame: (frame) => {
            if (get().front !== id) return;
            if (screen === undefined) set({ frame });
            else screen.show(frame);
            mirrorModes(id);
          },
          onExit: (exit) => {
            updateSession(id, { state: 'exited', exit });
            if (get().front === id) mirrorModes(null);
          },
        }, { app: app.name, dyno: dyno?.name ?? null, mode });
        handles.set(id, handle);
        if (spec.autoAnswer) answerWhenAsked(id, handle, spec.autoAnswer);
        const meta: SessionMeta = {
          id,
          mode,
          app: app.name,
          dyno: mode === 'run' ? spec.dynoName : (dyno?.name ?? spec.dynoName),
          title: spec.title,
          state: 'live',
          startedAt: now(),
          exit: null,
        };
        set({ sessions: [...get().sessions, meta] });
        if (get().fullscreenNext) set({ fullscreen: id, view: 'picker', front: null, frame: null });
        else showSession(id);
      } catch (err) {
        // A one-off's throwaway folder, made for a session that never started.
        if (!handles.has(id)) void spec?.dispose();
        set({ notice: err instanceof LaunchError ? err.message : `could not start the session: ${describeError(err)}` });
      } finally {
        set({ launching: false });
      }
    };

    const launchEnablingExec = async (appName: string, dynoName: string | null): Promise<void> => {
      const app = get().apps.find((a) => a.name === appName);
      if (app === undefined) return;
      const dyno = get().dynos[appName]?.find((d) => d.name === dynoName) ?? null;
      set({ status: `enabling exec on ${appName}: every dyno restarts…` });
      try {
        await launch('exec', app, dyno, { enableExec: true });
      } finally {
        set({ status: null });
      }
      // Enabled now, or not if the user stopped it: found out again next time.
      if (appName in execKnown) {
        delete execKnown[appName];
        set({ apps: get().apps.map((a) => (a.name === appName ? { ...a, execEnabled: null } : a)) });
      }
      void get().refresh();
    };

    const moveInPane = (index: (current: number, length: number) => number): void => {
      const s = get();
      const visible = selectVisible(s);
      // Positions come from a name map built once per list: a key press costs no scan of 10k rows.
      if (s.focus === 'apps') {
        const apps = visible.apps;
        if (apps.length === 0) return;
        const next = apps[clampIndex(index(positionByName(apps, s.selectedApp), apps.length), apps.length)]?.name ?? null;
        if (next === s.selectedApp) return;
        // One update, so subscribers see the new app with its first dyno, never a half-made selection.
        const dynos = next === null ? [] : (visible.dynos[next] ?? []);
        set({ selectedApp: next, selectedDyno: dynos[0]?.name ?? null });
      } else {
        const dynos = selectVisibleDynos(s);
        if (dynos.length === 0) return;
        const next = dynos[clampIndex(index(positionByName(dynos, s.selectedDyno), dynos.length), dynos.length)]?.name ?? null;
        if (next === s.selectedDyno) return;
        set({ selectedDyno: next });
      }
    };

    return {
      ...createLogsSlice(set, get, services.ops),
      ...createOpsSlice(set, get, {
        ops: services.ops,
        clipboard: services.clipboard,
        isProtected: options.isProtected,
        launchEnablingExec,
        restartPollMs: options.restartPollMs,
      }),
      sourceLabel: source.label,
      account: null,
      apps: [],
      dynos: {},
      appErrors: {},
      loadedAt: null,
      loading: false,
      loadError: null,
      focus: 'apps',
      selectedApp: null,
      selectedDyno: null,
      filterQuery: '',
      filterEditing: false,
      overlay: null,
      quitting: false,

      refresh: () => {
        // One load at a time: a key held down or a timer firing mid-load joins the running one.
        inFlight ??= (async () => {
          set({ loading: true });
          try {
            applyFleet(await source.load());
          } catch (err) {
            set({ loadError: describeError(err) });
          } finally {
            set({ loading: false });
            inFlight = null;
          }
        })();
        return inFlight;
      },

      move: (delta) => moveInPane((current, length) => (current < 0 ? (delta > 0 ? 0 : length - 1) : current + delta)),
      moveToEdge: (edge) => moveInPane((_current, length) => (edge === 'first' ? 0 : length - 1)),

      focusPane: (pane) => set({ focus: pane }),
      toggleFocus: () => set({ focus: get().focus === 'apps' ? 'dynos' : 'apps' }),

      startFilter: () => set({ filterEditing: true, overlay: null }),
      editFilter: (query) => {
        // While typing, the best match is selected so the comparison pane follows it. One
        // update: the query, the lists and the selection reach the screen in the same frame.
        set({ filterQuery: query, ...reconcileSelection({ ...get(), filterQuery: query }, true) });
      },
      acceptFilter: () => {
        const s = get();
        const bestHasDynos = selectVisibleDynos(s).length > 0;
        set({ filterEditing: false, focus: s.filterQuery.trim() !== '' && bestHasDynos ? 'dynos' : s.focus });
      },
      clearFilter: () => {
        set({ filterQuery: '', filterEditing: false, ...reconcileSelection({ ...get(), filterQuery: '' }) });
      },

      toggleHelp: () => set({ overlay: get().overlay === 'help' ? null : 'help' }),
      closeOverlay: () => set({ overlay: null }),
      quit: () => set({ quitting: true }),

      sessions: [],
      view: 'picker',
      front: null,
      frame: null,
      viewport: { cols: 80, rows: 21 },
      fullscreenNext: options.fullscreen ?? false,
      fullscreen: null,
      notice: null,
      confirmQuit: false,
      guard: null,
      launching: false,
      remotes: options.remotes ?? [],
      access: options.access ?? { ssh: false, runSize: null },

      openSession: async (trigger) => {
        const s = get();
        const app = selectApp(s);
        if (app === null || s.launching || s.quitting) return;
        const dyno = selectDyno(s);
        const mode = modeFor(trigger, app, dyno);
        const verdict = availability(mode, { app, dyno });
        if (verdict.verdict === 'unavailable') {
          set({ notice: `${MODES[mode].title} is not available here: ${verdict.reason}.` });
          return;
        }
        // The CLI's listing cannot tell whether exec is on: ask it now, once per app.
        if (mode === 'exec' && app.execEnabled === null && services.ops?.execEnabled) {
          set({ status: `checking whether exec is enabled on ${app.name}…` });
          const enabled = await services.ops.execEnabled(app.name).catch(() => null);
          set({ status: null });
          if (enabled !== null) {
            execKnown[app.name] = enabled;
            set({ apps: get().apps.map((a) => (a.name === app.name ? { ...a, execEnabled: enabled } : a)) });
            return get().openSession(trigger);
          }
        }
        // Exec is off for the app: its first use restarts every dyno, so ask first.
        const enabling = mode === 'exec' && app.execEnabled === false;
        // A run never needs the guard: it touches no live dyno.
        if (mode !== 'run' && isProtectedApp(app, options.isProtected ?? (() => false))) {
          set({ guard: { purpose: enabling ? 'enable-exec' : 'session', mode, app: app.name, dyno: dyno?.name ?? null, typed: '' } });
          return;
        }
        if (enabling) {
          const dynos = (get().dynos[app.name] ?? []).filter((d) => !isOneOff(d)).map((d) => d.name);
          set({ confirm: { kind: 'enable-exec', app: app.name, dyno: dyno?.name ?? null, dynos } });
          return;
        }
        await launch(mode, app, dyno);
      },

      answerGuard: async (input) => {
        const guard = get().guard;
        if (guard === null) return;
        if (input === 'cancel') return set({ guard: null });
        if (input !== 'confirm') return set({ guard: { ...guard, typed: input } });
        if (guard.typed !== guard.app) return;
        set({ guard: null });
        if (guard.purpose === 'restart') return get().restartDyno(guard.app, guard.dyno ?? '');
        if (guard.purpose === 'enable-exec') return launchEnablingExec(guard.app, guard.dyno);
        const app = get().apps.find((a) => a.name === guard.app);
        const dyno = get().dynos[guard.app]?.find((d) => d.name === guard.dyno) ?? null;
        if (app !== undefined) await launch(guard.mode, app, dyno);
      },
      sendInput: (data) => {
        const { view, front } = get();
        if (view !== 'session' || front === null) return;
        const meta = selectFrontSession(get());
        const handle = handles.get(front);
        if (meta === null || handle === undefined) return;
        const detachAt = data.indexOf(DETACH_KEY);
        if (meta.state === 'exited') {
          if (detachAt >= 0) get().detach();
          else if (data.includes('\r')) get().dismissFront();
          return;
        }
        if (detachAt < 0) return handle.write(data);
        if (detachAt > 0) handle.write(data.slice(0, detachAt));
        get().detach();
      },

      detach: () => {
        const { front } = get();
        if (front !== null) handles.get(front)?.setVisible(false);
        set({ view: 'picker', front: null, frame: null });
        mirrorModes(null);
      },

      attach: (index) => {
        const meta = get().sessions[index];
        if (meta !== undefined) showSession(meta.id);
      },

      dismissFront: () => {
        const { front } = get();
        get().detach();
        if (front !== null) forget(front);
      },

      setViewport: (cols, rows) => {
        const { viewport } = get();
        if (viewport.cols === cols && viewport.rows === rows) return;
        set({ viewport: { cols, rows } });
        get().logsResize(cols, rows);
        for (const [id, handle] of handles) {
          if (id !== get().fullscreen) handle.resize(cols, rows);
        }
      },

      toggleFullscreenNext: () => set({ fullscreenNext: !get().fullscreenNext }),

      endFullscreen: () => {
        const { fullscreen, viewport } = get();
        if (fullscreen === null) return;
        handles.get(fullscreen)?.resize(viewport.cols, viewport.rows);
        const meta = get().sessions.find((x) => x.id === fullscreen);
        set({ fullscreen: null });
        // An ended session leaves its banner in the session view; a detached one waits in the strip.
        if (meta?.state === 'exited') showSession(fullscreen);
      },

      requestQuit: () => {
        if (selectLiveSessionCount(get()) > 0) set({ confirmQuit: true, overlay: null });
        else get().quit();
      },

      answerQuit: (yes) => {
        set({ confirmQuit: false });
        if (yes) get().quit();
      },

      dismissNotice: () => set({ notice: null, noticeTitle: null, copyNotice: false }),

      handleFor: (id) => handles.get(id),

      closeAllSessions: async () => {
        await Promise.all([...[...handles.values()].map((h) => h.kill()), get().closeLogs()]);
        handles.clear();
      },
    };
  });
  store.subscribe(() => {
    lastChangeAt = performance.now();
  });
  return store;
}
