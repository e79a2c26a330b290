import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { appFromRemoteUrl, herokuRemotes, inferApp } from '../../src/heroku/app-inference.js';
import { gitCouldFindRepo } from '../../src/heroku/git-repo.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function repo(remotes: Record<string, string>, config: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-git-'));
  dirs.push(dir);
  await execa('git', ['init', '-q'], { cwd: dir });
  for (const [name, url] of Object.entries(remotes)) await execa('git', ['remote', 'add', name, url], { cwd: dir });
  for (const [key, value] of Object.entries(config)) await execa('git', ['config', key, value], { cwd: dir });
  return dir;
}

describe('app inference', () => {
  it('reads the three Heroku remote URL forms and nothing else', () => {
    assert.equal(appFromRemoteUrl('https://git.heroku.com/acme-web.git'), 'acme-web');
    assert.equal(appFromRemoteUrl('git@heroku.com:acme-web.git'), 'acme-web');
    assert.equal(appFromRemoteUrl('ssh://git@heroku.com/acme-web.git'), 'acme-web');
    assert.equal(appFromRemoteUrl('https://github.com/acme/web.git'), null);
    assert.equal(appFromRemoteUrl('https://git.heroku.com/Bad_Name.git'), null);
    assert.deepEqual(
      herokuRemotes('heroku\thttps://git.heroku.com/a-app.git (fetch)\nheroku\thttps://git.heroku.com/a-app.git (push)\norigin\tgit@github.com:x/y.git (fetch)'),
      [{ remote: 'heroku', app: 'a-app' }],
    );
  });

  it('--app wins, then HEROKU_APP, then the git remote', async () => {
    const cwd = await repo({ heroku: 'https://git.heroku.com/from-git.git' });
    assert.deepEqual(await inferApp({ flagApp: 'from-flag', flagRemote: null, env: { HEROKU_APP: 'from-env' }, cwd }), {
      app: 'from-flag',
      origin: '--app',
      candidates: [],
    });
    assert.equal((await inferApp({ flagApp: null, flagRemote: null, env: { HEROKU_APP: 'from-env' }, cwd })).app, 'from-env');
    const fromGit = await inferApp({ flagApp: null, flagRemote: null, env: {}, cwd });
    assert.deepEqual(fromGit, { app: 'from-git', origin: 'git remote heroku', candidates: [] });
  });

  it('several Heroku remotes select none and list them; --remote or heroku.remote picks one', async () => {
    const cwd = await repo({ production: 'https://git.heroku.com/acme-prod.git', staging: 'git@heroku.com:acme-staging.git' });
    const several = await inferApp({ flagApp: null, flagRemote: null, env: {}, cwd });
    assert.equal(several.app, null);
    assert.deepEqual(several.candidates, [
      { remote: 'production', app: 'acme-prod' },
      { remote: 'staging', app: 'acme-staging' },
    ]);
    assert.equal((await inferApp({ flagApp: null, flagRemote: 'staging', env: {}, cwd })).app, 'acme-staging');
    const configured = await repo({ production: 'https://git.heroku.com/acme-prod.git', staging: 'git@heroku.com:acme-staging.git' }, { 'heroku.remote': 'production' });
    assert.equal((await inferApp({ flagApp: null, flagRemote: null, env: {}, cwd: configured })).app, 'acme-prod');
    assert.equal((await inferApp({ flagApp: null, flagRemote: 'nope', env: {}, cwd })).app, null);
  });

  it('outside a git repository there is nothing to infer', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-nogit-'));
    dirs.push(dir);
    assert.deepEqual(await inferApp({ flagApp: null, flagRemote: null, env: {}, cwd: dir }), { app: null, origin: null, candidates: [] });
  });

  it('finds the repository from a folder deep inside it, as git does', async () => {
    const top = await repo({ heroku: 'https://git.heroku.com/acme-deep.git' });
    const deep = path.join(top, 'src', 'lib');
    mkdirSync(deep, { recursive: true });
    assert.equal((await inferApp({ flagApp: null, flagRemote: null, env: {}, cwd: deep })).app, 'acme-deep');
  });
});

describe('gitCouldFindRepo', () => {
  function tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dynotty-repo-'));
    dirs.push(dir);
    return dir;
  }

  it('is false where git would find no repository, true where it would', async () => {
    const plain = tempDir();
    assert.equal(gitCouldFindRepo(plain, {}), false, 'a folder outside any repository');
    assert.equal(gitCouldFindRepo(plain, { GIT_DIR: '/somewhere/.git' }), true, 'GIT_DIR names one');
    const top = await repo({});
    mkdirSync(path.join(top, 'a', 'b'), { recursive: true });
    assert.equal(gitCouldFindRepo(path.join(top, 'a', 'b'), {}), true, 'a .git folder above');
    const worktree = tempDir();
    writeFileSync(path.join(worktree, '.git'), 'gitdir: /elsewhere/.git/worktrees/w\n');
    assert.equal(gitCouldFindRepo(worktree, {}), true, 'a .git file (worktree, submodule)');
    const bare = tempDir();
    await execa('git', ['init', '-q', '--bare'], { cwd: bare });
    assert.equal(gitCouldFindRepo(bare, {}), true, 'a bare repository');
    assert.equal((await execa('git', ['remote', '-v'], { cwd: bare, reject: false })).exitCode, 0, 'where git itself finds it too');
    assert.notEqual((await execa('git', ['remote', '-v'], { cwd: plain, reject: false })).exitCode, 0, 'and where git finds none');
  });
});
