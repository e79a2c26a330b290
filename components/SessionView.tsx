import { Box, Text, useStdin } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo } from 'react';
import stringWidth from 'string-width';
import { MODES } from '../src/access/modes.js';
import type { SessionMeta } from '../src/store/sessions.js';
import { selectFrontSession } from '../src/store/store.js';
import { sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { formatDuration } from './duration.js';
import { usePanePainter } from './PaneContext.js';
import { ScreenPane } from './ScreenPane.js';
import { useAppStore, useStoreApi, useTheme } from './StoreContext.js';
import { useSessionClock } from './useSessionClock.js';

interface Props {
  width: number;
  height: number;
}

export function describeExit(meta: SessionMeta): string {
  if (meta.exit === null) return 'live';
  return meta.exit.signal !== null ? `killed by signal ${meta.exit.signal}` : `exited with status ${meta.exit.exitCode}`;
}

/** The screen itself sits under the one-line header. */
const PANE_TOP = 1;

/**
 * A session in front: keys go to the child as the raw bytes the terminal sent
 * (Ink's parsed keys cannot tell Backspace from Delete), Ctrl-] excepted. With a pane
 * painter (the real terminal), Ink draws only the header and the status line around an
 * empty pane and the painter draws the screen; without one, Ink draws the store's frame.
 */
export function SessionView({ width, height }: Props) {
  const theme = useTheme();
  const store = useStoreApi();
  const { stdin } = useStdin();
  const meta = useAppStore(selectFrontSession);
  const painter = usePanePainter();
  const frame = useAppStore((s) => (painter === null ? s.frame : null));
  const paneHeight = Math.max(1, height - 2);

  // A layout effect: its clean-up blanks the pane before Ink draws what replaces this view.
  useLayoutEffect(() => {
    if (painter === null) return;
    painter.setArea({ top: PANE_TOP, left: 0, width, height: paneHeight });
    return () => painter.setArea(null);
  }, [painter, width, paneHeight]);

  useEffect(() => {
    const onData = (chunk: Buffer | string): void => store.getState().sendInput(chunk.toString());
    stdin.on('data', onData);
    return () => {
      stdin.off('data', onData);
    };
  }, [stdin, store]);

  const where = meta === null ? '' : `${MODES[meta.mode].title.replace(/^heroku /, '')} · ${sanitize(meta.app)}${meta.dyno ? ` · ${sanitize(meta.dyno)}` : ''}`;
  const hint = meta?.state === 'live' ? 'Ctrl-] detach ' : '';
  const prefix = ` ${where} · `;
  const headerWidth = Math.max(0, width - hint.length);
  const cyan = theme.color('cyan');
  const clockStyle = useMemo(() => ({ bold: true, ...(cyan === undefined ? {} : { fg: cyan }) }), [cyan]);
  const place = useMemo(() => ({ row: 0, col: stringWidth(prefix), style: clockStyle }), [prefix, clockStyle]);
  const fits = useCallback((text: string) => place.col + text.length <= headerWidth, [place, headerWidth]);
  const now = useSessionClock({ painter, startedAt: meta?.startedAt ?? 0, live: meta?.state === 'live', place, fits });

  if (meta === null) return null;
  const elapsed = formatDuration(meta.exit?.durationMs ?? now - meta.startedAt);
  const header = `${prefix}${elapsed}`;
  const status =
    meta.state === 'live'
      ? ` $ ${sanitize(meta.title)}`
      : ` ${describeExit(meta)} after ${elapsed} · Enter returns to the picker · Ctrl-] keeps it in the strip`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box width={width}>
        <Text bold color={theme.color('cyan')}>
          {truncateToWidth(header, headerWidth)}
        </Text>
        <Box flexGrow={1} />
        <Text dimColor>{hint}</Text>
      </Box>
      {painter === null ? <ScreenPane frame={frame} width={width} height={paneHeight} /> : <Box width={width} height={paneHeight} />}
      {meta.state === 'live' ? (
        <Text dimColor>{truncateToWidth(status, width)}</Text>
      ) : (
        <Text inverse color={theme.color(meta.exit?.exitCode === 0 ? 'green' : 'red')}>
          {truncateToWidth(status, width)}
        </Text>
      )}
    </Box>
  );
}
