// The lines a log stream has printed, newest last, at most `maxLines` of them: each
// line's plain text (what search looks at) and its styled runs (what is drawn).
// Lines are numbered from the first one ever received, so a position survives the
// oldest lines being dropped.
import type { Run, RunStyle } from '../session/screen.js';
import { LogSanitizer } from './sanitize-stream.js';
import { nextStyle, PLAIN_STYLE } from './sgr.js';

export interface LogLine {
  /** 0 for the first line the stream printed, counting up; never reused. */
  seq: number;
  text: string;
  runs: Run[];
}

export const DEFAULT_MAX_LINES = 5000;
const TAB = 8;
const SGR = /\x1b\[([0-9;:]*)m/g;

export class LogBuffer {
  private lines: LogLine[] = [];
  private nextSeq = 0;
  private pending = '';
  private style: RunStyle = PLAIN_STYLE;
  private readonly sanitizer = new LogSanitizer();

  constructor(readonly maxLines: number = DEFAULT_MAX_LINES) {}

  /** Adds raw output; complete lines become visible. Returns how many lines it completed. */
  append(chunk: string): number {
    const safe = this.sanitizer.push(chunk);
    if (safe === '') return 0;
    const parts = (this.pending + safe).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.push(part);
    this.trim();
    return parts.length;
  }

  /** The stream ended: a last line without a newline is kept too. */
  flush(): number {
    if (this.pending === '') return 0;
    this.push(this.pending);
    this.pending = '';
    this.trim();
    return 1;
  }

  get firstSeq(): number {
    return this.lines[0]?.seq ?? this.nextSeq;
  }

  /** One past the newest line's seq. */
  get endSeq(): number {
    return this.nextSeq;
  }

  get length(): number {
    return this.lines.length;
  }

  /** The line numbered `seq`, or undefined when it was dropped or has not come yet. */
  line(seq: number): LogLine | undefined {
    return this.lines[seq - this.firstSeq];
  }

  private push(raw: string): void {
    const runs: Run[] = [];
    let text = '';
    let last = 0;
    const add = (segment: string): void => {
      if (segment === '') return;
      let expanded = segment;
      if (segment.includes('\t')) {
        expanded = '';
        for (const ch of segment) {
          if (ch === '\t') expanded += ' '.repeat(TAB - ((text.length + expanded.length) % TAB));
          else expanded += ch;
        }
      }
      text += expanded;
      const prev = runs.at(-1);
      if (prev !== undefined && (prev.style === this.style || sameStyle(prev.style, this.style))) prev.text += expanded;
      else runs.push({ text: expanded, style: this.style });
    };
    SGR.lastIndex = 0;
    for (let m = SGR.exec(raw); m !== null; m = SGR.exec(raw)) {
      add(raw.slice(last, m.index));
      this.style = nextStyle(this.style, m[1] ?? '');
      last = m.index + m[0].length;
    }
    add(raw.slice(last));
    this.lines.push({ seq: this.nextSeq++, text, runs });
  }

  private trim(): void {
    // Dropping in batches keeps the cost of the array shift amortised.
    if (this.lines.length > this.maxLines + Math.ceil(this.maxLines / 10)) this.lines.splice(0, this.lines.length - this.maxLines);
  }
}

export function sameStyle(a: RunStyle, b: RunStyle): boolean {
  return (
    a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic &&
    a.underline === b.underline && a.inverse === b.inverse && a.strikethrough === b.strikethrough
  );
}
