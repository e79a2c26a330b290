import { Box, Text } from 'ink';
import { memo } from 'react';
import { isOneOff, type Dyno } from '../src/heroku/model.js';
import { positionByName } from '../src/store/filter.js';
import { selectVisibleDynos } from '../src/store/store.js';
import { fitToWidth, sanitize, truncateToWidth } from '../src/text/sanitize.js';
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

interface RowProps {
  dyno: Dyno;
  selected: boolean;
  focused: boolean;
  nameWidth: number;
  commandWidth: number;
  now: number;
}

// Memoised, and padded only where the highlight needs it (see AppRow): each column is a
// box of its width, so the blanks between columns are not characters Ink has to measure.
const DynoRow = memo(function DynoRow({ dyno, selected, focused, nameWidth, commandWidth, now }: RowProps) {
  const theme = useTheme();
  const style = stateStyle(dyno.state);
  const command = `${isOneOff(dyno) ? 'one-off · ' : ''}${dyno.command}`;
  const name = sanitize(dyno.name);
  return (
    <Box>
      <Box width={3 + nameWidth} flexShrink={0}>
        <Text inverse={selected && focused} bold={selected}>
          {selected ? '▸' : ' '}
          <Text color={theme.color(style.color)}>{style.symbol}</Text> {selected ? fitToWidth(name, nameWidth) : truncateToWidth(name, nameWidth)}
        </Text>
      </Box>
      <Box width={1 + STATE_WIDTH} flexShrink={0}>
        <Text color={theme.color(style.color)}> {truncateToWidth(sanitize(dyno.state), STATE_WIDTH)}</Text>
      </Box>
      <Box width={1 + SIZE_WIDTH} flexShrink={0}>
        <Text> {truncateToWidth(sanitize(shortSize(dyno.size)), SIZE_WIDTH)}</Text>
      </Box>
      <Box width={1 + AGE_WIDTH} flexShrink={0}>
        <Text dimColor> {truncateToWidth(formatAge(dyno.updatedAt ?? dyno.createdAt, now), AGE_WIDTH)}</Text>
      </Box>
      {commandWidth > 0 && <Text dimColor> {truncateToWidth(sanitize(command), commandWidth)}</Text>}
    </Box>
  );
});

const longestNames = new WeakMap<Dyno[], number>();

/** The longest dyno name of a list, measured once per list. */
function longestName(dynos: Dyno[]): number {
  let longest = longestNames.get(dynos);
  if (longest === undefined) {
    longest = dynos.reduce((max, d) => Math.max(max, d.name.length), 0);
    longestNames.set(dynos, longest);
  }
  return longest;
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
  const selectedIndex = positionByName(dynos, selected);
  const offset = scrollOffset(selectedIndex, dynos.length, rows);
  const shown = dynos.slice(offset, offset + rows);
  const { name: nameWidth, command: commandWidth } = dynoColumns(width, longestName(dynos));
  const title = appName === null ? 'DYNOS' : `DYNOS ${sanitize(appName)} (${dynos.length})`;

  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text bold={focused} color={focused ? theme.color('cyan') : undefined} dimColor={!focused}>
        {truncateToWidth(` ${title}`, width)}
      </Text>
      {appError !== undefined && <Text color={theme.color('red')}>{truncateToWidth(`  ! ${sanitize(appError)}`, width)}</Text>}
      {appError === undefined && dynos.length === 0 && <Text dimColor>{truncateToWidth(appName === null ? '' : '  no dynos', width)}</Text>}
      {/* Keyed by row on screen, not by dyno: another app's list reuses the rows' Ink nodes instead of rebuilding them. */}
      {shown.map((dyno, slot) => (
        <DynoRow
          key={slot}
          dyno={dyno}
          selected={dyno.name === selected}
          focused={focused}
          nameWidth={nameWidth}
          commandWidth={commandWidth}
          now={now}
        />
      ))}
    </Box>
  );
}
