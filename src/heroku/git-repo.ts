import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether git, run in `cwd`, could find a repository: a `.git` (directory, or the file a
 * worktree or submodule has) in `cwd` or above it, or `cwd` or a parent being a bare
 * repository, or the environment naming one. False means `git remote -v` would only fail,
 * so start-up need not wait for git (nor load the code that runs it) to learn that.
 */
export function gitCouldFindRepo(cwd: string, env: NodeJS.ProcessEnv): boolean {
  if (env['GIT_DIR'] || env['GIT_WORK_TREE']) return true;
  for (let dir = path.resolve(cwd); ; ) {
    if (existsSync(path.join(dir, '.git'))) return true;
    if (['HEAD', 'objects', 'refs'].every((name) => existsSync(path.join(dir, name)))) return true;
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
