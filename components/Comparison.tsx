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
  // One blank column between cells, so a cut cell never runs into the next.
  const cell = (s: string): string => `${fitToWidth(s, columnWidth - 1)} `;
  const target = `${sanitize(app.name)}${dyno === null ? '' : ` · ${sanitize(dyno.name)}`}`;

  return (
    <Box flexDirection="column" width={width} height={lines}>
      <Text dimColor>{rule(`compare ways in: ${target}`)}</Text>
      <Box>
        <Text>{' '.repeat(LABEL_WIDTH)}</Text>
        {data.columns.map((c) => {
          const star = c.mode.id === data.recommended ? ' ★' : '';
          return (
            <Text key={c.mode.id} bold>
              {cell(`${keyFor(app, c)} ${c.mode.title}${star}`)}
            </Text>
          );
        })}
      </Box>
      {pickRows(data, rows).map((row) => (
        <Box key={row.label}>
          <Text dimColor>{fitToWidth(row.label, LABEL_WIDTH)}</Text>
          {row.values.map((v, i) => (
            <Text key={data.columns[i]?.mode.id ?? i}>{cell(v)}</Text>
          ))}
        </Box>
      ))}
      <Box height={2}>
        <Text dimColor>{fitToWidth('verdict', LABEL_WIDTH)}</Text>
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
