import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * A CommonJS-style script run through V8's code cache: compiled once, and after that its
 * bytecode read back from a file instead of parsed and compiled again at every start.
 * Node 20 has no compile cache (module.enableCompileCache is Node 22) and none for ES
 * modules at all, so the bundle builds the libraries the picker's first frame needs (Ink,
 * React) as such a script (scripts/bundle.ts).
 *
 * The script's text is a function expression, `(function (exports, require, module,
 * __filename, __dirname) { ... })`. V8 checks a cache against its own version, its flags
 * and the length of the source, not the source itself: given a cache made from another
 * text of the same length it runs the old code. So the cache file starts with a SHA-256 of
 * the text it was made from (~1 ms), and a cache for any other text is not handed to V8.
 */
export interface CachedScript<T> {
  readonly exports: T;
  /** What happened to the cache at load: 'used', 'none' (no file) or 'rejected' (V8 refused it). */
  readonly cache: 'used' | 'none' | 'rejected';
  /**
   * Writes the code cache if the one loaded was missing or refused. Call it once the code
   * that matters has run (V8 caches the functions compiled so far). Never throws: a cache
   * that cannot be written only means the next start compiles again.
   */
  saveCache(): boolean;
}

export function runCachedScript<T>(scriptFile: string, cacheFile: string | null): CachedScript<T> {
  const source = readFileSync(scriptFile, 'utf8');
  const digest = createHash('sha256').update(source).digest();
  const file = cacheFile === null ? undefined : readIfThere(cacheFile);
  const cachedData = file !== undefined && file.subarray(0, digest.length).equals(digest) ? file.subarray(digest.length) : undefined;
  const script = new vm.Script(source, { filename: scriptFile, ...(cachedData === undefined ? {} : { cachedData }) });
  const cache = file === undefined ? 'none' : cachedData === undefined || script.cachedDataRejected === true ? 'rejected' : 'used';
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  wrapper(module.exports, createRequire(scriptFile), module, scriptFile, path.dirname(scriptFile));
  let saved = cache === 'used';
  return {
    exports: module.exports,
    cache,
    saveCache() {
      if (saved || cacheFile === null) return false;
      saved = true;
      try {
        writeCacheFile(cacheFile, Buffer.concat([digest, script.createCachedData()]));
        return true;
      } catch {
        return false;
      }
    },
  };
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written whole or not at all (another dynotty may be reading it), readable by the user
 * only: it is code this process will run. The folder is the cache's own, so what else is in
 * it (caches of earlier builds, a temporary file left by a process that died) goes.
 */
function writeCacheFile(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data, { mode: 0o600 });
  renameSync(temporary, file);
  for (const other of readdirSync(dir)) {
    if (other !== path.basename(file)) rmSync(path.join(dir, other), { force: true, recursive: true });
  }
}

/** Where dynotty keeps code caches: $XDG_CACHE_HOME/dynotty/code, else ~/.cache/dynotty/code; null without either. */
export function codeCacheDir(env: NodeJS.ProcessEnv, homeDir: string): string | null {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'dynotty', 'code');
  if (homeDir === '' || !path.isAbsolute(homeDir)) return null;
  return path.join(homeDir, '.cache', 'dynotty', 'code');
}
