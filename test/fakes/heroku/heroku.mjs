// The fake `heroku` CLI (heroku 11.10.0 on oclif 4): the formats, streams and exit
// codes of the real one, read from its published package. See README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';

const env = process.env;

// ---------------------------------------------------------------- output and errors

/** Thrown to end the command with a status (oclif's ExitError and CLIError). */
class Exit extends Error {
  constructor(code, text = '') {
    super(text);
    this.code = code;
    this.text = text;
  }
}

// oclif wraps errors to the stderr width minus 6; a pipe counts as 80 columns.
function errWidth() {
  const fixed = Number.parseInt(env.OCLIF_COLUMNS ?? '', 10);
  if (fixed) return fixed;
  if (!process.stderr.isTTY) return 80;
  const cols = process.stderr.columns || 80;
  return cols < 40 ? 40 : cols;
}

function wrap(text, width) {
  const out = [];
  for (const line of text.split('\n')) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    let cur = '';
    for (let word of line.split(' ')) {
      if (cur !== '' && cur.length + 1 + word.length > width) {
        out.push(cur);
        cur = '';
      }
      if (word.length > width) {
        if (cur !== '') out.push(cur);
        while (word.length > width) {
          out.push(word.slice(0, width));
          word = word.slice(width);
        }
        cur = word;
      } else {
        cur = cur === '' ? word : `${cur} ${word}`;
      }
    }
    out.push(cur);
  }
  return out;
}

/** oclif's pretty-print: ` ›   Error: ...` for CLI errors, four spaces for plain JS errors. */
function render(name, message, bang) {
  return wrap(`${name}: ${message}`, errWidth() - 6)
    .map((line) => {
      if (bang) return line === '' ? ' ›' : ` ›   ${line}`;
      return line === '' ? '' : `    ${line}`;
    })
    .join('\n');
}

/** `this.error(msg)` / `ux.error(msg)`: exit 2 unless told otherwise. */
const cliError = (message, exit = 2) => new Exit(exit, render('Error', message, true));
/** A plain `throw new Error(msg)` in a command: no bang, exit 1. */
const plainError = (message, name = 'Error') => new Exit(1, render(name, message, false));
/** What @heroku-cli/command prints for an API error body `{id, message}`. */
const apiError = (id, message) => cliError(`${message}\n\nError ID: ${id}`);
const notFound = (what) => apiError('not_found', `Couldn't find that ${what}.`);

function warn(message) {
  process.stderr.write(`${render('Warning', message, true)}\n`);
}

const out = (text) => process.stdout.write(`${text}\n`);
const err = (text) => process.stderr.write(`${text}\n`);

// The app glyph and colours only reach a colour terminal; a pipe gets the bare name.
const colourful = () => Boolean(process.stderr.isTTY) && process.stderr.getColorDepth() >= 8;
const appLabel = (name) => (colourful() ? `⬢ ${name}` : name);

async function flushAndExit(code) {
  await Promise.all(
    [process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', () => resolve()))),
  );
  process.exit(code);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hangForever = () => new Promise(() => setInterval(() => undefined, 60_000));

// ---------------------------------------------------------------- commands and flags

const APP = { app: { char: 'a' }, remote: { char: 'r' } };
const bool = (char) => ({ bool: true, char });

const COMMANDS = {
  version: { flags: {}, args: 0 },
  apps: {
    flags: {
      all: bool('A'),
      json: bool('j'),
      personal: bool('p'),
      space: { char: 's' },
      team: { char: 't' },
      'internal-routing': bool('i'),
    },
    args: 0,
  },
  ps: { flags: { ...APP, json: bool(), extended: bool('x'), 'no-wrap': bool() }, args: Infinity },
  'auth:whoami': { flags: {}, args: 0 },
  'auth:token': { flags: {}, args: 0 },
  run: {
    flags: {
      ...APP,
      size: { char: 's' },
      type: {},
      'exit-code': bool('x'),
      env: { char: 'e' },
      'no-tty': bool(),
      'no-notify': bool(),
      'no-launcher': bool(),
      listen: bool(),
    },
    args: Infinity,
    loose: true,
  },
  'ps:exec': { flags: { ...APP, dyno: { char: 'd' }, ssh: bool(), status: bool() }, args: Infinity, loose: true },
  'run:inside': {
    flags: { ...APP, 'exit-code': bool('x'), 'no-launcher': bool(), listen: bool() },
    args: Infinity,
    loose: true,
  },
  logs: {
    flags: {
      ...APP,
      'dyno-name': { char: 'd', aliases: ['dyno'] },
      num: { char: 'n' },
      'process-type': { char: 'p' },
      source: { char: 's' },
      tail: bool('t'),
      'force-colors': bool(),
      'no-color': bool(),
    },
    args: 0,
  },
  'ps:restart': { flags: { ...APP, 'dyno-name': { char: 'd' }, 'process-type': { char: 'p' } }, args: 1 },
  'features:info': { flags: { ...APP, json: bool() }, args: 1 },
};

const ALIASES = {
  '--version': 'version',
  '-v': 'version',
  whoami: 'auth:whoami',
  list: 'apps',
  'apps:list': 'apps',
  'dyno:restart': 'ps:restart',
  'dyno:run': 'run',
};

const parseError = (message) => cliError(`${message}\nSee more help with --help`);

function parseArgv(spec, tokens) {
  const flags = {};
  const args = [];
  const byName = new Map();
  const byChar = new Map();
  for (const [name, def] of Object.entries(spec.flags)) {
    byName.set(name, [name, def]);
    for (const alias of def.aliases ?? []) byName.set(alias, [name, def]);
    if (def.char) byChar.set(def.char, [name, def]);
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '--') {
      args.push(...tokens.slice(i + 1));
      break;
    }
    let found;
    let inline;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      found = byName.get(eq === -1 ? token.slice(2) : token.slice(2, eq));
      if (eq !== -1) inline = token.slice(eq + 1);
    } else if (/^-[A-Za-z]/.test(token)) {
      found = byChar.get(token[1]);
      if (token.length > 2) inline = token.slice(2).replace(/^=/, '');
    }
    if (!found) {
      if (token.startsWith('-') && token !== '-' && !spec.loose) throw parseError(`Nonexistent flag: ${token}`);
      args.push(token);
      continue;
    }
    const [name, def] = found;
    if (def.bool) {
      flags[name] = true;
      continue;
    }
    const value = inline ?? tokens[++i];
    if (value === undefined) throw parseError(`Flag --${name} expects a value`);
    flags[name] = value;
  }
  if (args.length > spec.args) throw parseError(`Unexpected argument${args.length - spec.args > 1 ? 's' : ''}: ${args.slice(spec.args).join(', ')}`);
  return { flags, args };
}

const REMOTE_URLS = [
  /^https:\/\/git\.heroku\.com\/([^/]+)\.git$/,
  /^git@heroku\.com:([^/]+)\.git$/,
  /^ssh:\/\/git@heroku\.com\/([^/]+)\.git$/,
];

function gitRemotes(only) {
  const res = spawnSync('git', ['remote', '-v'], { encoding: 'utf8' });
  if (res.status !== 0 || typeof res.stdout !== 'string') return [];
  const seen = new Map();
  for (const line of res.stdout.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+\(fetch\)$/.exec(line);
    if (!m || (only && m[1] !== only)) continue;
    for (const re of REMOTE_URLS) {
      const app = re.exec(m[2])?.[1];
      if (app) seen.set(`${m[1]} ${app}`, { remote: m[1], app });
    }
  }
  return [...seen.values()];
}

/** `-a/--app`, else HEROKU_APP, else the one Heroku git remote (flags.app in @heroku-cli/command). */
function requireApp(flags) {
  if (flags.app) return flags.app;
  if (env.HEROKU_APP) return env.HEROKU_APP;
  const remotes = gitRemotes(flags.remote);
  if (remotes.length === 1) return remotes[0].app;
  if (flags.remote && remotes.length === 0) throw cliError(`remote ${flags.remote} not found in git remotes`);
  if (remotes.length > 1) {
    throw cliError(
      [
        'Multiple apps in git remotes',
        `  Usage: --remote ${remotes[1].remote}`,
        `     or: --app ${remotes[1].app}`,
        '  Your local git repository has more than 1 app referenced in git remotes.',
        "  Because of this, we can't determine which app you want to run this command against.",
        '  Specify the app you want with --app or --remote.',
        '  Heroku remotes in repo:',
        `  ${remotes.map((r) => `${r.app} (${r.remote})`).join('\n')}`,
        '',
        '  https://devcenter.heroku.com/articles/multiple-environments',
      ].join('\n'),
    );
  }
  throw parseError('The following error occurred:\n  Missing required flag app');
}

// ---------------------------------------------------------------- state

let cachedState;
function state() {
  if (cachedState) return cachedState;
  const file = env.FAKE_HEROKU_STATE;
  if (!file) throw new Exit(70, 'fake heroku: FAKE_HEROKU_STATE is not set');
  try {
    cachedState = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Exit(70, `fake heroku: cannot read FAKE_HEROKU_STATE ${file}: ${e.message}`);
  }
  cachedState.apps ??= [];
  cachedState.dynos ??= {};
  cachedState.execEnabled ??= {};
  cachedState.restarting ??= {};
  settleRestarts(cachedState);
  return cachedState;
}

/** How long a restarted dyno stays `starting` (FAKE_HEROKU_RESTART_MS, default 3 s). */
const restartMs = () => Number(env.FAKE_HEROKU_RESTART_MS ?? 3000);

/** Restarted dynos whose boot time has passed are `up` again. */
function settleRestarts(st) {
  const now = Date.now();
  for (const [app, byDyno] of Object.entries(st.restarting)) {
    for (const [name, upAt] of Object.entries(byDyno)) {
      if (upAt > now) continue;
      const d = (st.dynos[app] ?? []).find((x) => x.name === name);
      if (d) {
        d.state = 'up';
        d.updated_at = new Date(upAt).toISOString();
      }
      delete byDyno[name];
    }
    if (Object.keys(byDyno).length === 0) delete st.restarting[app];
  }
}

/** What the API does on DELETE /apps/APP/dynos[/NAME]: the dyno starts again (a one-off just ends). */
function restartDynos(app, names) {
  const st = state();
  const list = st.dynos[app.name] ?? [];
  for (const d of [...list]) {
    if (!names.includes(d.name)) continue;
    if (d.type === 'run') {
      list.splice(list.indexOf(d), 1);
      continue;
    }
    d.state = 'starting';
    d.updated_at = new Date().toISOString();
    (st.restarting[app.name] ??= {})[d.name] = Date.now() + restartMs();
  }
  saveState();
}

function saveState() {
  writeFileSync(env.FAKE_HEROKU_STATE, `${JSON.stringify(state(), null, 2)}\n`);
}

const loggedOut = () => env.FAKE_HEROKU_LOGGED_OUT === '1';

function findApp(name) {
  const app = state().apps.find((a) => a.name === name || a.id === name);
  if (!app) throw notFound('app');
  return app;
}

const isShield = (app) => Boolean(app.space && app.space.shield);
const generationOf = (app) => (typeof app.generation === 'string' ? app.generation : (app.generation?.name ?? 'cedar'));

/** Dynos as `heroku ps` shows them: `Private-` sizes become `Shield-` in shield spaces. */
function dynosOf(app) {
  const dynos = structuredClone(state().dynos[app.name] ?? []);
  if (isShield(app)) for (const d of dynos) if (typeof d.size === 'string') d.size = d.size.replace('Private-', 'Shield-');
  return dynos.sort((a, b) => (a.name > b.name ? 1 : a.name < b.name ? -1 : 0));
}

// ---------------------------------------------------------------- authentication

/**
 * A 401 from the API. With HEROKU_API_KEY the CLI gives up; without it, it starts an
 * interactive login that waits for a key (the real CLI only waits on a TTY: on a pipe
 * or /dev/null its setRawMode call fails at once; this fake also waits on an open pipe).
 */
async function unauthorized() {
  if (env.HEROKU_API_KEY) {
    throw plainError(
      'The token provided to HEROKU_API_KEY is invalid. Please double-check that you have the correct token, or run `heroku login` without HEROKU_API_KEY set.',
    );
  }
  err('heroku: Press any key to open up the browser to login or q to exit');
  const key = await readKey();
  if (key === null) throw plainError('process.stdin.setRawMode is not a function', 'TypeError');
  if (key === '\u0003') throw cliError('Login cancelled by user', 130);
  if (key.toLowerCase() === 'q') throw cliError('Login cancelled by user');
  out('');
  err('Opening browser to https://cli-auth.heroku.com/auth/cli/browser/00000000-fake?requestor=fake');
  err('heroku: Waiting for login...');
  return hangForever();
}

/** One key (raw mode on a TTY), the first byte on a pipe, or null at end of input. */
function readKey() {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    if (stdin.isTTY) stdin.setRawMode(true);
    const done = (key) => {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      resolve(key);
    };
    stdin.once('data', (data) => done(data.toString().slice(0, 1)));
    stdin.once('end', () => done(null));
    stdin.once('error', () => done(null));
    stdin.resume();
  });
}

/** One line of stdin, or null at end of input (inquirer's prompt). */
function readLine() {
  return new Promise((resolve) => {
    let buf = '';
    const stdin = process.stdin;
    const finish = (line) => {
      stdin.removeAllListeners('data');
      stdin.pause();
      resolve(line);
    };
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.search(/[\r\n]/);
      if (nl !== -1) finish(buf.slice(0, nl));
    });
    stdin.once('end', () => finish(buf === '' ? null : buf));
    stdin.once('error', () => finish(null));
    stdin.resume();
  });
}

async function requireAuth() {
  if (loggedOut()) await unauthorized();
}

// ---------------------------------------------------------------- handlers

function versionCmd() {
  out(`heroku/11.10.0 ${platform()}-${arch()} node-${process.version}`);
}

function whoamiCmd() {
  if (env.HEROKU_API_KEY) warn('HEROKU_API_KEY is set');
  if (loggedOut()) throw cliError('not logged in', 100);
  out(state().account?.email ?? 'fake@example.com');
}

function tokenCmd() {
  const token = env.HEROKU_API_KEY || (loggedOut() ? null : state().token);
  if (!token) throw cliError('not logged in');
  if (loggedOut()) warn('HTTP Error 401 for GET https://api.heroku.com/oauth/authorizations\nInvalid credentials provided.');
  else if (!env.HEROKU_API_KEY) {
    const expires = new Date(Date.now() + 300 * 86_400_000);
    const date = `${String(expires.getMonth() + 1).padStart(2, '0')}/${String(expires.getDate()).padStart(2, '0')}/${expires.getFullYear()}`;
    warn(`token will expire ${date}\nTo generate a token that expires in one year, use heroku authorizations:create.`);
  }
  out(token);
}

async function appsCmd({ flags }) {
  await requireAuth();
  const st = state();
  const team = flags.personal ? null : (flags.team ?? env.HEROKU_TEAM ?? env.HEROKU_ORGANIZATION ?? null);
  let apps = [...st.apps];
  if (team) {
    const known = new Set([...(st.teams ?? []), ...apps.map((a) => a.team?.name).filter(Boolean)]);
    if (!known.has(team)) throw notFound('team');
    apps = apps.filter((a) => a.team?.name === team);
  }
  apps.sort((a, b) => (a.name > b.name ? 1 : a.name < b.name ? -1 : 0));
  if (flags.space) apps = apps.filter((a) => a.space && (a.space.name === flags.space || a.space.id === flags.space));
  if (flags['internal-routing']) apps = apps.filter((a) => a.internal_routing);
  if (flags.json) return out(JSON.stringify(apps, null, 2));
  if (apps.length === 0) return out(team ? `There are no apps in team ${team}.` : 'You have no apps.');
  out(team ? `=== Apps in team ${team}` : `=== ${st.account?.email ?? 'fake@example.com'} Apps`);
  out('');
  for (const a of apps) out(a.region && a.region.name !== 'us' ? `${a.name} (${a.region.name})` : a.name);
}

function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

async function psCmd({ flags, args }) {
  const name = requireApp(flags);
  await requireAuth();
  const app = findApp(name);
  let dynos = dynosOf(app);
  if (args.length > 0) {
    dynos = dynos.filter((d) => args.includes(d.type));
    for (const t of args) if (!dynos.some((d) => d.type === t)) throw plainError(`No ${t} dynos on ${appLabel(app.name)}`);
  }
  if (flags.json) return out(JSON.stringify(dynos, null, 2));
  if (dynos.length === 0) return out(`No dynos on ${appLabel(app.name)}`);
  const oneOffs = dynos.filter((d) => d.type === 'run');
  if (oneOffs.length > 0) {
    out(`=== run: one-off processes (${oneOffs.length})`);
    out('');
    for (const d of oneOffs) out(`${d.name} (${d.size}): ${d.state} ${clock(d.updated_at)}: ${d.command}`);
    out('');
  }
  const groups = new Map();
  for (const d of dynos.filter((x) => x.type !== 'run')) {
    const key = `${d.type}\u0000${d.size}\u0000${d.command}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  for (const list of groups.values()) {
    const d0 = list[0];
    out(`=== ${d0.type} (${d0.size}): ${d0.command} (${list.length})`);
    out('');
    for (const d of list) out(`${d.name}: ${d.state} ${clock(d.updated_at)}`);
    out('');
  }
}

/** `heroku run`'s progress lines (ux.action on a pipe prints one line per status). */
function progress(action, status) {
  err(`${action}... ${status}`);
}

/**
 * The session: a local shell standing in for the dyno's, in this terminal. The CLI
 * ignores Ctrl-C while attached (it goes to the dyno), and passes a hang-up or TERM on.
 */
function shell({ dynoName, appName, mode, command, extraEnv }) {
  const childEnv = {
    ...env,
    ...extraEnv,
    DYNO: dynoName,
    PS1: '~ $ ',
    FAKE_HEROKU_SESSION: '1',
    FAKE_HEROKU_APP: appName,
    FAKE_HEROKU_MODE: mode,
  };
  const interactive = command === 'bash' || command === 'launcher bash' || command === '';
  // Without a terminal the shell reads commands from stdin, as `heroku run --no-tty` would.
  const argv = !interactive ? ['-c', command] : process.stdin.isTTY ? ['-i'] : ['-s'];
  const child = spawn('/bin/sh', argv, { stdio: 'inherit', env: childEnv });
  process.on('SIGINT', () => undefined);
  for (const sig of ['SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      child.kill(sig);
      setTimeout(() => process.exit(128 + (sig === 'SIGTERM' ? 15 : 1)), 2000).unref();
    });
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

function runCommandText(args) {
  // buildCommand in the CLI: one argument as is, several joined with quotes where needed.
  if (args.length === 1) return args[0];
  return args.map((a) => (a.includes(' ') || a.includes('"') ? `"${a.replaceAll('"', '\\"')}"` : a)).join(' ');
}

function envFlag(flag) {
  const vars = {};
  if (!flag) return vars;
  for (const v of flag.split(';')) {
    const m = /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/.exec(v);
    if (m) vars[m[1]] = m[2] ?? '';
    else warn(`env flag ${v} appears invalid. Avoid using ';' in values.`);
  }
  return vars;
}

async function runCmd({ flags, args }) {
  const name = requireApp(flags);
  const command = runCommandText(args);
  if (args.length === 0) throw plainError('Usage: heroku run COMMAND\n\nExample: heroku run bash');
  await requireAuth();
  const app = findApp(name);
  const dynoName = `run.${1000 + Math.floor(Math.random() * 9000)}`;
  const action = `Running ${command} on ${appLabel(app.name)}`;
  for (const status of ['starting', 'connecting', 'up']) progress(action, `${status}, ${dynoName}`);
  const code = await shell({
    dynoName,
    appName: app.name,
    mode: 'run',
    command,
    extraEnv: { ...(state().configVars?.[app.name] ?? {}), ...envFlag(flags.env) },
  });
  return flags['exit-code'] ? code : 0;
}

async function execCmd({ flags, args }) {
  const name = requireApp(flags);
  await requireAuth();
  const app = findApp(name);
  if (generationOf(app) === 'fir') {
    throw cliError(
      'This command is unavailable for this app. Use heroku run:inside instead. See https://devcenter.heroku.com/articles/run-tasks-in-an-existing-dyno.',
    );
  }
  if (isShield(app)) throw cliError('This feature is restricted for Shield Private Spaces');
  const dynoName = flags.dyno || 'web.1';
  if (state().execEnabled[app.name] !== true) {
    out('Running this command for the first time requires a dyno restart.');
    process.stdout.write('? Do you want to continue? [y/n] ');
    const answer = await readLine();
    if (answer === null) throw plainError('User force closed the prompt with 0 null', 'ExitPromptError');
    if (answer.trim().toLowerCase() !== 'y') throw new Exit(0);
    progress('Initializing feature', 'done');
    state().execEnabled[app.name] = true;
    saveState();
    restartDynos(app, dynosOf(app).map((d) => d.name));
    progress('Restarting dynos', 'done');
    // The CLI polls GET /apps/APP/dynos/NAME every second until the dyno is up.
    for (;;) {
      await sleep(Math.min(1000, restartMs()));
      cachedState = undefined;
      const target = dynosOf(findApp(app.name)).find((d) => d.name === dynoName);
      if (!target) throw notFound('dyno');
      if (target.state === 'crashed') {
        progress(`Waiting for ${dynoName} to start`, '!');
        throw plainError('The dyno crashed');
      }
      if (target.state === 'up') break;
    }
    progress(`Waiting for ${dynoName} to start`, 'done');
  }
  const dyno = dynosOf(app).find((d) => d.name === dynoName);
  // The exec service only knows running formation dynos (the buildpack is not in one-offs).
  if (!dyno || dyno.state !== 'up' || dyno.type === 'run') {
    progress('Establishing credentials', 'error');
    throw cliError("Could not connect to dyno!\nCheck if the dyno is running with `heroku ps'");
  }
  if (flags.status) {
    out(`=== Heroku Exec ${appLabel(app.name)}`);
    out('');
    out(' Dyno  Dyno Status Proxy Status');
    out(` ${dyno.name} ${dyno.state} running`);
    return 0;
  }
  progress('Establishing credentials', 'done');
  progress(`Connecting to ${dyno.name} on ${appLabel(app.name)}`, 'up');
  // ps:exec's SSH shell lacks the app's config vars, unlike `heroku run`.
  await shell({ dynoName: dyno.name, appName: app.name, mode: 'exec', command: args.join(' '), extraEnv: {} });
  return 0;
}

async function runInsideCmd({ flags, args }) {
  if (args.length < 2) {
    const missing = args.length === 0 ? ['dyno_name', 'command'] : ['command'];
    const lines = {
      dyno_name: 'dyno_name  name of the dyno to run command inside',
      command: "command    command to run (Heroku automatically prepends 'launcher' to the command)",
    };
    throw parseError(
      `Missing ${missing.length} required arg${missing.length === 1 ? '' : 's'}:\n${missing.map((m) => lines[m]).join('\n')}`,
    );
  }
  const name = requireApp(flags);
  await requireAuth();
  const app = findApp(name);
  const [dynoName, ...rest] = args;
  const command = runCommandText(rest);
  // Not taken from the CLI: the API's refusal for a non-Fir app is undocumented.
  if (generationOf(app) !== 'fir') throw apiError('invalid_params', 'run:inside is only available for Fir-generation apps.');
  const dyno = dynosOf(app).find((d) => d.name === dynoName);
  if (!dyno) throw notFound('dyno');
  const action = `Running ${command} on ${appLabel(app.name)}`;
  if (dyno.state !== 'up' && dyno.state !== 'starting') {
    // The CLI polls the dyno until it is up, printing its state once: it never gives up.
    progress(action, `${dyno.state}, ${dyno.name}`);
    return hangForever();
  }
  progress(action, `up, ${dyno.name}`);
  const code = await shell({
    dynoName: dyno.name,
    appName: app.name,
    mode: 'run-inside',
    command,
    extraEnv: { ...(state().configVars?.[app.name] ?? {}) },
  });
  return flags['exit-code'] ? code : 0;
}

const LOG_MESSAGES = [
  'Completed 200 OK in 41ms',
  'Processing job 4821 (queue: default)',
  'heartbeat ok',
];

// `heroku logs` colours its lines (lib/run/colorize.js) when stdout is a colour terminal
// or FORCE_COLOR is set (NO_COLOR, HEROKU_LOGS_COLOR=0, HEROKU_COLOR=0 turn it off).
const logColour = () =>
  env.HEROKU_LOGS_COLOR !== '0' && env.HEROKU_COLOR !== '0' &&
  (env.FORCE_COLOR !== undefined ? env.FORCE_COLOR !== '0' : !env.NO_COLOR && Boolean(process.stdout.isTTY));
const fg = (n) => (s) => `\x1b[38;5;${n}m${s}\x1b[39m`;
const hexFg = (h) => (s) => `\x1b[38;2;${parseInt(h.slice(1, 3), 16)};${parseInt(h.slice(3, 5), 16)};${parseInt(h.slice(5, 7), 16)}m${s}\x1b[39m`;
const ROTATION = [fg(185), fg(40), hexFg('#50D3D5'), hexFg('#FF22DD'), fg(117), fg(43), fg(212), fg(185), hexFg('#FF22DD'), fg(214)];
const assigned = new Map(['run', 'router', 'web', 'postgres', 'heroku-postgres'].map((id, i) => [id, ROTATION[i]]));
function colourFor(identifier) {
  const id = identifier.split('.')[0];
  if (!assigned.has(id)) assigned.set(id, ROTATION[assigned.size % ROTATION.length]);
  return assigned.get(id);
}
const gray = fg(248);
const httpStatus = (v) => (Number(v) < 300 ? fg(40)(v) : Number(v) < 400 ? fg(43)(v) : Number(v) < 500 ? fg(214)(v) : hexFg('#FF8787')(v));
function colourize(line) {
  const m = /^(.*?\[([\w-]+)([\d.]+)?]:)(.*)?$/.exec(line);
  if (!m) return line;
  let body = (m[4] ?? '').trim();
  if (m[2] === 'router') {
    body = body
      .split(/\s+/)
      .map((t) => {
        const eq = t.indexOf('=');
        if (eq < 0) return gray(t);
        const [k, v] = [t.slice(0, eq), t.slice(eq + 1)];
        return gray(`${k}=`) + (k === 'status' ? httpStatus(v) : k === 'dyno' ? colourFor(v)(v) : k === 'path' ? fg(40)(v) : gray(v));
      })
      .join(' ');
  }
  return `${colourFor(m[2])(m[1])} ${body}`;
}

function logStamp() {
  return new Date().toISOString().replace('Z', '000+00:00');
}

async function logsCmd({ flags }) {
  const name = requireApp(flags);
  if (flags['process-type'] && flags['dyno-name']) throw parseError('--dyno-name=' + flags['dyno-name'] + ' cannot also be provided when using --process-type');
  await requireAuth();
  const app = findApp(name);
  let dynos = dynosOf(app);
  if (flags['dyno-name']) dynos = dynos.filter((d) => d.name === flags['dyno-name']);
  if (flags['process-type']) dynos = dynos.filter((d) => d.type === flags['process-type']);
  const whole = !flags['dyno-name'] && !flags['process-type'];
  const print = (line) => out(logColour() ? colourize(line) : line);
  // Lines the test planted (as the app printed them: untrusted), whole app or this dyno.
  for (const planted of state().logLines?.[app.name] ?? []) {
    const source = /^(app|heroku)\[([^\]]+)]/.exec(planted)?.[2];
    if (whole || dynos.some((d) => d.name === source)) print(`${logStamp()} ${planted}`);
  }
  let n = 0;
  const next = () => {
    const d = dynos[n % Math.max(dynos.length, 1)];
    n++;
    if (!d) return;
    const st = state();
    if (st.restarting?.[app.name]?.[d.name]) return print(`${logStamp()} heroku[${d.name}]: State changed from up to starting`);
    if (whole && d.type === 'web') {
      print(`${logStamp()} heroku[router]: at=info method=GET path="/" host=${app.name}.herokuapp.com request_id=${randomUUID()} fwd="10.1.2.3" dyno=${d.name} connect=0ms service=12ms status=200 bytes=1532 protocol=https`);
    }
    print(`${logStamp()} app[${d.name}]: ${LOG_MESSAGES[n % LOG_MESSAGES.length]}`);
  };
  if (dynos.length === 0 && !flags.tail) return;
  const first = flags.tail ? 3 : Math.min(Number.parseInt(flags.num ?? '5', 10) || 5, 5);
  for (let i = 0; i < first; i++) next();
  if (!flags.tail) return;
  for (;;) {
    await sleep(Number(env.FAKE_HEROKU_LOG_EVERY_MS ?? 500));
    cachedState = undefined;
    next();
  }
}

async function restartCmd({ flags, args }) {
  const name = requireApp(flags);
  const dyno = flags['dyno-name'] ?? args[0];
  const type = flags['process-type'];
  if (type && dyno) throw parseError('--process-type=' + type + ' cannot also be provided when using --dyno-name');
  if (args[0] && !flags['dyno-name']) warn('DYNO is a deprecated argument. Use --dyno-name or --process-type instead.');
  await requireAuth();
  const app = findApp(name);
  let msg = 'Restarting';
  let names;
  if (type) {
    msg += ` all ${type} dynos`;
    names = dynosOf(app).filter((d) => d.type === type).map((d) => d.name);
    if (names.length === 0) throw apiError('not_found', "Couldn't find that formation.");
  } else if (dyno) {
    msg += ` dyno ${dyno}`;
    if (!dynosOf(app).some((d) => d.name === dyno)) {
      err(`${msg} on ${appLabel(app.name)}... !`);
      throw notFound('dyno');
    }
    names = [dyno];
  } else {
    msg += ' all dynos';
    names = dynosOf(app).map((d) => d.name);
  }
  restartDynos(app, names);
  progress(`${msg} on ${appLabel(app.name)}`, 'done');
}

/** `features:info FEATURE -a APP [--json]`: GET /apps/APP/features/FEATURE (only runtime-heroku-exec is known here). */
async function featureInfoCmd({ flags, args }) {
  const name = requireApp(flags);
  if (args.length === 0) throw parseError('Missing 1 required arg:\nfeature  unique identifier or name of the app feature');
  await requireAuth();
  const app = findApp(name);
  if (args[0] !== 'runtime-heroku-exec') throw notFound('feature');
  const enabled = state().execEnabled[app.name] === true;
  const feature = {
    description: 'Enables Heroku Exec for the app.',
    doc_url: 'https://devcenter.heroku.com/articles/exec',
    enabled,
    id: '7a1c8e2f-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    name: 'runtime-heroku-exec',
    state: 'general',
  };
  if (flags.json) return out(JSON.stringify(feature, null, 2));
  out('=== runtime-heroku-exec');
  out('');
  out(`Description: ${feature.description}`);
  out(`Docs:        ${feature.doc_url}`);
  out(`Enabled:     ${enabled}`);
}

const HANDLERS = {
  version: versionCmd,
  apps: appsCmd,
  ps: psCmd,
  'auth:whoami': whoamiCmd,
  'auth:token': tokenCmd,
  run: runCmd,
  'ps:exec': execCmd,
  'run:inside': runInsideCmd,
  logs: logsCmd,
  'ps:restart': restartCmd,
  'features:info': featureInfoCmd,
};

// ---------------------------------------------------------------- switches

function quickApp(tokens) {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '-a' || t === '--app') return tokens[i + 1];
    if (t.startsWith('--app=')) return t.slice(6);
    if (t.startsWith('-a') && t.length > 2) return t.slice(2);
  }
  return env.HEROKU_APP;
}

/** `cmd` or `cmd@app`, comma-separated: does one name this invocation? */
function selects(list, id, app) {
  if (!list) return false;
  return list.split(',').some((sel) => {
    const [cmd, onlyApp] = sel.trim().split('@');
    return (cmd === id || cmd === '*') && (onlyApp === undefined || onlyApp === app);
  });
}

function failSwitch(id, app) {
  const m = /^(.+?):(\d+):(.*)$/s.exec(env.FAKE_HEROKU_FAIL ?? '');
  if (!m || !selects(m[1], id, app)) return null;
  return cliError(m[3], Number(m[2]));
}

const GARBAGE = {
  apps: '[\n  {\n    "acm": null,\n    "archived_at": null,\n    "buildpack_provided_description": "Node.js",\n    "build_stack": {\n      "id": "69bee368',
  ps: '<!DOCTYPE html>\n<html><head><title>Heroku | Application Error</title></head>',
};

// ---------------------------------------------------------------- main

async function main() {
  const argv = process.argv.slice(2);
  if (env.FAKE_HEROKU_LOG) {
    const entry = { argv, apiKeySet: Boolean(env.HEROKU_API_KEY), pid: process.pid, at: Date.now() };
    appendFileSync(env.FAKE_HEROKU_LOG, `${JSON.stringify(entry)}\n`);
  }
  const first = argv[0];
  const id = first === undefined ? 'help' : (ALIASES[first] ?? first);
  const rest = argv.slice(1);
  const app = quickApp(rest);

  if (env.FAKE_HEROKU_UPDATE_NOTICE === '1') {
    warn('heroku update available from 11.0.0 to 11.10.0.\nupdate with: "npm update -g heroku"');
  }
  const latency = Number(env.FAKE_HEROKU_LATENCY_MS ?? 0);
  if (latency > 0) await sleep(latency);

  if (selects(env.FAKE_HEROKU_HANG, id, app)) return hangForever();
  const failure = failSwitch(id, app);
  if (failure) throw failure;
  if (selects(env.FAKE_HEROKU_GARBAGE, id, app)) {
    process.stdout.write(GARBAGE[id] ?? 'Error: something unexpected happened\n');
    return 0;
  }
  if (selects(env.FAKE_HEROKU_EMPTY, id, app)) return 0;

  if (id === 'help' || id === '--help') {
    out('CLI to interact with Heroku\n\nVERSION\n  heroku/11.10.0\n\nUSAGE\n  $ heroku [COMMAND]');
    return 0;
  }
  const spec = COMMANDS[id];
  if (!spec) {
    warn(`${id} is not a heroku command.`);
    const topic = ['apps', 'ps', 'auth', 'run', 'logs'].includes(id.split(':')[0]) ? ` ${id.split(':')[0]}` : '';
    throw cliError(`Run heroku help${topic} for a list of available commands.`, 127);
  }
  const code = await HANDLERS[id](parseArgv(spec, rest));
  return typeof code === 'number' ? code : 0;
}

main().then(
  (code) => flushAndExit(code ?? 0),
  (e) => {
    if (e instanceof Exit) {
      if (e.text) err(e.text);
      return flushAndExit(e.code);
    }
    err(String(e?.stack ?? e));
    return flushAndExit(1);
  },
);
