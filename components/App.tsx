import { Box, useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { AppList } from './AppList.js';
import { Comparison } from './Comparison.js';
import { ConfirmDialog, ConfirmQuitDialog, GuardDialog, NoticeDialog } from './Dialogs.js';
import { DynoList } from './DynoList.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LoadErrorPanel } from './LoadErrorPanel.js';
import { LogsView } from './LogsView.js';
import { handleKey } from './keymap.js';
import { computeLayout, sessionPaneSize } from './layout.js';
import { SessionStrip } from './SessionStrip.js';
import { SessionView } from './SessionView.js';
import { useAppStore, useStoreApi } from './StoreContext.js';
import { TooSmall } from './TooSmall.js';
import { useTerminalSize } from './useTerminalSize.js';

export function App() {
  const store = useStoreApi();
  const { exit } = useApp();
  const size = useTerminalSize();
  const hasSessions = useAppStore((s) => s.sessions.length > 0);
  const layout = computeLayout(size, { sessionStrip: hasSessions });
  const overlay = useAppStore((s) => s.overlay);
  const notice = useAppStore((s) => s.notice !== null);
  const confirmQuit = useAppStore((s) => s.confirmQuit);
  const guarded = useAppStore((s) => s.guard !== null);
  const confirming = useAppStore((s) => s.confirm !== null);
  const view = useAppStore((s) => s.view);
  const quitting = useAppStore((s) => s.quitting);
  const nothingListed = useAppStore((s) => s.apps.length === 0 && s.loadError !== null);

  // Kept mounted in every view: it keeps stdin in raw mode. In the session view the
  // keys go to the child as raw bytes (SessionView), so here they are ignored.
  useInput((input, key) => {
    if (view === 'session') return;
    if (layout.tooSmall && view !== 'logs') {
      if (input === 'q' || (key.ctrl && input === 'c')) store.getState().quit();
      return;
    }
    handleKey(store, input, key, Math.max(1, layout.listLines - 2));
  });

  const pane = sessionPaneSize(layout);
  useEffect(() => {
    store.getState().setViewport(pane.cols, pane.rows);
  }, [store, pane.cols, pane.rows]);

  useEffect(() => {
    if (quitting) exit();
  }, [quitting, exit]);

  // A session works at any size (the child gets what there is); only the picker needs room.
  if (view === 'session') {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        <SessionView width={layout.width} height={layout.height} />
      </Box>
    );
  }
  if (view === 'logs') {
    return (
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        <LogsView width={layout.width} height={layout.height} />
      </Box>
    );
  }
  if (layout.tooSmall) return <TooSmall columns={size.columns} rows={size.rows} />;

  const bodyHeight = layout.height - (hasSessions ? 3 : 2);
  const dialog = guarded ? (
    <GuardDialog width={layout.width} height={bodyHeight} />
  ) : confirming ? (
    <ConfirmDialog width={layout.width} height={bodyHeight} />
  ) : confirmQuit ? (
    <ConfirmQuitDialog width={layout.width} height={bodyHeight} />
  ) : notice ? (
    <NoticeDialog width={layout.width} height={bodyHeight} />
  ) : overlay === 'help' ? (
    <HelpOverlay width={layout.width} height={bodyHeight} />
  ) : nothingListed ? (
    <LoadErrorPanel width={layout.width} height={bodyHeight} />
  ) : null;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header width={layout.width} />
      {dialog ?? (
        <Box flexDirection="column" height={bodyHeight}>
          <Box height={layout.listLines}>
            <AppList width={layout.appsWidth} lines={layout.listLines} />
            <DynoList width={layout.dynosWidth} lines={layout.listLines} />
          </Box>
          <Comparison width={layout.width} rows={layout.comparisonRows} lines={layout.comparisonLines} />
        </Box>
      )}
      {hasSessions && <SessionStrip width={layout.width} />}
      <Footer width={layout.width} />
    </Box>
  );
}
