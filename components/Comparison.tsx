import { Box, Text } from 'ink';
import { useMemo } from 'react';
import stringWidth from 'string-width';
import { compare, type Comparison as ComparisonData } from '../src/access/comparison.js';
import { modeForKey } from '../src/access/modes.js';
import type { App } from '../src/heroku/model.js';
import { selectApp, selectDyno } from '../src/store/store.js';
import { fitToWidth, sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { useAppStore, useTheme } from './StoreContext.js';
import { verdictStyles } from './theme.js';

interface Props {
  width: number;
  /** How many table rows fit. */
  rows: number;
  /** Total lines of the pane. */
  lines: number;
}

const LABEL_WIDTH = 12;
/** When not every row fits, the ones a user needs most to choose stay. */
const ROW_PRIORITY = ['where', 'risk', 'persists', 'cost', 'config vars', 'requires', 'terminal', 'uses'];

export function pickRows(data: ComparisonData, count: number): ComparisonData['rows'] {
  const keep = new Set(ROW_PRIORITY.slice(0, count));
  return data.rows.filter((r) => keep.has(r.label));
}

/** The key shown on a column: none for exec on Fir, where `x` means run:inside. */
function keyFor(app: App, column: ComparisonData['columns'][number]): string {
  return modeForKey(app, column.mode.key) === column.mode.id ? column.mode.key : ' ';
}

export function Comparison({ width, rows, lines }: Props) {
  const theme = useTheme();
  const app = useAppStore(selectApp);
  const dyno = useAppStore(selectDyno);
  const access = useAppStore((s) => s.access);
  const data = useMemo(
    () => (app === null ? null : compare({ app, dyno }, { ssh: access.ssh, ...(access.runSize ? { runSize: access.runSize } : {}) })),
    [app, dyno, access],
  );

  const rule = (title: string): string => {
    const text = truncateToWidth(`─ ${title} `, width - 1);
    return text + '─'.repeat(Math.max(0, width - 1 - stringWidth(text)));
  };

  if (app === null || data === null) {
    return (
      <Box flexDirection="column" width={width} height={lines}>
        <Text dimColor>{rule('compare ways in')}</Text>
        <Text dimColor>{fitToWidth('  select an app to compare the ways in', width - 1)}</Text>
      </Box>
    );
  }

  const columnWidth = Math.max(8, Math.floor((width - 1 - LABEL_WIDTH) / data.columns.length));
  // One blank column between cells, so a cut cell never runs into the next. Cells are boxes
  // of their width: the blanks are left to Ink, not padded with spaces it would measure.
  const cell = (key: string, s: string, bold = false) => (
    <Box key={key} width={columnWidth} flexShrink={0}>
      <Text bold={bold}>{truncateToWidth(s, columnWidth - 1)}</Text>
    </Box>
  );
  const label = (s: string) => (
    <Box width={LABEL_WIDTH} flexShrink={0}>
      <Text dimColor>{truncateToWidth(s, LABEL_WIDTH)}</Text>
    </Box>
  );
  const target = `${sanitize(app.name)}${dyno === null ? '' : ` · ${sanitize(dyno.name)}`}`;

  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text dimColor>{rule(`compare ways in: ${target}`)}</Text>
      <Box>
        {label('')}
        {data.columns.map((c) => cell(c.mode.id, `${keyFor(app, c)} ${c.mode.title}${c.mode.id === data.recommended ? ' ★' : ''}`, true))}
      </Box>
      {pickRows(data, rows).map((row) => (
        <Box key={row.label}>
          {label(row.label)}
          {row.values.map((v, i) => cell(data.columns[i]?.mode.id ?? String(i), v))}
        </Box>
      ))}
      <Box height={2}>
        {label('verdict')}
        {data.columns.map((c) => {
          const style = verdictStyles[c.availability.verdict];
          return (
            <Box key={c.mode.id} width={columnWidth} height={2} paddingRight={1} overflow="hidden">
              <Text color={theme.color(style.color)} wrap="wrap">
                {`${style.symbol} ${c.availability.reason}`}
              </Text>
            </Box>
          );
        })}
      </Box>
      {[0, 1, 2].map((i) => {
        const c = data.columns[i];
        if (c === undefined) return <Text key={i}> </Text>;
        const usable = c.availability.verdict !== 'unavailable';
        const command = c.command ?? `${c.mode.title} (select a dyno)`;
        return (
          <Text key={c.mode.id} dimColor={!usable}>
            <Text color={usable ? theme.color('cyan') : undefined}>{` ${keyFor(app, c)} $ `}</Text>
            {truncateToWidth(command, Math.max(0, width - 6))}
          </Text>
        );
      })}
    </Box>
  );
}
