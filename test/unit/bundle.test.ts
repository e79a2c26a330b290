// What `npm run build` hands users: the bundled CLI in dist/bundle (bin, npm start and the
// end-to-end tests run it), with source maps back to the TypeScript and production React.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { launcherLines, NODE_FLAGS } from '../../src/node-flags.js';
import { repoRoot } from '../helpers/pty-screen.js';

const bundleDir = path.join(repoRoot, 'dist/bundle');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };

describe('the bundled CLI', () => {
  it('is what bin and npm start run, an executable script', () => {
    assert.equal(pkg.bin['dynotty'], 'dist/bundle/cli.js');
    assert.ok((pkg.scripts['start'] ?? '').endsWith(`node ${NODE_FLAGS.join(' ')} dist/bundle/cli.js`), 'npm start passes NODE_FLAGS');
    const cli = path.join(repoRoot, pkg.bin['dynotty'] ?? '');
    accessSync(cli, constants.X_OK);
    assert.ok(readFileSync(cli, 'utf8').startsWith(launcherLines()));
  });

  it('runs as the bin runs it, node started with NODE_FLAGS; and as plain JavaScript under node', () => {
    const cli = path.join(repoRoot, pkg.bin['dynotty'] ?? '');
    // Through a symlink, as npm installs bins: the chunks load from beside the real file.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-bin-'));
    try {
      const link = path.join(dir, 'dynotty');
      symlinkSync(cli, link);
      const probe = path.join(dir, 'probe.cjs');
      writeFileSync(probe, "process.on('exit', () => require('node:fs').writeSync(2, 'execArgv=' + JSON.stringify(process.execArgv) + '\\n'));");
      const env = { ...process.env, NODE_OPTIONS: `--require ${probe}` };
      const viaBin = spawnSync(link, ['--version'], { env, encoding: 'utf8' });
      assert.equal(viaBin.status, 0, viaBin.stderr);
      assert.match(viaBin.stdout, /^\d+\.\d+\.\d+/);
      assert.ok(viaBin.stderr.includes(`execArgv=${JSON.stringify(NODE_FLAGS)}`), viaBin.stderr);
      const viaNode = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
      assert.equal(viaNode.status, 0, viaNode.stderr);
      assert.match(viaNode.stdout, /^\d+\.\d+\.\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
