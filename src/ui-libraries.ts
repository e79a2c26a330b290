import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheDir, runCachedScript, type CachedScript } from './code-cache.js';

/**
 * In the bundle, Ink and React are not ES modules of the picker's chunk but one script
 * beside it (scripts/bundle.ts builds it and sets DYNOTTY_UI_LIBRARIES to its file name),
 * run through V8's code cache: compiling them was ~25 ms of every start. The bundle's
 * `ink`, `react` and `react/jsx-runtime` are these exports. Unbundled (dist/src, the
 * component tests) the name is not set, and they come from node_modules as usual.
 */
declare const DYNOTTY_UI_LIBRARIES: string | undefined;

export interface UiLibraries {
  ink: Record<string, unknown>;
  react: Record<string, unknown>;
  jsxRuntime: Record<string, unknown>;
}

let loaded: CachedScript<UiLibraries> | null = null;

export function uiLibraries(): UiLibraries {
  if (loaded === null) {
    if (typeof DYNOTTY_UI_LIBRARIES !== 'string') throw new Error('the UI libraries script is only part of the bundle');
    const script = fileURLToPath(new URL(DYNOTTY_UI_LIBRARIES, import.meta.url));
    const dir = codeCacheDir(process.env, os.homedir());
    // The cache's name follows the script's (hashed) name and the V8 that compiled it.
    const cache = dir === null ? null : path.join(dir, `${path.basename(script, '.js')}.v8-${process.versions.v8}.cache`);
    loaded = runCachedScript<UiLibraries>(script, cache);
  }
  return loaded.exports;
}

/** What this start found in the code cache (null: not loaded from the script, as unbundled). */
export function uiLibrariesCacheState(): CachedScript<UiLibraries>['cache'] | null {
  return loaded?.cache ?? null;
}

/** Writes the code cache for the next start, if this one had none it could use. */
export function saveUiLibrariesCache(): void {
  loaded?.saveCache();
}
