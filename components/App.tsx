import { Box, useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { AppList } from './AppList.js';
import { Comparison } from './Comparison.js';
import { DynoList } from './DynoList.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { handleKey } from './keymap.js';
import { computeLayout } from './layout.js';
import { useAppStore, useStoreApi } from './StoreContext.js';
import { TooSmall } from './TooSmall.js';
import { useTerminalSize } from './useTerminalSize.js';

export function App() {
  const store = useStoreApi();
  const { exit } = useApp();
  const size = useTerminalSize();
  const layout = computeLayout(size);
  const overlay = useAppStore((s) => s.overlay);
  const quitting = useAppStore((s) => s.quitting);

  useInput((input, key) => {
    if (layout.tooSmall) {
      if (input === 'q' || (key.ctrl && input === 'c')) store.getState().quit();
      return;
    }
    handleKey(store, input, key, Math.max(1, layout.listLines - 2));
  });

  useEffect(() => {
    if (quitting) exit();
  }, [quitting, exit]);

  if (layout.tooSmall) return <TooSmall columns={size.columns} rows={size.rows} />;

  const bodyHeight = layout.height - 2;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header width={layout.width} />
      {overlay === 'help' ? (
        <HelpOverlay width={layout.width} height={bodyHeight} />
      ) : (
        <Box flexDirection="column" height={bodyHeight}>
          <Box height={layout.listLines}>
            <AppList width={layout.appsWidth} lines={layout.listLines} />
            <DynoList width={layout.dynosWidth} lines={layout.listLines} />
          </Box>
          <Comparison width={layout.width} rows={layout.comparisonRows} lines={layout.comparisonLines} />
        </Box>
      )}
      <Footer width={layout.width} />
    </Box>
  );
}
