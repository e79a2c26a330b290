import { createStore, type StoreApi } from 'zustand/vanilla';
import type { App, Dyno } from '../heroku/model.js';
import type { Fleet, FleetSource } from '../heroku/source.js';
import { filterFleet, type FilteredFleet } from './filter.js';
import { memoizeLast } from './memo.js';

export type Pane = 'apps' | 'dynos';
export type Overlay = 'help' | null;

/** What the store needs from the outside world: injected, so tests use fakes. */
export interface StoreServices {
  source: FleetSource;
  now: () => number;
}

export interface AppState {
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
}

export type AppStore = StoreApi<AppState>;

const visibleOf = memoizeLast(filterFleet);

/** The apps and dynos after the filter; stable between calls while nothing changed. */
export function selectVisible(s: Pick<AppState, 'apps' | 'dynos' | 'filterQuery'>): FilteredFleet {
  return visibleOf(s.apps, s.dynos, s.filterQuery);
}

export function selectApp(s: AppState): App | null {
  return s.apps.find((a) => a.name === s.selectedApp) ?? null;
}

/** Selectors must return stable values: a fresh [] each call would re-render forever. */
const NO_DYNOS: Dyno[] = [];

export function selectVisibleDynos(s: AppState): Dyno[] {
  return s.selectedApp === null ? NO_DYNOS : (selectVisible(s).dynos[s.selectedApp] ?? NO_DYNOS);
}

export function selectDyno(s: AppState): Dyno | null {
  return selectVisibleDynos(s).find((d) => d.name === s.selectedDyno) ?? null;
}

/** Keeps the selection on the same names when they are still visible, else the first visible. */
function reconcileSelection(s: AppState, preferBest = false): Pick<AppState, 'selectedApp' | 'selectedDyno'> {
  const visible = selectVisible(s);
  const keepApp = !preferBest && visible.apps.some((a) => a.name === s.selectedApp);
  const selectedApp = keepApp ? s.selectedApp : (visible.apps[0]?.name ?? null);
  const dynos = selectedApp === null ? [] : (visible.dynos[selectedApp] ?? []);
  const keepDyno = !preferBest && selectedApp === s.selectedApp && dynos.some((d) => d.name === s.selectedDyno);
  return { selectedApp, selectedDyno: keepDyno ? s.selectedDyno : (dynos[0]?.name ?? null) };
}

function clampIndex(i: number, length: number): number {
  return Math.max(0, Math.min(length - 1, i));
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createAppStore(services: StoreServices): AppStore {
  const { source, now } = services;
  let inFlight: Promise<void> | null = null;

  return createStore<AppState>()((set, get) => {
    const applyFleet = (fleet: Fleet): void => {
      set({
        account: fleet.account,
        apps: fleet.apps,
        dynos: fleet.dynos,
        appErrors: fleet.appErrors,
        loadedAt: now(),
        loadError: null,
      });
      set(reconcileSelection(get()));
    };

    const moveInPane = (index: (current: number, length: number) => number): void => {
      const s = get();
      const visible = selectVisible(s);
      if (s.focus === 'apps') {
        const names = visible.apps.map((a) => a.name);
        if (names.length === 0) return;
        const next = names[clampIndex(index(names.indexOf(s.selectedApp ?? ''), names.length), names.length)] ?? null;
        if (next === s.selectedApp) return;
        set({ selectedApp: next, selectedDyno: null });
        set(reconcileSelection(get()));
      } else {
        const names = selectVisibleDynos(s).map((d) => d.name);
        if (names.length === 0) return;
        const next = names[clampIndex(index(names.indexOf(s.selectedDyno ?? ''), names.length), names.length)] ?? null;
        set({ selectedDyno: next });
      }
    };

    return {
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
        set({ filterQuery: query });
        // While typing, the best match is selected so the comparison pane follows it.
        set(reconcileSelection(get(), true));
      },
      acceptFilter: () => {
        const s = get();
        const bestHasDynos = selectVisibleDynos(s).length > 0;
        set({ filterEditing: false, focus: s.filterQuery.trim() !== '' && bestHasDynos ? 'dynos' : s.focus });
      },
      clearFilter: () => {
        set({ filterQuery: '', filterEditing: false });
        set(reconcileSelection(get()));
      },

      toggleHelp: () => set({ overlay: get().overlay === 'help' ? null : 'help' }),
      closeOverlay: () => set({ overlay: null }),
      quit: () => set({ quitting: true }),
    };
  });
}
