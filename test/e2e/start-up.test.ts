import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertTerminalRestored, killScreens, startDynotty } from '../helpers/dynotty.js';

after(killScreens);

describe('dynotty start-up', () => {
  it('draws the demo fleet in its first frame: no loading frame before it', async () => {
    const screen = startDynotty();
    const text = await screen.waitFor(/compare ways in: acme-billing · web\.1/);
    assert.match(text, /demo@dynotty\.dev │ demo fleet │ 5 apps/);
    assert.ok(!screen.raw.includes('loading…') && !screen.raw.includes('not loaded'), 'the header never said loading');
    // The dynos come up after that frame, and the picker follows them.
    await screen.waitFor(/● web\.1\s+up/, 8000);
    screen.proc.write('q');
    await screen.waitExit();
    assertTerminalRestored(screen, 'EXIT=0');
  });

  it('keeps Ink and React compiled between starts (V8s code cache, 0600), and starts as well from a cache that is not one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-code-cache-e2e-'));
    try {
      const cacheDir = path.join(dir, 'cache', 'dynotty', 'code');
      const logFile = path.join(dir, 'debug.log');
      const env = { XDG_CACHE_HOME: path.join(dir, 'cache'), DEBUG: 'dynotty', DYNOTTY_LOG: logFile };
      const startAndQuit = async (): Promise<string | null> => {
        rmSync(logFile, { force: true });
        const screen = startDynotty(['--demo'], { env });
        await screen.waitFor(/compare ways in: acme-billing · web\.1/);
        screen.proc.write('q');
        await screen.waitExit();
        assertTerminalRestored(screen, 'EXIT=0');
        const start = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; codeCache?: string | null }).find((e) => e.event === 'start');
        return start?.codeCache ?? null;
      };
      const cacheFile = (): string => {
        const files = readdirSync(cacheDir);
        assert.equal(files.length, 1, `one cache: ${files.join(', ')}`);
        return path.join(cacheDir, files[0] ?? '');
      };

      assert.equal(await startAndQuit(), 'none');
      assert.equal(statSync(cacheFile()).mode & 0o777, 0o600);
      assert.equal(await startAndQuit(), 'used');
      writeFileSync(cacheFile(), 'garbage');
      assert.equal(await startAndQuit(), 'rejected', 'a broken cache is not used, and dynotty starts all the same');
      assert.equal(await startAndQuit(), 'used', 'and it was written again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
