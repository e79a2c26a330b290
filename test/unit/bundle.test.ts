// What `npm run build` hands users: the bundled CLI in dist/bundle (bin, npm start and the
// end-to-end tests run it), with source maps back to the TypeScript and production React.
import assert from 'node:assert/strict';
import { accessSync, constants, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/pty-screen.js';

const bundleDir = path.join(repoRoot, 'dist/bundle');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };

describe('the bundled CLI', () => {
  it('is what bin and npm start run, an executable script', () => {
    assert.equal(pkg.bin['dynotty'], 'dist/bundle/cli.js');
    assert.match(pkg.scripts['start'] ?? '', /node dist\/bundle\/cli\.js/);
    const cli = path.join(repoRoot, pkg.bin['dynotty'] ?? '');
    accessSync(cli, constants.X_OK);
    assert.ok(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('maps every chunk back to our TypeScript sources, without embedding them', () => {
    const chunks = readdirSync(bundleDir).filter((f) => f.endsWith('.js'));
    assert.ok(chunks.length > 3, 'split into chunks');
    const sources = new Set<string>();
    for (const chunk of chunks) {
      const code = readFileSync(path.join(bundleDir, chunk), 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
      assert.equal(url, `${chunk}.map`, `${chunk} names its map`);
      const map = JSON.parse(readFileSync(path.join(bundleDir, url), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      assert.equal(map.sourcesContent, undefined);
      for (const s of map.sources) {
        const file = path.relative(repoRoot, path.resolve(bundleDir, s));
        sources.add(file);
        // Dependencies may map on to sources they do not ship (webpack://, src/ not published); ours must be there.
        if (/^(src|components)\//.test(file)) assert.ok(existsSync(path.join(repoRoot, file)), `${chunk}: ${s} exists`);
      }
    }
    for (const own of ['src/cli.tsx', 'src/picker.tsx', 'components/App.tsx', 'src/session/pty-session.ts']) assert.ok(sources.has(own), `${own} mapped`);
    assert.ok(![...sources].some((s) => /\.development\.js$/.test(s)), 'no development build of React or its reconciler');
  });
});
