import type { Key } from 'ink';
import type { AppState, AppStore } from '../src/store/store.js';

/**
 * Routes one key press to a store action. One place decides priority:
 * an overlay beats the filter line, which beats the focused list, which beats global keys.
 */
export function handleKey(store: AppStore, input: string, key: Key, pageSize: number): void {
  // Ink hands over a run of plain characters typed faster than it reads (tmux send-keys,
  // key repeat, paste) as one input; each character is its own key press.
  if ([...input].length > 1 && !input.includes('\x1b')) {
    for (const ch of input) handleKey(store, ...keyPressOf(ch), pageSize);
    return;
  }
  const s = store.getState();
  if (s.view === 'session') return;
  const ctrlC = key.ctrl && input === 'c';
  if (s.view === 'logs') return handleLogsKey(s, input, key);

  if (s.guard !== null) {
    if (key.escape || ctrlC) return void s.answerGuard('cancel');
    if (key.return) return void s.answerGuard('confirm');
    if (key.backspace || key.delete) return void s.answerGuard(s.guard.typed.slice(0, -1));
    if (!key.ctrl && !key.meta && input.length > 0 && isPrintable(input)) return void s.answerGuard(s.guard.typed + input);
    return;
  }

  if (s.confirm !== null) {
    if (input === 'y' || input === 'Y') return void s.answerConfirm(true);
    if (input === 'n' || input === 'N' || key.escape || ctrlC) return void s.answerConfirm(false);
    return;
  }

  if (s.confirmQuit) {
    if (input === 'y' || input === 'Y' || ctrlC) return s.answerQuit(true);
    if (input === 'n' || input === 'N' || key.escape) return s.answerQuit(false);
    return;
  }
  if (ctrlC) return s.requestQuit();

  if (s.notice !== null) {
    if (s.copyNotice && (input === 'r' || input === 'x')) return s.copyCommand(input);
    if (key.escape || key.return || input === 'q') s.dismissNotice();
    return;
  }

  if (s.overlay !== null) {
    if (key.escape || key.return || input === '?' || input === 'q') s.closeOverlay();
    return;
  }

  if (s.filterEditing) {
    if (key.escape) return s.clearFilter();
    if (key.return) return s.acceptFilter();
    if (key.backspace || key.delete) return s.editFilter(s.filterQuery.slice(0, -1));
    if (key.ctrl && input === 'u') return s.editFilter('');
    if (key.upArrow) return s.move(-1);
    if (key.downArrow) return s.move(1);
    if (!key.ctrl && !key.meta && input.length > 0 && isPrintable(input)) return s.editFilter(s.filterQuery + input);
    return;
  }

  if (key.upArrow || input === 'k') return s.move(-1);
  if (key.downArrow || input === 'j') return s.move(1);
  if (key.pageUp) return s.move(-pageSize);
  if (key.pageDown) return s.move(pageSize);
  if (key.home || input === 'g') return s.moveToEdge('first');
  if (key.end || input === 'G') return s.moveToEdge('last');
  if (key.leftArrow || input === 'h') return s.focusPane('apps');
  if (key.rightArrow) return s.focusPane('dynos');
  if (key.tab) return s.toggleFocus();
  if (input === '/') return s.startFilter();
  if (key.escape && s.filterQuery !== '') return s.clearFilter();
  if (input === '?') return s.toggleHelp();
  if (input === 'R') return void s.refresh();
  if (key.return) return void s.openSession('enter');
  if (input === 'r') return void s.openSession('r');
  if (input === 'x') return void s.openSession('x');
  if (input === 'f') return s.toggleFullscreenNext();
  if (input === 'l') return s.openLogs();
  if (input === 's') return s.requestRestart();
  if (input === 'c') return s.copyCommand();
  if (/^[1-9]$/.test(input)) return s.attach(Number(input) - 1);
  if (input === 'q') return s.requestQuit();
}

/** The logs view: scrolling, pausing and searching; Esc (or q, Ctrl-C) back to the picker. */
function handleLogsKey(s: AppState, input: string, key: Key): void {
  const logs = s.logs;
  if (logs === null) return void s.closeLogs();
  if (logs.searching) {
    if (key.escape || (key.ctrl && input === 'c')) return s.logsCancelSearch();
    if (key.return) return s.logsAcceptSearch();
    if (key.backspace || key.delete) return s.logsEditSearch(logs.input.slice(0, -1));
    if (key.ctrl && input === 'u') return s.logsEditSearch('');
    if (!key.ctrl && !key.meta && input.length > 0 && isPrintable(input)) return s.logsEditSearch(logs.input + input);
    return;
  }
  if (key.escape || input === 'q' || (key.ctrl && input === 'c')) return void s.closeLogs();
  if (key.upArrow || input === 'k') return s.logsScroll(-1);
  if (key.downArrow || input === 'j') return s.logsScroll(1);
  if (key.pageUp || (key.ctrl && input === 'b')) return s.logsPage(-1);
  if (key.pageDown || (key.ctrl && input === 'f')) return s.logsPage(1);
  if (key.home || input === 'g') return s.logsEdge('first');
  if (key.end || input === 'G') return s.logsEdge('last');
  if (input === ' ' || input === 'p') return s.logsTogglePause();
  if (input === '/') return s.logsStartSearch();
  if (input === 'n') return s.logsFind(1);
  if (input === 'N') return s.logsFind(-1);
}

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

/** One character as Ink would have reported it had it come alone. */
export function keyPressOf(ch: string): [string, Key] {
  if (ch === '\r' || ch === '\n') return ['\r', { ...NO_KEY, return: true }];
  if (ch === '\t') return ['\t', { ...NO_KEY, tab: true }];
  if (ch === '\x7f' || ch === '\b') return ['', { ...NO_KEY, backspace: true }];
  const code = ch.charCodeAt(0);
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  return [ch, { ...NO_KEY, shift: ch !== ch.toLowerCase() }];
}

function isPrintable(input: string): boolean {
  return !/[\u0000-\u001f\u007f-\u009f]/.test(input);
}
