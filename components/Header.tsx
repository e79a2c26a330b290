import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { sanitize, truncateToWidth } from '../src/text/sanitize.js';
import { useAppStore, useTheme } from './StoreContext.js';
import { formatAge } from './age.js';
import { useNow } from './useNow.js';

export function Header({ width }: { width: number }) {
  const theme = useTheme();
  const account = useAppStore((s) => s.account);
  const sourceLabel = useAppStore((s) => s.sourceLabel);
  const appCount = useAppStore((s) => s.apps.length);
  const loadedAt = useAppStore((s) => s.loadedAt);
  const loading = useAppStore((s) => s.loading);
  const loadError = useAppStore((s) => s.loadError);
  const remotes = useAppStore((s) => s.remotes);
  const now = useNow(1000);

  const age = loadedAt === null ? (loading ? 'loading…' : 'not loaded') : `updated ${formatAge(new Date(loadedAt).toISOString(), now)} ago`;
  const parts = [account ?? sourceLabel, sourceLabel, `${appCount} app${appCount === 1 ? '' : 's'}`, age];
  if (remotes.length > 1) parts.push(`remotes: ${remotes.map((r) => `${r.remote}→${r.app}`).join(' ')}`);
  // " dynotty " and "? help " frame the line; the rest is shared by the facts and the error.
  const room = Math.max(0, width - stringWidth(' dynotty ') - stringWidth('? help ') - 1);
  const left = truncateToWidth(sanitize(parts.filter((p, i) => i !== 1 || p !== parts[0]).join(' │ ')), room);
  // Before anything has loaded, the body says what failed; the header need not say it again.
  const error = loadError === null || loadedAt === null ? '' : truncateToWidth(` │ refresh failed: ${sanitize(loadError)}`, Math.max(0, room - stringWidth(left)));
  return (
    <Box width={width} height={1}>
      <Text bold color={theme.color('cyan')}> dynotty </Text>
      <Text>{left}</Text>
      <Text color={theme.color('red')}>{error}</Text>
      <Box flexGrow={1} />
      <Text dimColor>? help </Text>
    </Box>
  );
}
