import { Box, Text } from 'ink';
import { sanitize } from '../src/text/sanitize.js';
import { useAppStore, useTheme } from './StoreContext.js';

/** In place of the lists when nothing could be listed yet: what failed and what to try. */
export function LoadErrorPanel({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const error = useAppStore((s) => s.loadError) ?? '';
  const loading = useAppStore((s) => s.loading);
  return (
    <Box width={width} height={height} flexDirection="column" paddingX={1}>
      <Text bold color={theme.color('red')}>
        Could not list your apps
      </Text>
      <Text wrap="wrap">{sanitize(error)}</Text>
      <Text> </Text>
      <Text dimColor>{loading ? 'retrying…' : 'R retries · q quits'}</Text>
    </Box>
  );
}
