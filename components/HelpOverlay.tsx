import { Box, Text } from 'ink';
import { fitToWidth } from '../src/text/sanitize.js';
import { pickerKeys } from './keys.js';
import { useTheme } from './StoreContext.js';

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const inner = Math.max(10, Math.min(70, width - 4));
  return (
    <Box width={width} height={height} justifyContent="center" alignItems="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.color('cyan')} paddingX={1} width={inner + 4}>
        <Text bold>dynotty keys</Text>
        {pickerKeys.map((k) => (
          <Text key={k.keys}>
            <Text color={theme.color('cyan')}>{fitToWidth(k.keys, 16)}</Text>
            {fitToWidth(k.action, Math.max(0, inner - 16))}
          </Text>
        ))}
        <Text dimColor>{fitToWidth('Esc, ? or q closes this help', inner)}</Text>
      </Box>
    </Box>
  );
}
