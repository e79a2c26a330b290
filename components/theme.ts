import type { Verdict } from '../src/access/model.js';

export type Color = 'green' | 'yellow' | 'red' | 'gray' | 'cyan' | 'magenta' | 'blue' | 'white';

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off; symbols still carry meaning. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env['NO_COLOR'];
}

export interface Theme {
  color: (c: Color) => Color | undefined;
}

export function makeTheme(useColor: boolean): Theme {
  return { color: (c) => (useColor ? c : undefined) };
}

export interface StateStyle {
  symbol: string;
  color: Color;
}

const stateStyles: Record<string, StateStyle> = {
  up: { symbol: '●', color: 'green' },
  starting: { symbol: '◐', color: 'yellow' },
  created: { symbol: '◐', color: 'yellow' },
  provisioning: { symbol: '◐', color: 'yellow' },
  crashed: { symbol: '✖', color: 'red' },
  down: { symbol: '○', color: 'gray' },
  idle: { symbol: '◌', color: 'gray' },
  complete: { symbol: '✓', color: 'gray' },
};

/** Unknown states are shown as they come, with a neutral mark. */
export function stateStyle(state: string): StateStyle {
  return stateStyles[state] ?? { symbol: '?', color: 'magenta' };
}

export const verdictStyles: Record<Verdict, StateStyle> = {
  ok: { symbol: '✔', color: 'green' },
  caution: { symbol: '▲', color: 'yellow' },
  unavailable: { symbol: '✖', color: 'red' },
};
