import { Box, Text } from 'ink';
import { selectVisible } from '../src/store/store.js';
import { sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { pickerKeys } from './keys.js';
import { useAppStore, useTheme } from './StoreContext.js';

const hints = pickerKeys.flatMap((k) => (k.hint === undefined ? [] : [k.hint])).join('  ');

export function Footer({ width }: { width: number }) {
  const theme = useTheme();
  const query = useAppStore((s) => s.filterQuery);
  const editing = useAppStore((s) => s.filterEditing);
  const matches = useAppStore((s) => selectVisible(s).apps.length);

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
  return (
    <Box width={width} height={1}>
      <Text color={theme.color('yellow')}>{truncateToWidth(filter, width)}</Text>
      <Text dimColor>{truncateToWidth(` ${hints}`, Math.max(0, width - filter.length))}</Text>
    </Box>
  );
}
