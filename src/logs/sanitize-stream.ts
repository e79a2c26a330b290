// Log output is untrusted: a line can carry any escape sequence. Everything but SGR
// (colours and text attributes) is dropped before the text reaches the log buffer, so
// no log line can move the cursor, clear the screen, set the title or the clipboard.
// Sequences may be cut across chunks: the state carries over from one push to the next.

type State = 'ground' | 'esc' | 'csi' | 'string' | 'string-esc';

/** Longest SGR parameter list kept; anything longer is not a colour and is dropped. */
const MAX_CSI = 64;
// Everything but printable text, LF and TAB: C0, DEL, C1, and the bidi controls that reorder a row.
const SPECIAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export class LogSanitizer {
  private state: State = 'ground';
  private csi = '';

  /** The safe part of `chunk`: printable text, `\n`, `\t` and SGR sequences (`ESC [ ... m`). */
  push(chunk: string): string {
    let out = '';
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'ground') {
        // Plain text (the bulk of any log) is copied in one piece up to the next control.
        SPECIAL.lastIndex = i;
        const m = SPECIAL.exec(chunk);
        const end = m === null ? chunk.length : m.index;
        out += chunk.slice(i, end);
        if (m === null) break;
        i = end;
      }
      const ch = chunk[i] ?? '';
      const code = chunk.charCodeAt(i);
      i++;
      switch (this.state) {
        case 'ground':
          if (code === 0x1b) this.state = 'esc';
          else if (code === 0x9b) this.enterCsi();
          else if (code === 0x90 || code === 0x98 || code === 0x9d || code === 0x9e || code === 0x9f) this.state = 'string';
          // Any other C0, DEL, C1 or bidi control is dropped (a lone CR included: lines end with LF).
          break;
        case 'esc':
          if (ch === '[') this.enterCsi();
          else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.state = 'string';
          else if (code === 0x1b) this.state = 'esc';
          // Intermediates (0x20-0x2f) wait for their final byte; anything else ends the sequence.
          else if (code < 0x20 || code > 0x2f) this.state = 'ground';
          break;
        case 'csi':
          if (code >= 0x40 && code <= 0x7e) {
            if (ch === 'm' && /^[0-9;:]*$/.test(this.csi)) out += `\x1b[${this.csi}m`;
            this.state = 'ground';
          } else if (code === 0x1b) {
            this.state = 'esc';
          } else if (code < 0x20 || this.csi.length >= MAX_CSI) {
            // A control inside a CSI, or a runaway one: give up on it.
            this.state = 'ground';
            if (ch === '\n') out += ch;
          } else {
            this.csi += ch;
          }
          break;
        case 'string':
          // OSC, DCS, SOS, PM, APC: their content is never shown; BEL or ST ends them.
          if (code === 0x07 || code === 0x9c) this.state = 'ground';
          else if (code === 0x1b) this.state = 'string-esc';
          break;
        case 'string-esc':
          this.state = ch === '\\' ? 'ground' : code === 0x1b ? 'string-esc' : 'string';
          break;
      }
    }
    return out;
  }

  private enterCsi(): void {
    this.state = 'csi';
    this.csi = '';
  }
}

/** One-shot form, for whole strings. */
export function sanitizeLogText(text: string): string {
  return new LogSanitizer().push(text);
}
