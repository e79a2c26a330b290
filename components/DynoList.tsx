import { Box, Text } from 'ink';
import { isOneOff } from '../src/heroku/model.js';
import { selectVisibleDynos } from '../src/store/store.js';
import { fitToWidth, sanitize } from '../src/text/sanitize.js';
import { formatAge } from './age.js';
import { scrollOffset } from './layout.js';
import { useAppStore, useTheme } from './StoreContext.js';
import { stateStyle } from './theme.js';
import { useNow } from './useNow.js';

interface Props {
  width: number;
  lines: number;
}

const STATE_WIDTH = 9;
const SIZE_WIDTH = 8;
const AGE_WIDTH = 3;

/** Heroku's size names are long for a column: `Standard-1X` reads as well as `Std-1X`. */
export function shortSize(size: string): string {
  return size.replace(/^Standard-/, 'Std-').replace(/^Performance-/, 'Perf-');
}

/** Column widths for the dyno rows; the command takes what is left. */
export function dynoColumns(width: number, longestName: number): { name: number; command: number } {
  const name = Math.min(24, Math.max(8, longestName));
  // marker, symbol and a space; then a space before each of state, size, age, command; one spare column.
  const fixed = 3 + name + 1 + STATE_WIDTH + 1 + SIZE_WIDTH + 1 + AGE_WIDTH + 1 + 1;
  return { name, command: Math.max(0, width - fixed) };
}

export function DynoList({ width, lines }: Props) {
  const theme = useTheme();
  const dynos = useAppStore(selectVisibleDynos);
  const appName = useAppStore((s) => s.selectedApp);
  const appError = useAppStore((s) => (s.selectedApp === null ? undefined : s.appErrors[s.selectedApp]));
  const selected = useAppStore((s) => s.selectedDyno);
  const focused = useAppStore((s) => s.focus === 'dynos');
  const now = useNow(10_000);

  const rows = Math.max(0, lines - 1);
  const selectedIndex = dynos.findIndex((d) => d.name === selected);
  const offset = scrollOffset(selectedIndex, dynos.length, rows);
  const shown = dynos.slice(offset, offset + rows);
  const longestName = dynos.reduce((max, d) => Math.max(max, d.name.length), 0);
  const { name: nameWidth, command: commandWidth } = dynoColumns(width, longestName);
  const title = appName === null ? 'DYNOS' : `DYNOS ${sanitize(appName)} (${dynos.length})`;

  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text bold={focused} color={focused ? theme.color('cyan') : undefined} dimColor={!focused}>
        {fitToWidth(` ${title}`, width)}
      </Text>
      {appError !== undefined && <Text color={theme.color('red')}>{fitToWidth(`  ! ${sanitize(appError)}`, width)}</Text>}
      {appError === undefined && dynos.length === 0 && <Text dimColor>{fitToWidth(appName === null ? '' : '  no dynos', width)}</Text>}
      {shown.map((dyno) => {
        const isSelected = dyno.name === selected;
        const style = stateStyle(dyno.state);
        const command = `${isOneOff(dyno) ? 'one-off · ' : ''}${dyno.command}`;
        return (
          <Box key={dyno.id} width={width}>
            <Text inverse={isSelected && focused} bold={isSelected}>
              {isSelected ? '▸' : ' '}
              <Text color={theme.color(style.color)}>{style.symbol}</Text> {fitToWidth(sanitize(dyno.name), nameWidth)}
            </Text>
            <Text color={theme.color(style.color)}> {fitToWidth(sanitize(dyno.state), STATE_WIDTH)}</Text>
            <Text> {fitToWidth(sanitize(shortSize(dyno.size)), SIZE_WIDTH)}</Text>
            <Text dimColor> {fitToWidth(formatAge(dyno.updatedAt ?? dyno.createdAt, now), AGE_WIDTH)}</Text>
            <Text dimColor> {fitToWidth(sanitize(command), commandWidth)}</Text>
          </Box>
        );
      })}
    </Box>
  );
}
