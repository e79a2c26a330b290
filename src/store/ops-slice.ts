// Restarting a dyno (after a confirmation, or the typed-name guard on protected apps,
// then watching its state change in the list), and copying a mode's command line.
import { compare } from '../access/comparison.js';
import { MODES, modeForKey } from '../access/modes.js';
import type { AccessModeId } from '../access/model.js';
import type { Clipboard } from '../clipboard/osc52.js';
import { isOneOff } from '../heroku/model.js';
import type { Operations } from '../ops/operations.js';
import { OperationError } from '../ops/operations.js';
import { sanitize } from '../text/sanitize.js';
import type { AppState } from './store.js';
import { isProtectedApp } from '../access/protect.js';

/** A y/n question before something that touches live dynos. */
export type Confirm =
  | { kind: 'restart'; app: string; dyno: string; command: string }
  | { kind: 'enable-exec'; app: string; dyno: string | null; dynos: string[] };

export interface OpsSlice {
  confirm: Confirm | null;
  /** Something in progress, for the footer: "restarting web.1…". */
  status: string | null;
  /** The notice's title when it is not an error. */
  noticeTitle: string | null;
  /** The notice shows a copied command: `r` / `x` copy that mode's instead. */
  copyNotice: boolean;
  /** `s`: restart the selected dyno, after a confirmation. */
  requestRestart: () => void;
  answerConfirm: (yes: boolean) => Promise<void>;
  /** Runs the restart (confirmed already), then refreshes until the new state shows. */
  restartDyno: (app: string, dyno: string) => Promise<void>;
  /** `c`: copies the command of the ★ mode (or of the mode `r` / `x` starts) to the clipboard. */
  copyCommand: (key?: 'r' | 'x') => void;
}

type SetState = (partial: Partial<AppState>) => void;
type GetState = () => AppState;

export interface OpsSliceDeps {
  ops?: Operations;
  clipboard?: Clipboard;
  isProtected?: (app: string) => boolean;
  /** After a yes to enabling exec: the exec session, told to enable it. */
  launchEnablingExec: (app: string, dyno: string | null) => Promise<void>;
  /** Between refreshes while a restarted dyno comes back. */
  restartPollMs?: number;
}

/** Refreshes while waiting for a restarted dyno: enough for a slow boot, bounded. */
const MAX_POLLS = 40;
const UNSEEN_POLLS = 3;
const SETTLED = new Set(['up', 'crashed', 'down', 'idle']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createOpsSlice(set: SetState, get: GetState, deps: OpsSliceDeps): OpsSlice {
  const { ops, clipboard } = deps;
  const pollMs = deps.restartPollMs ?? 1000;

  const dynoState = (app: string, dyno: string): string | undefined => get().dynos[app]?.find((d) => d.name === dyno)?.state;

  /**
   * Refreshes until the dyno has been seen starting and then settled, or the polls run out.
   * A source that never shows it starting (it was back before the first look) stops after a few.
   */
  const watch = async (app: string, dyno: string): Promise<void> => {
    let seenStarting = false;
    for (let i = 0; i < MAX_POLLS && !get().quitting; i++) {
      await get().refresh();
      const state = dynoState(app, dyno);
      if (state === undefined) return;
      if (!SETTLED.has(state)) seenStarting = true;
      else if (seenStarting || i >= UNSEEN_POLLS) return;
      await sleep(pollMs);
    }
  };

  return {
    confirm: null,
    status: null,
    noticeTitle: null,
    copyNotice: false,

    requestRestart: () => {
      const s = get();
      if (s.selectedApp === null || s.view !== 'picker') return;
      const app = s.selectedApp;
      const dyno = s.dynos[app]?.find((d) => d.name === s.selectedDyno) ?? null;
      if (ops === undefined) return set({ notice: 'Restarting is not available with this source.' });
      if (dyno === null) return set({ notice: `${sanitize(app)} has no dyno selected to restart.` });
      if (isOneOff(dyno)) {
        return set({ notice: `${sanitize(dyno.name)} is a one-off dyno: a restart would end it for good (its session with it).` });
      }
      const appData = s.apps.find((a) => a.name === app) ?? { name: app };
      if (isProtectedApp(appData, deps.isProtected ?? (() => false))) {
        return set({ guard: { purpose: 'restart', mode: 'exec', app, dyno: dyno.name, typed: '' } });
      }
      set({ confirm: { kind: 'restart', app, dyno: dyno.name, command: ops.restartCommand(app, dyno.name) } });
    },

    answerConfirm: async (yes) => {
      const confirm = get().confirm;
      set({ confirm: null });
      if (!yes || confirm === null) return;
      if (confirm.kind === 'restart') await get().restartDyno(confirm.app, confirm.dyno);
      else await deps.launchEnablingExec(confirm.app, confirm.dyno);
    },

    restartDyno: async (app, dyno) => {
      if (ops === undefined) return;
      set({ status: `restarting ${sanitize(dyno)} of ${sanitize(app)}…` });
      try {
        await ops.restart(app, dyno);
      } catch (err) {
        const attempted = err instanceof OperationError ? err.attempted : ops.restartCommand(app, dyno);
        const problem = err instanceof OperationError ? err.problem : err instanceof Error ? err.message : String(err);
        set({ status: null, noticeTitle: 'restart failed', notice: `$ ${attempted}\n${problem}` });
        return;
      }
      set({ status: `restarted ${sanitize(dyno)} of ${sanitize(app)}: waiting for it to come up…` });
      try {
        await watch(app, dyno);
      } finally {
        set({ status: null });
      }
    },

    copyCommand: (key) => {
      const s = get();
      const app = s.apps.find((a) => a.name === s.selectedApp);
      if (app === undefined) return;
      const dyno = s.dynos[app.name]?.find((d) => d.name === s.selectedDyno) ?? null;
      const comparison = compare({ app, dyno }, { runSize: s.access.runSize ?? undefined, ssh: s.access.ssh });
      const modeId: AccessModeId = (key === undefined ? null : modeForKey(app, key)) ?? comparison.recommended;
      const column = comparison.columns.find((c) => c.mode.id === modeId);
      if (column?.command == null) return set({ notice: `${MODES[modeId].title} needs a dyno: select one first.`, noticeTitle: null, copyNotice: false });
      clipboard?.copy(column.command);
      const others = comparison.columns
        .filter((c) => c.mode.id !== modeId && c.command !== null && modeForKey(app, c.mode.key) === c.mode.id)
        .map((c) => `${c.mode.key} copies ${c.mode.title} instead`)
        .join(' · ');
      set({
        noticeTitle: 'copied to the clipboard',
        copyNotice: true,
        notice: `${column.command}\n(sent to your terminal with OSC 52; if it ignores that, copy it from here)${others ? `\n${others}` : ''}`,
      });
    },
  };
}
