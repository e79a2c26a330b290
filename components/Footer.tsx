import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { selectVisible } from '../src/store/store.js';
import { sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { fitHints } from './keys.js';
import { useAppStore, useTheme } from './StoreContext.js';

export function Footer({ width }: { width: number }) {
  const theme = useTheme();
  const query = useAppStore((s) => s.filterQuery);
  const editing = useAppStore((s) => s.filterEditing);
  const matches = useAppStore((s) => selectVisible(s).apps.length);
  const fullscreenNext = useAppStore((s) => s.fullscreenNext);
  const status = useAppStore((s) => s.status);

  if (editing) {
    const tail = `  ${matches} app${matches === 1 ? '' : 's'} · Enter keep · Esc clear`;
    return (
      <Box width={width} height={1}>
        <Text color={theme.color('cyan')}> / </Text>
        <Text>{truncateToWidth(sanitize(query), Math.max(0, width - 4 - tail.length))}</Text>
        <Text inverse> </Text>
        <Text dimColor>{truncateToWidth(tail, Math.max(0, width - 4 - query.length))}</Text>
      </Box>
    );
  }
  const filter = query === '' ? '' : ` filter: ${sanitize(query)} (Esc clears) │`;
  const full = fullscreenNext ? ' [full-screen next] │' : '';
  const busy = status === null ? '' : ` ${status} │`;
  const flags = truncateToWidth(busy + full + filter, width);
  const room = Math.max(0, width - stringWidth(flags));
  return (
    <Box width={width} height={1}>
      <Text color={theme.color('yellow')}>{flags}</Text>
      <Text dimColor>{truncateToWidth(` ${fitHints(room - 1)}`, room)}</Text>
    </Box>
  );
}
