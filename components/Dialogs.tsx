import { Box, Text } from 'ink';
import { sanitize } from '../src/text/sanitize.js';
import { selectLiveSessionCount } from '../src/store/store.js';
import { useAppStore, useTheme } from './StoreContext.js';

interface Props {
  width: number;
  height: number;
}

function Dialog({ width, height, title, color, children }: Props & { title: string; color: 'red' | 'yellow'; children: React.ReactNode }) {
  const theme = useTheme();
  const inner = Math.max(20, Math.min(70, width - 6));
  return (
    <Box width={width} height={height} justifyContent="center" alignItems="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.color(color)} paddingX={1} width={inner + 4}>
        <Text bold color={theme.color(color)}>
          {title}
        </Text>
        {children}
      </Box>
    </Box>
  );
}

/** Something the user must read before going on: a session that could not start, an unavailable mode. */
export function NoticeDialog(props: Props) {
  const notice = useAppStore((s) => s.notice) ?? '';
  return (
    <Dialog {...props} title="cannot do that" color="red">
      {sanitize(notice.replace(/\n/g, ' \u2028'))
        .split('\u2028')
        .map((line, i) => (
          <Text key={i} wrap="wrap">
            {line.trim()}
          </Text>
        ))}
      <Text dimColor>Enter or Esc closes this</Text>
    </Dialog>
  );
}

export function ConfirmQuitDialog(props: Props) {
  const live = useAppStore(selectLiveSessionCount);
  return (
    <Dialog {...props} title="quit dynotty?" color="yellow">
      <Text wrap="wrap">
        {live} session{live === 1 ? ' is' : 's are'} live. Quitting ends {live === 1 ? 'it' : 'them'} (SIGHUP, then SIGKILL).
      </Text>
      <Text>
        <Text bold>y</Text> quit and end them · <Text bold>n</Text> or Esc stay
      </Text>
    </Dialog>
  );
}

/** The production guard: the app's name must be typed before an exec into it. */
export function GuardDialog(props: Props) {
  const theme = useTheme();
  const guard = useAppStore((s) => s.guard);
  if (guard === null) return null;
  const matches = guard.typed === guard.app;
  return (
    <Dialog {...props} title={`${sanitize(guard.app)} is protected`} color="red">
      <Text wrap="wrap">
        This opens a shell on the live dyno {sanitize(guard.dyno ?? '')} of a production app. Type the app name to go on.
      </Text>
      <Text>
        <Text color={theme.color(matches ? 'green' : 'yellow')}>› {sanitize(guard.typed)}</Text>
        <Text inverse> </Text>
      </Text>
      <Text dimColor>{matches ? 'Enter opens the session · Esc cancels' : 'Esc cancels'}</Text>
    </Dialog>
  );
}
