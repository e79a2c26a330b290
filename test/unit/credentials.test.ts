import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findCredentials, netrcCredentials, parseNetrc } from '../../src/heroku/credentials.js';

async function withHome(netrc: string | null, body: (home: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(path.join(tmpdir(), 'dynotty-home-'));
  try {
    if (netrc !== null) await writeFile(path.join(home, '.netrc'), netrc, { mode: 0o600 });
    await body(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const MULTI_LINE = `machine api.heroku.com
  login dev@example.com
  password hrku-netrc-token-1111
machine git.heroku.com
  login dev@example.com
  password hrku-netrc-token-1111
`;

test('findCredentials: HEROKU_API_KEY wins over ~/.netrc and the CLI', async () => {
  await withHome(MULTI_LINE, async (home) => {
    let asked = false;
    const creds = await findCredentials({
      env: { HEROKU_API_KEY: ' hrku-env-token-2222\n' },
      homeDir: home,
      herokuToken: async () => {
        asked = true;
        return 'cli';
      },
    });
    assert.deepEqual(creds, { token: 'hrku-env-token-2222', origin: 'HEROKU_API_KEY', login: null });
    assert.equal(asked, false);
  });
});

test('findCredentials: an empty HEROKU_API_KEY is ignored; ~/.netrc (multi-line) is next', async () => {
  await withHome(MULTI_LINE, async (home) => {
    const creds = await findCredentials({ env: { HEROKU_API_KEY: '' }, homeDir: home });
    assert.deepEqual(creds, { token: 'hrku-netrc-token-1111', origin: 'netrc', login: 'dev@example.com' });
  });
});

test('findCredentials: falls back to heroku auth:token when ~/.netrc has no entry', async () => {
  await withHome('machine github.com login me password ghp_x\n', async (home) => {
    const creds = await findCredentials({ env: {}, homeDir: home, herokuToken: async () => 'hrku-cli-token-3333\n' });
    assert.deepEqual(creds, { token: 'hrku-cli-token-3333', origin: 'heroku auth:token', login: null });
  });
  await withHome(null, async (home) => {
    const creds = await findCredentials({ env: {}, homeDir: home, herokuToken: async () => 'hrku-cli-token-3333' });
    assert.equal(creds?.origin, 'heroku auth:token');
  });
});

test('findCredentials: null when nothing gives a token', async () => {
  await withHome(null, async (home) => {
    assert.equal(await findCredentials({ env: {}, homeDir: home }), null);
    assert.equal(await findCredentials({ env: {}, homeDir: home, herokuToken: async () => null }), null);
    assert.equal(await findCredentials({ env: {}, homeDir: home, herokuToken: async () => '  \n' }), null);
  });
});

test('findCredentials: the machine follows HEROKU_HOST when given', async () => {
  await withHome('machine 127.0.0.1:5123 login dev@example.com password local-token-4444\n' + MULTI_LINE, async (home) => {
    const creds = await findCredentials({ env: {}, homeDir: home, machine: '127.0.0.1:5123' });
    assert.equal(creds?.token, 'local-token-4444');
  });
});

test('parseNetrc: single-line entries, comments, quoted values and default', () => {
  const text = [
    '# personal machines',
    'machine github.com login me password ghp_abc # trailing comment',
    'machine api.heroku.com login "dev@example.com" password "hrku with space"',
    'default login anonymous password guest',
  ].join('\n');
  assert.deepEqual(parseNetrc(text), [
    { machine: 'github.com', login: 'me', password: 'ghp_abc' },
    { machine: 'api.heroku.com', login: 'dev@example.com', password: 'hrku with space' },
    { machine: null, login: 'anonymous', password: 'guest' },
  ]);
});

test('parseNetrc: macdef bodies are skipped up to the blank line', () => {
  const text = ['machine ftp.example.com login a password b', 'macdef init', 'machine api.heroku.com password fake', 'cd /pub', '', 'machine api.heroku.com login dev@example.com password real-token'].join('\n');
  assert.deepEqual(netrcCredentials(text, 'api.heroku.com'), { token: 'real-token', origin: 'netrc', login: 'dev@example.com' });
});

test('netrcCredentials: the default entry serves when no machine matches; an entry without password gives nothing', () => {
  assert.equal(netrcCredentials('machine other.com password x\ndefault password fallback-token\n', 'api.heroku.com')?.token, 'fallback-token');
  assert.equal(netrcCredentials('machine api.heroku.com login dev@example.com\n', 'api.heroku.com'), null);
  assert.equal(netrcCredentials('', 'api.heroku.com'), null);
  assert.equal(netrcCredentials('machine api.heroku.com\r\n  login dev@example.com\r\n  password crlf-token\r\n', 'api.heroku.com')?.token, 'crlf-token');
});
