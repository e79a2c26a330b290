import { Text } from 'ink';
import { truncateToWidth } from '../src/text/sanitize.js';
import { MIN_COLUMNS, MIN_ROWS } from './layout.js';

export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  const line = `terminal too small: ${columns}x${rows}, dynotty needs ${MIN_COLUMNS}x${MIN_ROWS} (q quits)`;
  return <Text>{truncateToWidth(line, Math.max(1, columns - 1))}</Text>;
}
