import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCliArgs, withConfig } from '../../src/args.js';
import { ConfigError, defaultConfigPath, loadConfig, validateConfig } from '../../src/config.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'dynotty-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

function writeConfig(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.json');
  writeFileSync(file, text);
  return file;
}

describe('config file: where', () => {
  it('XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    assert.equal(defaultConfigPath({ env: { XDG_CONFIG_HOME: '/x/cfg' }, homeDir: '/h' }), '/x/cfg/dynotty/config.json');
    assert.equal(defaultConfigPath({ env: {}, homeDir: '/h' }), '/h/.config/dynotty/config.json');
    assert.equal(defaultConfigPath({ env: { XDG_CONFIG_HOME: 'relative' }, homeDir: '/h' }), '/h/.config/dynotty/config.json');
  });

  it('a missing default file is no config; a missing --config file is an error', () => {
    assert.deepEqual(loadConfig(null, { env: {}, homeDir: path.join(root, 'nobody') }), {});
    assert.equal(message(() => loadConfig(path.join(root, 'nope.json'), { env: {}, homeDir: home })), `config ${path.join(root, 'nope.json')}: cannot read it: no such file`);
  });

  it('reads the XDG file, names it with ~ in errors, and refuses malformed JSON, a folder, an unreadable file', () => {
    const xdg = path.join(home, '.config');
    writeConfig(path.join(xdg, 'dynotty'), '{"refreshSeconds": "fast"}');
    assert.equal(
      message(() => loadConfig(null, { env: { XDG_CONFIG_HOME: xdg }, homeDir: home })),
      'config ~/.config/dynotty/config.json: "refreshSeconds" must be a number from 5 to 3600, not "fast"',
    );
    writeConfig(path.join(xdg, 'dynotty'), '{"source": "api",');
    assert.match(message(() => loadConfig(null, { env: {}, homeDir: home })), /^config ~\/\.config\/dynotty\/config\.json: not valid JSON: /);
    assert.match(message(() => loadConfig(root, { env: {}, homeDir: home })), /cannot read it: is a folder, not a file$/);
    if (process.getuid?.() !== 0) {
      const file = writeConfig(path.join(root, 'locked'), '{}');
      chmodSync(file, 0o000);
      assert.match(message(() => loadConfig(file, { env: {}, homeDir: home })), /cannot read it: permission denied$/);
    }
  });
});

describe('config file: fields', () => {
  it('accepts every field and expands ~ in recordDir', () => {
    const config = validateConfig(
      { source: 'cli', protect: ['*-prod', 'billing'], runSize: 'Standard-2X', recordDir: '~/casts', refreshSeconds: 60, cliTimeoutSeconds: 45, apiTimeoutSeconds: 5.5 },
      '/h',
    );
    assert.deepEqual(config, {
      source: 'cli',
      protect: ['*-prod', 'billing'],
      runSize: 'Standard-2X',
      recordDir: '/h/casts',
      refreshSeconds: 60,
      cliTimeoutSeconds: 45,
      apiTimeoutSeconds: 5.5,
    });
  });

  it('names the bad field and what was expected', () => {
    const cases: [unknown, string][] = [
      [[], 'must be a JSON object ({"field": value, ...}), not an array'],
      ['x', 'must be a JSON object ({"field": value, ...}), not "x"'],
      [{ protected: ['a'] }, 'unknown field "protected" (known: source, protect, runSize, recordDir, refreshSeconds, cliTimeoutSeconds, apiTimeoutSeconds)'],
      [{ source: 'heroku' }, '"source" must be one of "auto", "api", "cli", "demo", not "heroku"'],
      [{ protect: '*-prod' }, '"protect" must be a list of app names or patterns with * and ? (e.g. ["*-prod", "billing"]), not "*-prod"'],
      [{ protect: ['a b'] }, '"protect" must be a list of app names or patterns with * and ? (e.g. ["*-prod", "billing"]), not ["a b"]'],
      [{ runSize: 'huge size' }, '"runSize" must be a dyno size such as "Standard-2X", not "huge size"'],
      [{ recordDir: '' }, '"recordDir" must be a folder path, not ""'],
      [{ refreshSeconds: 4 }, '"refreshSeconds" must be a number from 5 to 3600, not 4'],
      [{ cliTimeoutSeconds: 0 }, '"cliTimeoutSeconds" must be a number from 1 to 600, not 0'],
      [{ apiTimeoutSeconds: null }, '"apiTimeoutSeconds" must be a number from 1 to 600, not null'],
    ];
    for (const [raw, expected] of cases) assert.equal(message(() => validateConfig(raw, '/h')), expected, JSON.stringify(raw));
  });

  it('never echoes control characters from the file', () => {
    const text = message(() => validateConfig({ source: '\x1b]0;pwned\x07' }, '/h'));
    assert.doesNotMatch(text, /[\x00-\x1f\x7f-\x9f]/);
  });
});

describe('config file under the flags', () => {
  const config = validateConfig({ source: 'cli', protect: ['*-prod'], runSize: 'Performance-M', recordDir: '/rec', refreshSeconds: 90, cliTimeoutSeconds: 40, apiTimeoutSeconds: 7 }, '/h');

  it('fills in what no flag set', () => {
    const parsed = parseCliArgs([]);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    const options = withConfig(parsed.options, parsed.explicit, config);
    assert.equal(options.source, 'cli');
    assert.equal(options.size, 'Performance-M');
    assert.equal(options.record, '/rec');
    assert.deepEqual(options.protect, ['*-prod']);
    assert.equal(options.refreshSeconds, 90);
    assert.equal(options.cliTimeoutMs, 40_000);
    assert.equal(options.apiTimeoutMs, 7_000);
  });

  it('flags win; --protect patterns are added to the file list', () => {
    const parsed = parseCliArgs(['--demo', '--size', 'Standard-1X', '--record', '/mine', '--protect', 'billing', '--protect', '*-prod']);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    const options = withConfig(parsed.options, parsed.explicit, config);
    assert.equal(options.source, 'demo');
    assert.equal(options.size, 'Standard-1X');
    assert.equal(options.record, '/mine');
    assert.deepEqual(options.protect, ['*-prod', 'billing']);
  });

  it('no config leaves the defaults', () => {
    const parsed = parseCliArgs([]);
    if (parsed.kind !== 'run') return assert.fail(parsed.kind);
    const options = withConfig(parsed.options, parsed.explicit, {});
    assert.deepEqual([options.source, options.size, options.record, options.refreshSeconds, options.cliTimeoutMs, options.apiTimeoutMs], ['auto', null, null, null, null, null]);
  });
});
