// Ink's Output (node_modules/ink/build/output.js) turns every line it draws into styled
// characters and every screen row back into a string with @alcalzone/ansi-tokenize. The
// package's versions give each character a fresh copy of its style list, then compare each
// pair of neighbours by building three Sets: most of the CPU of a frame, for rows whose
// characters mostly share one style. These two functions give the same results (tested
// against the package's in test/unit/ink-speedups.test.ts); the bundle (scripts/bundle.ts)
// has Ink's Output use them. Style lists are interned, so equal styles are the same array
// and a style change between two of them is computed once.
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  undoAnsiCodes,
  type AnsiCode,
  type StyledChar,
  type Token,
} from '@alcalzone/ansi-tokenize';
import { BoundedCache } from './bounded-cache.js';

/** Every distinct style list seen, by its codes. A screen uses a few dozen. */
const interned = new BoundedCache<string, AnsiCode[]>(1024);
/** The escape sequence that goes from one interned style to another, and to none. */
const transitions = new WeakMap<AnsiCode[], Map<AnsiCode[], string>>();
const endings = new WeakMap<AnsiCode[], string>();

function intern(codes: AnsiCode[]): AnsiCode[] {
  if (codes.length === 0) return EMPTY;
  let key = '';
  for (const c of codes) key += `${c.code}\u0000${c.endCode}\u0001`;
  let styles = interned.get(key);
  if (styles === undefined) {
    styles = codes.slice();
    interned.set(key, styles);
  }
  return styles;
}

const EMPTY: AnsiCode[] = [];

/** As the package's: the characters of `tokens`, each with the styles in force where it stands. */
export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
  let codes: AnsiCode[] = [];
  let styles: AnsiCode[] | null = EMPTY;
  const ret: StyledChar[] = [];
  for (const token of tokens) {
    if (token.type === 'ansi') {
      codes = reduceAnsiCodesIncremental(codes, [token]);
      styles = null;
    } else if (token.type === 'char') {
      styles ??= intern(codes);
      ret.push({ ...token, styles });
    }
  }
  return ret;
}

function transition(from: AnsiCode[], to: AnsiCode[]): string {
  if (from === to || (from.length === 0 && to.length === 0)) return '';
  // diffAnsiCodes([], to) is `to`; diffAnsiCodes(from, []) undoes `from`.
  if (from.length === 0) return ansiCodesToString(to);
  if (to.length === 0) return ending(from);
  let byTo = transitions.get(from);
  if (byTo === undefined) {
    byTo = new Map();
    transitions.set(from, byTo);
  }
  let seq = byTo.get(to);
  if (seq === undefined) {
    seq = ansiCodesToString(diffAnsiCodes(from, to));
    byTo.set(to, seq);
  }
  return seq;
}

function ending(from: AnsiCode[]): string {
  if (from.length === 0) return '';
  let seq = endings.get(from);
  if (seq === undefined) {
    seq = ansiCodesToString(undoAnsiCodes(from));
    endings.set(from, seq);
  }
  return seq;
}

/** As the package's: the characters as a string, each style change written once, all styles ended at the end. */
export function styledCharsToString(chars: StyledChar[]): string {
  let ret = '';
  let prev: AnsiCode[] = EMPTY;
  for (const char of chars) {
    ret += transition(prev, char.styles) + char.value;
    prev = char.styles;
  }
  return ret + ending(prev);
}
