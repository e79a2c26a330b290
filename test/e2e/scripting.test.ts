// Scripting on the demo fleet: `--app --dyno --mode` opens one session with the terminal
// handed over and exits with its status; `ls` prints the fleet; bad flags and config files
// are one line and status 2. After every exit: the terminal as found, no process left.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { execa } from 'execa';
import { assertTerminalRestored, demoDynosOf, dynottyPid, killScreens, startDynotty } from '../helpers/dynotty.js';
import { descendantsOf, isAlive, processesWithEnv, waitUntil } from '../helpers/processes.js';
import { cliPath, type PtyScreen } from '../helpers/pty-screen.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'dynotty-scripting-'));
/** An empty config folder: no config file of the machine's user applies. */
const XDG = path.join(root, 'xdg');
mkdirSync(XDG);
const ENV = { XDG_CONFIG_HOME: XDG };

afterEach(killScreens);
after(() => rmSync(root, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [cliPath, ...args], { reject: false, stdin: 'pipe', timeout: 20_000, env: { ...ENV, ...env } });

/** Refused before the terminal was taken: the exit line, then cooked mode and echo, as found. */
function assertCookedAfter(screen: PtyScreen, exitLine: string): void {
  const text = screen.raw;
  assert.ok(text.includes(exitLine), `exit status line ${exitLine} in:\n${screen.text()}`);
  const stty = text.slice(text.lastIndexOf(exitLine));
  assert.match(stty, /(^|\s)icanon(\s|$)/m, 'canonical mode');
  assert.match(stty, /(^|\s)echo(\s|$)/m, 'echo');
  assert.doesNotMatch(text, /\x1b\[\?1049h/, 'never on the alternate screen');
  assert.ok(text.lastIndexOf('\x1b[?25h') >= text.lastIndexOf('\x1b[?25l'), 'the cursor not left hidden');
}

/** No demo dyno and no child of dynotty left once it has exited. */
async function assertNothingLeft(pid: number, children: number[]): Promise<void> {
  await waitUntil(() => demoDynosOf(pid).length === 0, 3000, 'the demo dynos to be gone');
  for (const child of children) assert.equal(isAlive(child), false, `child ${child} of dynotty is gone`);
}

describe('scripting: one session without the picker (demo fleet)', () => {
  it('--mode run opens a one-off shell on the terminal and exits with its status', async () => {
    const screen = startDynotty(['--demo', '-a', 'acme-storefront', '--mode', 'run'], { env: ENV });
    const pid = await dynottyPid(screen);
    await screen.waitFor(/\$ $/m, 15_000);
    const text = await screen.send('echo "D=$DYNO C=${DATABASE_URL:+set}"\r', /D=run\.\d{4} C=set/);
    assert.doesNotMatch(text, /compare ways in/, 'no picker');
    const shells = descendantsOf(pid);
    assert.ok(shells.length > 0);
    screen.proc.write('exit 3\r');
    const { exitCode } = await screen.waitExit(15_000);
    assert.equal(exitCode, 0);
    assertTerminalRestored(screen, 'EXIT=3', { altScreenEntries: 0 });
    await assertNothingLeft(pid, shells);
  });

  it('--mode exec enters the live dyno (no config vars); a Fir app gets run:inside (config vars set)', async () => {
    const exec = startDynotty(['--demo', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { env: ENV });
    await exec.waitFor(/\$ $/m, 15_000);
    await exec.send('echo "D=$DYNO C=${DATABASE_URL:-none}"\r', /D=web\.1 C=none/);
    exec.proc.write('exit 0\r');
    await exec.waitExit(15_000);
    assertTerminalRestored(exec, 'EXIT=0', { altScreenEntries: 0 });

    const fir = startDynotty(['--demo', '-a', 'acme-ml-fir', '--dyno', 'web-848cd4f64d-pvpr2', '--mode', 'exec'], { env: ENV });
    await fir.waitFor(/\$ $/m, 15_000);
    await fir.send('echo "D=$DYNO C=${DATABASE_URL:+set}"\r', /D=web-848cd4f64d-pvpr2 C=set/);
    fir.proc.write('exit 0\r');
    await fir.waitExit(15_000);
    assertTerminalRestored(fir, 'EXIT=0', { altScreenEntries: 0 });
  });

  it('SIGTERM during a session ends the shell and the fleet: status 143, the terminal restored', async () => {
    const screen = startDynotty(['--demo', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { env: ENV });
    const pid = await dynottyPid(screen);
    await screen.waitFor(/\$ $/m, 15_000);
    // A grandchild that ignores nothing special: it must go with the session's process group.
    await screen.send('sleep 300 & echo "BG=$!"\r', /BG=\d+/);
    const children = descendantsOf(pid);
    assert.ok(children.length >= 2, `shell and its sleep: ${children.join(' ')}`);
    process.kill(pid, 'SIGTERM');
    await screen.waitExit(15_000);
    assertTerminalRestored(screen, 'EXIT=143', { altScreenEntries: 0 });
    await assertNothingLeft(pid, children);
  });

  it('refusals: one line, 2 for an unknown app or dyno, 1 for what the rules refuse; no process left', async () => {
    const cases: [string[], number, RegExp][] = [
      [['-a', 'no-such-app', '--mode', 'run'], 2, /^dynotty: no app no-such-app in this fleet \(demo fleet\): see dynotty ls$/m],
      [['-a', 'acme-storefront', '--dyno', 'web.9', '--mode', 'exec'], 2, /^dynotty: no dyno web\.9 on acme-storefront \(it has run\.4821, web\.1, web\.2, worker\.1\)$/m],
      [['-a', 'acme-vault', '--dyno', 'web.1', '--mode', 'exec'], 1, /^dynotty: heroku ps:exec is not available for acme-vault web\.1: Shield space: exec restricted$/m],
      [['-a', 'acme-storefront', '--dyno', 'run.4821', '--mode', 'exec'], 1, /one-off dyno: exec not supported$/m],
      [['-a', 'acme-billing', '--dyno', 'worker.1', '--mode', 'exec'], 1, /^dynotty: heroku ps:exec is not available for acme-billing worker\.1: dyno is crashed$/m],
      [['-a', 'acme-billing', '--dyno', 'web.1', '--mode', 'exec'], 1, /^dynotty: heroku ps:exec is not enabled on acme-billing: its first use restarts every dyno/m],
    ];
    for (const [args, status, message] of cases) {
      const screen = startDynotty(['--demo', ...args], { env: ENV, cols: 200 });
      const pid = await dynottyPid(screen);
      await screen.waitExit(15_000);
      assert.match(screen.text(), message, args.join(' '));
      assertCookedAfter(screen, `EXIT=${status}`);
      await assertNothingLeft(pid, []);
    }
  });

  it('a protected app asks for its name on the terminal: a wrong name refuses (1), the right one opens; run never asks', async () => {
    const wrong = startDynotty(['--demo', '--protect', 'acme-store*', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { env: ENV });
    await wrong.waitFor(/acme-storefront is protected \(it matches a --protect pattern\)[\s\S]*Type the app's name to go on: $/m, 15_000);
    wrong.proc.write('acme-store\r');
    await wrong.waitExit(10_000);
    assert.match(wrong.text(), /dynotty: not confirmed: "acme-store" is not acme-storefront/);
    assertCookedAfter(wrong, 'EXIT=1');

    const cancelled = startDynotty(['--demo', '--protect', 'acme-store*', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { env: ENV });
    await cancelled.waitFor(/Type the app's name to go on: $/m, 15_000);
    cancelled.proc.write('acme\x03');
    await cancelled.waitExit(10_000);
    assert.match(cancelled.text(), /^dynotty: not confirmed: acme-storefront is protected and its name was not typed$/m);
    assertCookedAfter(cancelled, 'EXIT=1');

    const right = startDynotty(['--demo', '--protect', 'acme-store*', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { env: ENV });
    await right.waitFor(/Type the app's name to go on: $/m, 15_000);
    right.proc.write('acme-storefront\r');
    await right.waitFor(/\$ $/m, 10_000);
    await right.send('echo "D=$DYNO"\r', /D=web\.1/);
    right.proc.write('exit\r');
    await right.waitExit(10_000);
    assertTerminalRestored(right, 'EXIT=0', { altScreenEntries: 0 });

    const runIt = startDynotty(['--demo', '--protect', 'acme-store*', '-a', 'acme-storefront', '--mode', 'run'], { env: ENV });
    await runIt.waitFor(/\$ $/m, 15_000);
    assert.doesNotMatch(runIt.text(), /protected/);
    runIt.proc.write('exit\r');
    await runIt.waitExit(10_000);
    assertTerminalRestored(runIt, 'EXIT=0', { altScreenEntries: 0 });
  });

  it('SIGTERM while the guard waits for the name: status 143, nothing started, nothing left', async () => {
    const screen = startDynotty(['--demo', '--protect', 'acme-*', '-a', 'acme-storefront', '--dyno', 'web.1', '--mode', 'exec'], { env: ENV });
    const pid = await dynottyPid(screen);
    await screen.waitFor(/Type the app's name to go on: $/m, 15_000);
    process.kill(pid, 'SIGTERM');
    await screen.waitExit(10_000);
    assert.doesNotMatch(screen.text(), /not confirmed/);
    assertCookedAfter(screen, 'EXIT=143');
    await assertNothingLeft(pid, []);
  });

  it('needs a terminal: without one, status 2 and one line', async () => {
    const r = await run(['--demo', '-a', 'acme-storefront', '--mode', 'run']);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'dynotty: needs an interactive terminal: stdin and stdout must both be a TTY (see dynotty --help)');
  });
});

describe('usage errors and the config file (status 2, one line, no stack trace)', () => {
  it('refuses bad flag combinations and bad names', async () => {
    const cases: [string[], string][] = [
      [['--dyno', 'web.1'], 'dynotty: --dyno needs --mode run or --mode exec'],
      [['--mode', 'run'], 'dynotty: --mode needs --app APP: dynotty --app APP --mode run'],
      [['-a', 'acme-web', '--mode', 'exec'], 'dynotty: --mode exec needs --dyno NAME: the live dyno to enter'],
      [['-a', 'acme-web', '--mode', 'bash'], 'dynotty: --mode must be run or exec, not "bash"'],
      [['-a', 'acme-web', '--dyno', '-rf', '--mode', 'exec'], 'dynotty: --dyno needs a value, and a value starting with - is not one'],
      [['-a', 'acme-web', '--dyno=-rf', '--mode', 'exec'], 'dynotty: "-rf" is not a dyno name (e.g. web.1, worker.2, run.4821, web-848cd4f64d-pvpr2)'],
      [['-a', 'acme-web', '--dyno', 'web 1', '--mode', 'exec'], 'dynotty: "web 1" is not a dyno name (e.g. web.1, worker.2, run.4821, web-848cd4f64d-pvpr2)'],
      [['-a', 'Bad_App', '--mode', 'run'], 'dynotty: "Bad_App" is not a Heroku app name (lowercase letters, digits and dashes, 3 to 30 characters, starting with a letter)'],
      [['--json'], 'dynotty: --json goes with ls: dynotty ls --json'],
      [['ls', '--dyno', 'web.1'], 'dynotty: ls takes no --mode or --dyno: it lists every dyno'],
      [['ls', '--colour'], "dynotty: unknown option '--colour'"],
    ];
    for (const [args, first] of cases) {
      const r = await run(args);
      assert.equal(r.exitCode, 2, args.join(' '));
      assert.equal(r.stderr.split('\n')[0], first, args.join(' '));
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    }
  });

  it('a bad config file names the file, the field and what was expected; a missing one is fine', async () => {
    const xdg = path.join(root, 'bad-xdg');
    mkdirSync(path.join(xdg, 'dynotty'), { recursive: true });
    writeFileSync(path.join(xdg, 'dynotty', 'config.json'), '{"refreshSeconds": "fast"}');
    const bad = await run(['ls', '--demo'], { XDG_CONFIG_HOME: xdg });
    assert.equal(bad.exitCode, 2);
    assert.equal(bad.stderr, `dynotty: config ${path.join(xdg, 'dynotty', 'config.json')}: "refreshSeconds" must be a number from 5 to 3600, not "fast"`);

    const home = path.join(root, 'home');
    mkdirSync(path.join(home, '.config', 'dynotty'), { recursive: true });
    writeFileSync(path.join(home, '.config', 'dynotty', 'config.json'), '{"protected": ["*-prod"]}');
    const unknown = await run(['ls', '--demo'], { XDG_CONFIG_HOME: '', HOME: home });
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /^dynotty: config ~\/\.config\/dynotty\/config\.json: unknown field "protected" \(known: source, protect, /);

    const missing = await run(['ls', '--demo', '--config', path.join(root, 'nope.json')]);
    assert.equal(missing.exitCode, 2);
    assert.equal(missing.stderr, `dynotty: config ${path.join(root, 'nope.json')}: cannot read it: no such file`);
  });

  it('the config file feeds ls: its protect list marks apps; its source applies unless a flag says otherwise', async () => {
    const file = path.join(root, 'good.json');
    writeFileSync(file, JSON.stringify({ source: 'demo', protect: ['acme-b*'] }));
    const r = await run(['ls', '--json', '--config', file, '--protect', 'sideproject-*']);
    assert.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { source: string; apps: { name: string; protected: boolean }[] };
    assert.equal(report.source, 'demo');
    assert.deepEqual(report.apps.filter((a) => a.protected).map((a) => a.name), ['acme-billing', 'sideproject-eco']);
  });
});

describe('the config file in the picker', () => {
  it("its protect list guards exec in the picker, like --protect", async () => {
    const xdg = path.join(root, 'picker-xdg');
    mkdirSync(path.join(xdg, 'dynotty'), { recursive: true });
    writeFileSync(path.join(xdg, 'dynotty', 'config.json'), JSON.stringify({ protect: ['acme-store*'] }));
    const screen = startDynotty(['--demo', '-a', 'acme-storefront'], { env: { XDG_CONFIG_HOME: xdg }, cols: 100, rows: 30 });
    await screen.waitFor(/compare ways in: acme-storefront/, 15_000);
    await screen.send('/', /Enter keep/);
    await screen.send('acme-storefront web.1', /compare ways in: acme-storefront · web\.1/);
    await screen.send('\r', /filter: /);
    await screen.send('x', /acme-storefront is protected/);
    await screen.send('\x1b', (t) => !t.includes('is protected'));
    screen.proc.write('q');
    await screen.waitExit(10_000);
    assertTerminalRestored(screen, 'EXIT=0');
  });
});

describe('dynotty ls (demo fleet)', () => {
  it('prints a plain table with no terminal: states, modes, reasons; exit 0; the fleet stopped', async () => {
    const child = run(['ls', '--demo']);
    const pid = child.pid ?? 0;
    const r = await child;
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /\x1b/, 'no colour on a pipe');
    assert.match(r.stdout, /^5 apps · source demo · demo@dynotty\.dev$/m);
    assert.match(r.stdout, /^acme-billing {2}\(cedar, team acme, eu, exec not enabled\)$/m);
    assert.match(r.stdout, /^ {2}worker\.1 +✖ crashed +Standard-1X +run ✔ · exec ✖ dyno is crashed$/m);
    assert.match(r.stdout, /^ {2}web-848cd4f64d-pvpr2 +● up +\S+ +run ✔ · exec ✖ Fir app: use run:inside · run:inside ✔$/m);
    assert.match(r.stdout, /^ {2}web\.1 +● up +Shield-M +run ⚠ Shield space: keystrokes are logged · exec ✖ Shield space: exec restricted$/m);
    assert.ok(pid > 0);
    assert.equal(processesWithEnv('DYNOTTY_PARENT_PID', String(pid)).length, 0, 'no demo dyno left');
  });

  it('--json: the documented shape; -a limits to one app', async () => {
    const child = run(['ls', '--demo', '--json', '-a', 'acme-ml-fir']);
    const pid = child.pid ?? 0;
    const r = await child;
    assert.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      version: number;
      source: string;
      account: string;
      apps: {
        name: string;
        generation: string;
        pipelineStage: null;
        protected: boolean;
        error: null;
        run: { command: string };
        dynos: { name: string; state: string; oneOff: boolean; modes: { mode: string; command: string; available: boolean; verdict: string; reason: string }[] }[];
      }[];
    };
    assert.deepEqual([report.version, report.source, report.account], [1, 'demo', 'demo@dynotty.dev']);
    assert.deepEqual(report.apps.map((a) => a.name), ['acme-ml-fir']);
    const [app] = report.apps;
    assert.ok(app);
    assert.deepEqual([app.generation, app.pipelineStage, app.protected, app.error, app.run.command], ['fir', null, false, null, 'heroku run bash -a acme-ml-fir']);
    const web = app.dynos.find((d) => d.name === 'web-848cd4f64d-pvpr2');
    assert.deepEqual(web?.modes.map((m) => [m.mode, m.available, m.verdict, m.command]), [
      ['run', true, 'ok', 'heroku run bash -a acme-ml-fir'],
      ['exec', false, 'unavailable', 'heroku ps:exec -a acme-ml-fir --dyno web-848cd4f64d-pvpr2'],
      ['run-inside', true, 'ok', 'heroku run:inside web-848cd4f64d-pvpr2 bash -a acme-ml-fir'],
    ]);
    assert.equal(processesWithEnv('DYNOTTY_PARENT_PID', String(pid)).length, 0, 'no demo dyno left');

    const none = await run(['ls', '--demo', '-a', 'nope-app']);
    assert.equal(none.exitCode, 2);
    assert.equal(none.stderr, 'dynotty: no app nope-app in this fleet (demo fleet): see dynotty ls');
  });

  it('Ctrl-C (SIGINT) while the demo fleet settles: status 130 and its processes stopped', async () => {
    const child = run(['ls', '--demo']);
    const pid = child.pid ?? 0;
    await waitUntil(() => processesWithEnv('DYNOTTY_PARENT_PID', String(pid)).length > 0, 10_000, 'the demo dynos to start');
    child.kill('SIGINT');
    const r = await child;
    assert.equal(r.exitCode, 130);
    assert.equal(r.stdout, '');
    await waitUntil(() => processesWithEnv('DYNOTTY_PARENT_PID', String(pid)).length === 0, 700, 'the demo dynos to be gone (sooner than their 1 s orphan check)');
  });

  it('on a terminal: colour unless NO_COLOR, lines cut to its width', async () => {
    const coloured = startDynotty(['ls', '--demo', '-a', 'acme-vault'], { env: ENV, cols: 60 });
    await coloured.waitExit(15_000);
    assert.match(coloured.raw, /\x1b\[33m⚠\x1b\[0m Shield space: keystrokes…/, 'a cut line keeps its colours');
    assert.match(coloured.raw, /\x1b\[1macme-vault\x1b\[0m/);
    assert.ok(coloured.lines().every((l) => l.length <= 60));
    assert.match(coloured.text(), /EXIT=0/);
    const plain = startDynotty(['ls', '--demo', '-a', 'acme-vault'], { env: { ...ENV, NO_COLOR: '1' }, cols: 60 });
    await plain.waitExit(15_000);
    assert.doesNotMatch(plain.raw.slice(0, plain.raw.indexOf('EXIT=')), /\x1b\[3\dm/);
    assert.match(plain.text(), /acme-vault/);
  });
});
