import { Box, Text, useInput } from 'ink';
import type { StartProblem } from '../src/start-problem.js';
import { sanitize } from '../src/text/sanitize.js';
import { useTheme } from './StoreContext.js';
import { useTerminalSize } from './useTerminalSize.js';

interface Props {
  /** null while credentials are being looked for. */
  problem: StartProblem | null;
  onDemo: () => void;
  onQuit: () => void;
}

/** Before the picker: looking for an account, or what is missing and the way to the demo fleet. */
export function StartScreen({ problem, onDemo, onQuit }: Props) {
  const theme = useTheme();
  const { columns, rows } = useTerminalSize();
  useInput((input, key) => {
    if ((key.ctrl && input === 'c') || input === 'q' || key.escape) return onQuit();
    if (problem !== null && (input === 'd' || key.return)) onDemo();
  });
  const width = Math.max(20, Math.min(78, columns - 2));
  return (
    <Box width={columns} height={Math.max(1, rows - 1)} flexDirection="column" alignItems="center" justifyContent="center">
      <Box flexDirection="column" width={width} borderStyle="round" borderColor={theme.color(problem ? 'yellow' : 'cyan')} paddingX={1}>
        <Text bold color={theme.color('cyan')}>
          dynotty
        </Text>
        {problem === null ? (
          <>
            <Text>Looking for your Heroku account…</Text>
            <Text dimColor>q quits</Text>
          </>
        ) : (
          <>
            <Text bold color={theme.color('yellow')} wrap="wrap">
              {sanitize(problem.title)}
            </Text>
            {problem.details.map((line, i) => (
              <Text key={`d${i}`} wrap="wrap">
                {sanitize(line)}
              </Text>
            ))}
            <Text> </Text>
            {problem.fixes.map((line, i) => (
              <Text key={`f${i}`} wrap="wrap">
                <Text color={theme.color('green')}>→ </Text>
                {sanitize(line)}
              </Text>
            ))}
            <Text> </Text>
            <Text>
              <Text bold color={theme.color('cyan')}>d</Text> try the demo fleet (local processes stand in for dynos) ·{' '}
              <Text bold>q</Text> quit
            </Text>
          </>
        )}
      </Box>
    </Box>
  );
}
