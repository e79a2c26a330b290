import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { MODES } from '../src/access/modes.js';
import { sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { useAppStore, useTheme } from './StoreContext.js';

/** The sessions, numbered for `1`-`9`, with their state; one line. */
export function SessionStrip({ width }: { width: number }) {
  const theme = useTheme();
  const sessions = useAppStore((s) => s.sessions);
  if (sessions.length === 0) return null;
  let used = 0;
  return (
    <Box width={width} height={1}>
      {sessions.map((x, i) => {
        const mode = MODES[x.mode].title.replace(/^heroku /, '');
        const state = x.state === 'live' ? '● live' : x.exit?.signal != null ? `✖ signal ${x.exit.signal}` : `✖ exit ${x.exit?.exitCode ?? '?'}`;
        const label = ` ${i + 1} ${mode} ${truncateToWidth(`${sanitize(x.app)} ${sanitize(x.dyno ?? '')}`, 32)} ${state} `;
        const room = Math.max(0, width - used);
        used += stringWidth(label);
        if (room <= 0) return null;
        return (
          <Text key={x.id} color={x.state === 'live' ? theme.color('green') : theme.color('gray')}>
            {truncateToWidth(label, room)}
          </Text>
        );
      })}
    </Box>
  );
}
