import { Box, Text } from 'ink';
import { sanitize } from '../src/text/sanitize.js';
import { selectLiveSessionCount } from '../src/store/store.js';
import { useAppStore, useTheme } from './StoreContext.js';

interface Props {
  width: number;
  height: number;
}

function Dialog({ width, height, title, color, children }: Props & { title: string; color: 'red' | 'yellow' | 'cyan'; children: React.ReactNode }) {
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
  const title = useAppStore((s) => s.noticeTitle);
  const copied = useAppStore((s) => s.copyNotice);
  return (
    <Dialog {...props} title={title ?? 'cannot do that'} color={copied ? 'cyan' : 'red'}>
      {notice.split('\n').map((line, i) => (
        // One <Text> per line: sanitize() would turn the line breaks into spaces.
        <Text key={i} wrap="wrap">
          {sanitize(line).trim()}
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

/** Restarting a dyno, or enabling exec (which restarts them all): y/n first. */
export function ConfirmDialog(props: Props) {
  const confirm = useAppStore((s) => s.confirm);
  if (confirm === null) return null;
  const app = sanitize(confirm.app);
  if (confirm.kind === 'restart') {
    return (
      <Dialog {...props} title={`restart ${sanitize(confirm.dyno)} of ${app}?`} color="yellow">
        <Text wrap="wrap">
          Its processes get SIGTERM, then it starts again with a fresh filesystem (what was written there is gone). Requests
          it is serving may fail meanwhile.
        </Text>
        <Text wrap="wrap">$ {sanitize(confirm.command)}</Text>
        <Text>
          <Text bold>y</Text> restart · <Text bold>n</Text> or Esc cancel
        </Text>
      </Dialog>
    );
  }
  const dynos = confirm.dynos.map(sanitize).join(', ');
  return (
    <Dialog {...props} title={`enable exec on ${app}?`} color="yellow">
      <Text wrap="wrap">
        Heroku Exec is not enabled for {app}. Enabling it restarts every dyno of the app
        {dynos === '' ? '' : ` (${dynos})`}, then heroku ps:exec connects to {sanitize(confirm.dyno ?? 'web.1')}.
      </Text>
      <Text wrap="wrap" dimColor>
        heroku ps:exec asks the same in the session; dynotty answers it with your y.
      </Text>
      <Text>
        <Text bold>y</Text> enable and connect · <Text bold>n</Text> or Esc cancel
      </Text>
    </Dialog>
  );
}

const GUARDED: Record<'session' | 'restart' | 'enable-exec', (dyno: string) => string> = {
  session: (dyno) => `This opens a shell on the live dyno ${dyno} of a production app.`,
  restart: (dyno) => `This restarts the live dyno ${dyno} of a production app.`,
  'enable-exec': () => 'Exec is not enabled here: enabling it restarts every dyno of this production app.',
};

/** The production guard: the app's name must be typed before touching one of its live dynos. */
export function GuardDialog(props: Props) {
  const theme = useTheme();
  const guard = useAppStore((s) => s.guard);
  if (guard === null) return null;
  const matches = guard.typed === guard.app;
  const what = GUARDED[guard.purpose ?? 'session'](sanitize(guard.dyno ?? ''));
  return (
    <Dialog {...props} title={`${sanitize(guard.app)} is protected`} color="red">
      <Text wrap="wrap">{what} Type the app name to go on.</Text>
      <Text>
        <Text color={theme.color(matches ? 'green' : 'yellow')}>› {sanitize(guard.typed)}</Text>
        <Text inverse> </Text>
      </Text>
      <Text dimColor>{matches ? `Enter ${guard.purpose === 'restart' ? 'restarts it' : 'opens the session'} · Esc cancels` : 'Esc cancels'}</Text>
    </Dialog>
  );
}
