import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createDebugLog, redact } from '../../src/debug-log.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('DEBUG=dynotty log', () => {
  it('is off unless DEBUG names dynotty', () => {
    assert.equal(createDebugLog({}).path, null);
    assert.equal(createDebugLog({ DEBUG: 'express' }).path, null);
  });

  it('writes JSON lines 0600 in a 0700 folder, with every secret redacted', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-log-'));
    dirs.push(dir);
    const token = 'HRKU-AAbbCCddEEffGGhh1234567890';
    const log = createDebugLog({ DEBUG: 'dynotty', XDG_STATE_HOME: dir, HEROKU_API_KEY: token });
    const other = 'netrc-secret-value-42';
    log.addSecret(other);
    log.write('request', { url: '/apps', headers: { Authorization: `Bearer ${token}` }, note: `netrc gave ${other}` });
    log.write('session', { argv: ['run', 'bash', '-a', 'acme'] });
    const file = path.join(dir, 'dynotty', 'debug.log');
    assert.equal(log.path, file);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(token), 'the API token is redacted');
    assert.ok(!text.includes(other), 'a secret found later is redacted');
    assert.match(text, /Bearer \[REDACTED\]/);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    assert.deepEqual(lines.map((l) => l.event), ['request', 'session']);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  });

  it('redacts token shapes it was not told about', () => {
    assert.equal(redact('key HRKU-abcdefgh12345678 end', []), 'key [REDACTED] end');
    assert.equal(redact('authorization: bearer abc.def', []), 'authorization: Bearer [REDACTED]');
  });
});
