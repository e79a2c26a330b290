// The demo fleet's temp folder: created private, written and removed only
// through these helpers, which refuse any path outside it.
import { rmSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SourceTree } from './app-sources.js';

export const ROOT_PREFIX = 'dynotty-demo-';

export async function createRoot(parent: string = os.tmpdir()): Promise<string> {
  const root = await mkdtemp(path.join(parent, ROOT_PREFIX));
  await chmod(root, 0o700);
  return root;
}

/** `target` resolved, if it is `root` itself or inside it; throws otherwise. */
export function inside(root: string, target: string): string {
  const resolvedRoot = path.resolve(root);
  const resolved = path.resolve(target);
  if (path.basename(resolvedRoot).startsWith(ROOT_PREFIX) && (resolved === resolvedRoot || resolved.startsWith(resolvedRoot + path.sep))) {
    return resolved;
  }
  throw new Error(`refusing to touch ${resolved}: not inside the demo folder ${resolvedRoot}`);
}

export async function writeTree(root: string, dir: string, tree: SourceTree): Promise<void> {
  for (const [relative, content] of Object.entries(tree)) {
    const file = inside(root, path.join(dir, relative));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

export async function copyTree(root: string, from: string, to: string): Promise<void> {
  await mkdir(path.dirname(inside(root, to)), { recursive: true });
  await cp(inside(root, from), inside(root, to), { recursive: true, errorOnExist: true, force: false });
}

export async function removeInside(root: string, target: string): Promise<void> {
  await rm(inside(root, target), { recursive: true, force: true });
}

export function removeInsideSync(root: string, target: string): void {
  rmSync(inside(root, target), { recursive: true, force: true });
}
