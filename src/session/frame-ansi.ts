import type { RunStyle, ScreenFrame } from './screen.js';

const NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

function colorCodes(color: string, background: boolean): string[] {
  const named = NAMES.indexOf(color);
  if (named >= 0) return [String((named < 8 ? 30 : 82) + named + (background ? 10 : 0))];
  const indexed = /^ansi256\((\d+)\)$/.exec(color);
  if (indexed) return [background ? '48' : '38', '5', indexed[1] ?? '0'];
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = Number.parseInt(hex[1] ?? '0', 16);
    return [background ? '48' : '38', '2', String(n >> 16), String((n >> 8) & 255), String(n & 255)];
  }
  return [];
}

/** The attributes of a run as one SGR sequence, starting from a reset. */
export function sgr(style: RunStyle): string {
  const codes = ['0'];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.italic) codes.push('3');
  if (style.underline) codes.push('4');
  if (style.inverse) codes.push('7');
  if (style.strikethrough) codes.push('9');
  if (style.fg) codes.push(...colorCodes(style.fg, false));
  if (style.bg) codes.push(...colorCodes(style.bg, true));
  return `\x1b[${codes.join(';')}m`;
}

// A cell holds what the emulator printed: never C0 or C1, but it may hold a bidi control
// or another zero-width format character that a real terminal would act on.
const CELL_CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Cell text made safe to write to the real terminal. */
export function cellText(text: string): string {
  return text.replace(CELL_CONTROLS, '');
}

/**
 * A frame as the bytes that draw it on a real terminal: used when a session is handed
 * the whole terminal, so what it drew before the hand-off is there too.
 */
export function frameToAnsi(frame: ScreenFrame): string {
  let out = '\x1b[0m\x1b[H\x1b[J';
  frame.lines.forEach((runs, y) => {
    out += `\x1b[${y + 1};1H`;
    for (const run of runs) out += sgr(run.style) + cellText(run.text);
  });
  out += `\x1b[0m\x1b[${frame.cursor.y + 1};${frame.cursor.x + 1}H`;
  if (frame.cursor.wrapPending) {
    // Printing the last cell again puts the terminal back in the pending-wrap state.
    const last = frame.lines[frame.cursor.y]?.at(-1);
    const ch = last === undefined ? ' ' : ([...last.text].at(-1) ?? ' ');
    out += `${last === undefined ? '' : sgr(last.style)}${cellText(ch) || ' '}\x1b[0m`;
  }
  out += frame.cursor.visible ? '\x1b[?25h' : '\x1b[?25l';
  return out;
}
