import { Box, Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import type { Run, ScreenFrame } from '../src/session/screen.js';

interface Props {
  frame: ScreenFrame | null;
  width: number;
  height: number;
}

/**
 * Splits a row's runs so the cell under the cursor can be drawn inverted. Columns, not
 * characters, are counted: a wide character covers two, and the cursor on either half marks it.
 */
export function withCursor(runs: Run[], x: number): Run[] {
  const out: Run[] = [];
  let col = 0;
  for (const run of runs) {
    const chars = [...run.text];
    let start = col;
    let at = -1;
    for (let i = 0; i < chars.length; i++) {
      const w = Math.max(1, stringWidth(chars[i] ?? ' '));
      if (at < 0 && x >= start && x < start + w) at = i;
      start += w;
    }
    if (at >= 0) {
      if (at > 0) out.push({ text: chars.slice(0, at).join(''), style: run.style });
      out.push({ text: chars[at] ?? ' ', style: { ...run.style, inverse: !run.style.inverse } });
      if (at + 1 < chars.length) out.push({ text: chars.slice(at + 1).join(''), style: run.style });
    } else {
      out.push(run);
    }
    col = start;
  }
  if (x >= col) {
    if (x > col) out.push({ text: ' '.repeat(x - col), style: {} });
    out.push({ text: ' ', style: { inverse: true } });
  }
  return out;
}

const Row = memo(function Row({ runs }: { runs: Run[] }) {
  return (
    <Text wrap="truncate-end">
      {runs.length === 0
        ? ' '
        : runs.map((run, i) => (
            <Text
              key={i}
              color={run.style.fg}
              backgroundColor={run.style.bg}
              bold={run.style.bold}
              dimColor={run.style.dim}
              italic={run.style.italic}
              underline={run.style.underline}
              inverse={run.style.inverse}
              strikethrough={run.style.strikethrough}
            >
              {run.text}
            </Text>
          ))}
    </Text>
  );
});

/** The child's screen, as the emulator holds it: one row of styled runs per line. */
export function ScreenPane({ frame, width, height }: Props) {
  if (frame === null) {
    return (
      <Box width={width} height={height}>
        <Text dimColor>starting…</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {frame.lines.slice(0, height).map((runs, y) => (
        <Row key={y} runs={frame.cursor.visible && frame.cursor.y === y ? withCursor(runs, frame.cursor.x) : runs} />
      ))}
    </Box>
  );
}
