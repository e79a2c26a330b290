import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protectMatcher } from '../../src/access/protect.js';
import { parseCliArgs } from '../../src/args.js';

describe('--protect', () => {
  it('matches app names with * and ? wildcards, and nothing else', () => {
    const isProtected = protectMatcher(['*-prod', 'billing', 'api-v?']);
    assert.equal(isProtected('acme-prod'), true);
    assert.equal(isProtected('billing'), true);
    assert.equal(isProtected('api-v2'), true);
    assert.equal(isProtected('api-v22'), false);
    assert.equal(isProtected('acme-prod-staging'), false);
    assert.equal(isProtected('billing-2'), false);
    assert.equal(protectMatcher([])('anything'), false);
  });

  it('is repeatable on the command line and rejects odd patterns', () => {
    const parsed = parseCliArgs(['--protect', '*-prod', '--protect', 'billing']);
    assert.equal(parsed.kind, 'run');
    assert.deepEqual(parsed.kind === 'run' ? parsed.options.protect : null, ['*-prod', 'billing']);
    const bad = parseCliArgs(['--protect', 'a b']);
    assert.equal(bad.kind, 'error');
  });
});
