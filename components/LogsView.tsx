import { Box, Text } from 'ink';
import { sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { ScreenPane } from './ScreenPane.js';
import { useAppStore, useTheme } from './StoreContext.js';

interface Props {
  width: number;
  height: number;
}

const HINTS = '↑↓ PgUp PgDn g G scroll · space pause · / search · n N · Esc back';

/** A log stream in front: the lines as the emulator-like buffer holds them, following or paused. */
export function LogsView({ width, height }: Props) {
  const theme = useTheme();
  const logs = useAppStore((s) => s.logs);
  const frame = useAppStore((s) => s.logsFrame);
  if (logs === null) return null;

  const where = `${sanitize(logs.target.app)} · ${logs.target.dyno === null ? 'all dynos' : sanitize(logs.target.dyno)}`;
  const state =
    logs.state === 'ended'
      ? '■ ended'
      : frame === null || frame.following
        ? '● live'
        : `⏸ paused${frame.newLines > 0 ? ` · ${frame.newLines} new line${frame.newLines === 1 ? '' : 's'} below` : ''}`;
  const count = frame === null ? '' : ` · ${frame.lines} line${frame.lines === 1 ? '' : 's'}`;
  const header = ` logs · ${where} · ${state}${count}`;
  const hint = 'Esc back ';

  const message = frame?.message == null ? '' : sanitize(frame.message);
  const search =
    frame?.match == null
      ? ''
      : frame.match.count > 0
        ? `${frame.match.index === null ? '' : `match ${frame.match.index}/`}${frame.match.count} matches`
        : message === ''
          ? `no match for "${sanitize(frame.query)}"`
          : '';
  const facts = [search, message].filter((x) => x !== '').join(' · ');

  let status: React.ReactNode;
  if (logs.searching) {
    status = (
      <Box width={width}>
        <Text color={theme.color('cyan')}> / </Text>
        <Text>{truncateToWidth(sanitize(logs.input), Math.max(0, width - 30))}</Text>
        <Text inverse> </Text>
        <Text dimColor>{truncateToWidth('  Enter find · Esc clear', Math.max(0, width - 4 - logs.input.length))}</Text>
      </Box>
    );
  } else if (logs.state === 'ended' && logs.problem !== null) {
    status = (
      <Text inverse color={theme.color('red')}>
        {truncateToWidth(` logs ended: ${sanitize(logs.problem)} · Esc back`, width)}
      </Text>
    );
  } else {
    const text = facts !== '' ? ` ${facts} · ${HINTS}` : ` $ ${sanitize(logs.title)} · ${HINTS}`;
    status = <Text dimColor>{truncateToWidth(text, width)}</Text>;
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box width={width}>
        <Text bold color={theme.color(logs.state === 'ended' ? 'yellow' : 'cyan')}>
          {truncateToWidth(header, Math.max(0, width - hint.length))}
        </Text>
        <Box flexGrow={1} />
        <Text dimColor>{hint}</Text>
      </Box>
      <ScreenPane frame={frame?.screen ?? null} width={width} height={Math.max(1, height - 2)} />
      {status}
    </Box>
  );
}
