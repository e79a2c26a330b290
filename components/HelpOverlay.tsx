import { Box, Text } from 'ink';
import { fitToWidth } from '../src/text/sanitize.js';
import { logsKeys, pickerKeys } from './keys.js';
import { useTheme } from './StoreContext.js';

const KEY_COLUMN = 20;
/** Border, title and closing line around the picker's keys. */
const FRAME_LINES = 4;

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const inner = Math.max(10, Math.min(72, width - 4));
  // The logs view's keys too when there is room (its status line always lists them).
  const withLogs = height >= FRAME_LINES + pickerKeys.length + 1 + logsKeys.length;
  const row = (k: { keys: string; action: string }) => (
    <Text key={k.keys}>
      <Text color={theme.color('cyan')}>{fitToWidth(k.keys, KEY_COLUMN)}</Text>
      {fitToWidth(k.action, Math.max(0, inner - KEY_COLUMN))}
    </Text>
  );
  return (
    <Box width={width} height={height} justifyContent="center" alignItems="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.color('cyan')} paddingX={1} width={inner + 4}>
        <Text bold>dynotty keys</Text>
        {pickerKeys.map(row)}
        {withLogs && <Text bold>in the logs view</Text>}
        {withLogs && logsKeys.map(row)}
        <Text dimColor>{fitToWidth('Esc, ? or q closes this help', inner)}</Text>
      </Box>
    </Box>
  );
}
