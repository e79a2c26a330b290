// The real, published `heroku` CLI for conformance tests: installed once with npm into a
// cache folder outside node_modules (it is not a dependency of dynotty), and an
// environment that points it at the fake API and keeps it off the network and out of
// the user's own config, netrc, keychain and git config.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_TOKEN } from '../fakes/fake-api.js';

/** Pinned exactly: the version /work/shared/heroku-reference.md was read from. */
export const HEROKU_CLI_VERSION = '11.10.0';
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** The repository root: the nearest folder up from this file whose package.json is dynotty's. */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'dynotty') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no dynotty package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** `$DYNOTTY_HEROKU_CACHE`, else `<repo>/.cache/heroku-cli-11` (git-ignored). */
export function herokuCliCacheDir(): string {
  const fromEnv = process.env.DYNOTTY_HEROKU_CACHE?.trim();
  return path.resolve(fromEnv ? fromEnv : path.join(findRepoRoot(), '.cache', 'heroku-cli-11'));
}

function installedVersion(cache: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(path.join(cache, 'node_modules', 'heroku', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

function binIn(cache: string): string | null {
  for (const candidate of [path.join(cache, 'node_modules', '.bin', 'heroku'), path.join(cache, 'node_modules', 'heroku', 'bin', 'run.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** How long the last install took in this process, or null when the cache was reused. */
export let lastInstallMs: number | null = null;

/**
 * The path of the real `heroku` executable, installing heroku@HEROKU_CLI_VERSION first when
 * the cache does not hold exactly that version. The install goes to a sibling folder and is
 * renamed into place, so an interrupted install never passes for a finished one. Throws
 * with npm's own words when the install fails (no registry, no network): the caller's
 * test fails, it is never skipped.
 */
export async function ensureRealHerokuCli(): Promise<string> {
  const cache = herokuCliCacheDir();
  const existing = binIn(cache);
  if (installedVersion(cache) === HEROKU_CLI_VERSION && existing !== null) return existing;

  const spec = `heroku@${HEROKU_CLI_VERSION}`;
  mkdirSync(path.dirname(cache), { recursive: true });
  const staging = `${cache}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  process.stderr.write(`conformance: installing ${spec} into ${cache} (once; about a minute) ...`);
  // --ignore-scripts: the CLI needs none of its dependencies' install scripts (a yarn
  // preinstall, a protobufjs postinstall, node-gyp for ssh2's optional cpu-features);
  // skipping them keeps the install fast and free of compilers.
  const npm = await execa(
    'npm',
    ['install', '--prefix', staging, '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts', '--no-update-notifier', '--loglevel=error', spec],
    { cwd: staging, stdin: 'ignore', reject: false, timeout: INSTALL_TIMEOUT_MS, encoding: 'utf8', env: { npm_config_update_notifier: 'false' } },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (npm.failed) {
    process.stderr.write(` failed after ${seconds} s\n`);
    rmSync(staging, { recursive: true, force: true });
    const why = npm.timedOut ? `no result within ${INSTALL_TIMEOUT_MS / 1000} s` : `exit status ${String(npm.exitCode)}`;
    const output = `${npm.stderr}\n${npm.stdout}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^npm error\s+at /.test(line))
      .slice(0, 12)
      .join('\n');
    throw new Error(
      `Could not install the real Heroku CLI (${spec}) with npm (${why}). The conformance tests need the npm registry ` +
        `once; afterwards ${cache} is reused (set DYNOTTY_HEROKU_CACHE to put it elsewhere).\n${output}`,
    );
  }
  const got = installedVersion(staging);
  if (got !== HEROKU_CLI_VERSION || binIn(staging) === null) {
    process.stderr.write(` failed after ${seconds} s\n`);
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm installed heroku ${got ?? '(nothing)'} into ${staging}, not ${HEROKU_CLI_VERSION} with its bin/run.js`);
  }
  rmSync(cache, { recursive: true, force: true });
  renameSync(staging, cache);
  lastInstallMs = Date.now() - started;
  process.stderr.write(` done in ${seconds} s\n`);
  const bin = binIn(cache);
  if (bin === null) throw new Error(`heroku vanished from ${cache} after the install`);
  return bin;
}

// ---- The environment the real CLI runs in ----

let isolatedRoot: string | null = null;

/** One temporary home per test process, removed when the process exits. */
function isolatedHome(): string {
  if (isolatedRoot !== null) return isolatedRoot;
  const root = mkdtempSync(path.join(os.tmpdir(), 'dynotty-heroku-home-'));
  for (const dir of ['home', 'config', 'cache', 'data', 'state']) mkdirSync(path.join(root, dir), { recursive: true });
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  isolatedRoot = root;
  return root;
}

/** Variables of the user's environment that would change what the CLI does or where it writes. */
function inherited(name: string): boolean {
  if (/^HEROKU_/.test(name)) return false;
  if (/^XDG_/.test(name)) return false;
  if (/^GIT_/.test(name)) return false;
  if (/^(npm_|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|DEBUG$|SSH_AUTH_SOCK$)/i.test(name)) return false;
  if (/^(https?_proxy|all_proxy|no_proxy)$/i.test(name)) return false;
  return true;
}

/**
 * The environment for the real CLI: the fake API at `apiUrl` with FAKE_TOKEN, an isolated
 * HOME and XDG folders (the user's config, netrc, credential store and git config are never
 * read or written), and every call the CLI would make to the internet switched off or
 * pointed at the fake. Each setting is one the installed CLI reads (see the report in
 * test/conformance/real-cli.test.ts). `extra` goes last and wins.
 */
export function realHerokuEnv(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const root = isolatedHome();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && inherited(key)) env[key] = value;
  Object.assign(env, {
    // @heroku-cli/command vars.js: a value starting with http is the whole API base URL.
    HEROKU_HOST: apiUrl,
    // api-client.js getAuthEntry(): wins over netrc and the OS keychain.
    HEROKU_API_KEY: FAKE_TOKEN,
    // vars.js particleboardUrl: GET /account also asks particleboard.heroku.com (for
    // delinquency notices), in parallel, with the token. The fake answers it instead.
    HEROKU_PARTICLEBOARD_URL: apiUrl,
    // heroku dist/lib/analytics-telemetry/telemetry-utils.js isTelemetryEnabled(): no
    // Herokulytics, OpenTelemetry or Sentry workers (also checked by @heroku-cli/command's
    // credential Sentry). The URL is belt and braces: a leak would show up in the fake's log.
    DISABLE_TELEMETRY: 'true',
    HEROKU_ANALYTICS_URL: `${apiUrl}/dynotty-conformance-analytics-leak`,
    HEROKU_SKIP_ANALYTICS: '1',
    // @oclif/plugin-warn-if-update-available: no registry lookup for a newer version.
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    // @oclif/plugin-update init hook: no detached `heroku update --autoupdate`.
    HEROKU_DISABLE_AUTOUPDATE: 'true',
    // credential-storage-selector.js: netrc, never the OS keychain (HEROKU_API_KEY wins anyway).
    HEROKU_NETRC_WRITE: 'true',
    HOME: path.join(root, 'home'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    XDG_DATA_HOME: path.join(root, 'data'),
    XDG_STATE_HOME: path.join(root, 'state'),
    // oclif's own overrides for the same folders, in case the platform default differs (macOS).
    HEROKU_CONFIG_DIR: path.join(root, 'config', 'heroku'),
    HEROKU_CACHE_DIR: path.join(root, 'cache', 'heroku'),
    HEROKU_DATA_DIR: path.join(root, 'data', 'heroku'),
    // heroku dist/hooks/init/configure-git-credential-manager.js runs
    // `git config --global credential.https://<git host>.helper` before nearly every command.
    GIT_CONFIG_GLOBAL: path.join(root, 'home', '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    NO_PROXY: '127.0.0.1,localhost',
  });
  return { ...env, ...extra };
}
