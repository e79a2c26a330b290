// The heroku CLI colours `heroku logs` lines (its lib/run/colorize.js, heroku 11): the
// part up to `[source]:` in a colour per process type, router fields, dyno states.
// The demo fleet stands in for that CLI, so its log lines get the same treatment.

const fg256 = (n: number) => (s: string) => `\x1b[38;5;${n}m${s}\x1b[39m`;
const hex = (h: string) => {
  const v = Number.parseInt(h.slice(1), 16);
  return (s: string) => `\x1b[38;2;${v >> 16};${(v >> 8) & 255};${v & 255}m${s}\x1b[39m`;
};

const yellow = fg256(185);
const green = fg256(40);
const cyan = hex('#50D3D5');
const magenta = hex('#FF22DD');
const blue = fg256(117);
const teal = fg256(43);
const pink = fg256(212);
const orange = fg256(214);
const gray = fg256(248);
const red = hex('#FF8787');

/** The CLI's rotation: run, router, web, postgres, heroku-postgres first, then in order of appearance. */
const ROTATION = [yellow, green, cyan, magenta, blue, teal, pink, yellow, magenta, orange];
const FIRST = ['run', 'router', 'web', 'postgres', 'heroku-postgres'];
const LINE = /^(.*?\[([\w-]+)([\d.]+)?]:)(.*)?$/;

function stateColor(state: string): string {
  if (state === 'up' || state === 'complete') return green(state);
  if (state === 'down' || state === 'crashed') return red(state);
  if (state === 'starting') return teal(state);
  return state;
}

function ms(value: string): string {
  const n = Number.parseInt(value, 10);
  if (!n) return value;
  return n < 100 ? green(value) : n < 500 ? teal(value) : n < 5000 ? orange(value) : red(value);
}

function status(value: string): string {
  const n = Number(value);
  return n < 200 ? value : n < 300 ? green(value) : n < 400 ? teal(value) : n < 500 ? orange(value) : n < 600 ? red(value) : value;
}

export class LogColorizer {
  private readonly assigned = new Map<string, (s: string) => string>();

  constructor() {
    for (const id of FIRST) this.assigned.set(id, ROTATION[this.assigned.size % ROTATION.length] ?? gray);
  }

  private colorFor(identifier: string): (s: string) => string {
    const id = identifier.split('.')[0] ?? identifier;
    let c = this.assigned.get(id);
    if (c === undefined) {
      c = ROTATION[this.assigned.size % ROTATION.length] ?? gray;
      this.assigned.set(id, c);
    }
    return c;
  }

  line(line: string): string {
    const m = LINE.exec(line);
    if (!m) return line;
    const [, header = '', identifier = ''] = m;
    let body = (m[4] ?? '').trim();
    if (identifier === 'router') body = this.router(body);
    else if (identifier === 'web' || identifier === 'run') body = this.process(body);
    return `${this.colorFor(identifier)(header)} ${body}`;
  }

  private router(body: string): string {
    return body
      .split(/\s+/)
      .map((token) => {
        const eq = token.indexOf('=');
        if (eq < 0) return gray(token);
        const key = token.slice(0, eq);
        const value = token.slice(eq + 1);
        const shown =
          key === 'status' ? status(value)
          : key === 'connect' || key === 'service' ? ms(value)
          : key === 'method' ? magenta(value)
          : key === 'path' ? green(value)
          : key === 'dyno' ? this.colorFor(value)(value)
          : key === 'at' && value === 'error' ? red(value)
          : gray(value);
        return gray(`${key}=`) + shown;
      })
      .join(' ');
  }

  private process(body: string): string {
    const change = /^(State changed from )(\w+)( to )(\w+)$/.exec(body);
    if (change) return `${change[1]}${stateColor(change[2] ?? '')}${change[3]}${stateColor(change[4] ?? '')}`;
    const exited = /^(Process exited with status )(\d+)$/.exec(body);
    if (exited) return `${exited[1]}${exited[2] === '0' ? green(exited[2]) : red(exited[2] ?? '')}`;
    if (body === 'Stopping all processes with SIGTERM') return red(body);
    if (body === 'Restarting') return yellow(body);
    return body;
  }
}
