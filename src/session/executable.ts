import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Where `file` would be run from, as execvp would find it; null when it cannot be run. */
export function resolveExecutable(file: string, searchPath: string | undefined): string | null {
  const runnable = (candidate: string): boolean => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  };
  if (file.includes('/')) return runnable(file) ? path.resolve(file) : null;
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, file);
    if (runnable(candidate)) return candidate;
  }
  return null;
}
