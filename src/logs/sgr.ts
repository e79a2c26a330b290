// SGR parameters applied to a cell style, with colours named as Ink takes them
// (the 16 ANSI names, `ansi256(n)`, `#rrggbb`): the same vocabulary as session frames.
import type { RunStyle } from '../session/screen.js';

const ANSI_NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

function palette(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  return ANSI_NAMES[n] ?? `ansi256(${n})`;
}

function rgb(r: number, g: number, b: number): string | undefined {
  if (![r, g, b].every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return undefined;
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}

/**
 * An extended colour (38/48): `5;n` or `2;r;g;b`, in `;` or `:` form. Returns the colour
 * and how many of `rest` it used.
 */
function extended(rest: string[]): { color: string | undefined; used: number } {
  const kind = Number(rest[0]);
  if (kind === 5) return { color: palette(Number(rest[1])), used: 2 };
  if (kind === 2) return { color: rgb(Number(rest[1]), Number(rest[2]), Number(rest[3])), used: 4 };
  return { color: undefined, used: 1 };
}

/** The style after `ESC [ params m`, from `style`. Unknown parameters are ignored. */
export function applySgr(style: RunStyle, params: string): RunStyle {
  const next: RunStyle = { ...style };
  const groups = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    // Colon form: `38:2::r:g:b` (with a colour space id) or `38:5:n`.
    if (group.includes(':')) {
      const parts = group.split(':');
      const head = Number(parts[0]);
      if (head === 38 || head === 48) {
        const sub = parts.slice(1);
        if (sub[0] === '2' && sub.length >= 5) sub.splice(1, 1);
        const { color } = extended(sub);
        if (head === 38) next.fg = color;
        else next.bg = color;
      } else if (head === 4) {
        next.underline = parts[1] !== '0';
      }
      continue;
    }
    const n = group === '' ? 0 : Number(group);
    if (n === 0) {
      for (const key of Object.keys(next) as (keyof RunStyle)[]) delete next[key];
    } else if (n === 1) next.bold = true;
    else if (n === 2) next.dim = true;
    else if (n === 3) next.italic = true;
    else if (n === 4) next.underline = true;
    else if (n === 7) next.inverse = true;
    else if (n === 9) next.strikethrough = true;
    else if (n === 22) {
      delete next.bold;
      delete next.dim;
    } else if (n === 23) delete next.italic;
    else if (n === 24) delete next.underline;
    else if (n === 27) delete next.inverse;
    else if (n === 29) delete next.strikethrough;
    else if (n >= 30 && n <= 37) next.fg = palette(n - 30);
    else if (n === 39) delete next.fg;
    else if (n >= 40 && n <= 47) next.bg = palette(n - 40);
    else if (n === 49) delete next.bg;
    else if (n >= 90 && n <= 97) next.fg = palette(n - 90 + 8);
    else if (n >= 100 && n <= 107) next.bg = palette(n - 100 + 8);
    else if (n === 38 || n === 48) {
      const { color, used } = extended(groups.slice(i + 1));
      if (n === 38) next.fg = color;
      else next.bg = color;
      i += used;
    }
  }
  for (const key of Object.keys(next) as (keyof RunStyle)[]) if (next[key] === undefined) delete next[key];
  return next;
}

// Log lines repeat the same few colour changes thousands of times: each (style, params)
// step is computed once. Styles are interned, so the same look is the same object.
const interned = new Map<string, RunStyle>();
const steps = new Map<RunStyle, Map<string, RunStyle>>();
const CACHE_LIMIT = 4096;

function intern(style: RunStyle): RunStyle {
  const key = `${style.fg ?? ''}|${style.bg ?? ''}|${style.bold ? 1 : 0}${style.dim ? 1 : 0}${style.italic ? 1 : 0}${style.underline ? 1 : 0}${style.inverse ? 1 : 0}${style.strikethrough ? 1 : 0}`;
  let found = interned.get(key);
  if (found === undefined) {
    if (interned.size >= CACHE_LIMIT) {
      interned.clear();
      steps.clear();
    }
    found = style;
    interned.set(key, found);
  }
  return found;
}

/** applySgr, memoised: the result is an interned (shared, never to be mutated) style. */
export function nextStyle(style: RunStyle, params: string): RunStyle {
  let byParams = steps.get(style);
  const cached = byParams?.get(params);
  if (cached !== undefined) return cached;
  const next = intern(applySgr(style, params));
  if (byParams === undefined) {
    byParams = new Map();
    steps.set(style, byParams);
  }
  if (byParams.size < CACHE_LIMIT) byParams.set(params, next);
  return next;
}

/** The style before any SGR: shared, like every style nextStyle returns. */
export const PLAIN_STYLE: RunStyle = intern({});
