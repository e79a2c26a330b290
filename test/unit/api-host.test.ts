import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiBaseUrl, apiHost } from '../../src/heroku/api-host.js';
import { SourceError } from '../../src/heroku/errors.js';

test('apiBaseUrl: no HEROKU_HOST (or a blank one) is api.heroku.com', () => {
  assert.equal(apiBaseUrl({}), 'https://api.heroku.com');
  assert.equal(apiBaseUrl({ HEROKU_HOST: '' }), 'https://api.heroku.com');
  assert.equal(apiBaseUrl({ HEROKU_HOST: '   ' }), 'https://api.heroku.com');
  assert.equal(apiHost({}), 'api.heroku.com');
});

test('apiBaseUrl: a bare domain becomes https://api.<domain>', () => {
  assert.equal(apiBaseUrl({ HEROKU_HOST: 'staging.herokudev.com' }), 'https://api.staging.herokudev.com');
  assert.equal(apiBaseUrl({ HEROKU_HOST: 'heroku.com' }), 'https://api.heroku.com');
  assert.equal(apiHost({ HEROKU_HOST: 'staging.herokudev.com' }), 'api.staging.herokudev.com');
});

test('apiBaseUrl: a value starting with http is the whole base URL', () => {
  assert.equal(apiBaseUrl({ HEROKU_HOST: 'http://127.0.0.1:5123' }), 'http://127.0.0.1:5123');
  assert.equal(apiBaseUrl({ HEROKU_HOST: 'http://localhost:8080/' }), 'http://localhost:8080');
  assert.equal(apiBaseUrl({ HEROKU_HOST: 'https://api.eu.herokuspace.com' }), 'https://api.eu.herokuspace.com');
  assert.equal(apiHost({ HEROKU_HOST: 'http://127.0.0.1:5123' }), '127.0.0.1:5123');
});

test('apiBaseUrl: hosts the CLI would refuse are refused with a clear SourceError', () => {
  for (const host of ['evil.example.com', 'http://example.com', 'http://localhost.evil.example', 'https://heroku.com.evil.example', 'notheroku.com', 'http://[::1']) {
    assert.throws(
      () => apiBaseUrl({ HEROKU_HOST: host }),
      (err: unknown) => {
        assert.ok(err instanceof SourceError, host);
        assert.equal(err.kind, 'other');
        assert.match(err.problem, /HEROKU_HOST/);
        assert.match(err.problem, /neither a Heroku domain nor localhost/);
        assert.match(err.hint ?? '', /unset HEROKU_HOST/);
        return true;
      },
    );
    assert.throws(() => apiHost({ HEROKU_HOST: host }), SourceError);
  }
});

test('apiBaseUrl: control characters in a refused host are not echoed', () => {
  assert.throws(
    () => apiBaseUrl({ HEROKU_HOST: 'evil\x1b]0;pwned\x07.example' }),
    (err: unknown) => err instanceof SourceError && !err.message.includes('\x1b'),
  );
});
