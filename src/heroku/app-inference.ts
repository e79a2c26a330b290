import { gitCouldFindRepo } from './git-repo.js';

/** What the picker should select at start, found as the heroku CLI finds `-a`. */
export interface InferredApp {
  /** The app to select, or null. */
  app: string | null;
  /** Where it came from, for the header: `--app`, `HEROKU_APP`, `git remote heroku`. */
  origin: string | null;
  /** Several Heroku remotes and no flag: listed in the header, none selected. */
  candidates: { remote: string; app: string }[];
}

export interface InferenceInput {
  flagApp: string | null;
  flagRemote: string | null;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Runs git with these arguments in cwd; stdout, or null when git fails or is missing. */
  git?: (args: string[], cwd: string) => Promise<string | null>;
}

const REMOTE_PATTERNS = [
  /^https:\/\/git\.heroku\.com\/([a-z][a-z0-9-]*[a-z0-9])\.git$/,
  /^git@heroku\.com:([a-z][a-z0-9-]*[a-z0-9])\.git$/,
  /^ssh:\/\/git@heroku\.com\/([a-z][a-z0-9-]*[a-z0-9])\.git$/,
];

export function appFromRemoteUrl(url: string): string | null {
  for (const pattern of REMOTE_PATTERNS) {
    const match = pattern.exec(url.trim());
    if (match?.[1]) return match[1];
  }
  return null;
}

/** The Heroku apps among `git remote -v` fetch lines, by remote name, in the order git lists them. */
export function herokuRemotes(remoteListing: string): { remote: string; app: string }[] {
  const found: { remote: string; app: string }[] = [];
  for (const line of remoteListing.split('\n')) {
    const match = /^(\S+)\s+(\S+)\s+\(fetch\)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    const app = appFromRemoteUrl(match[2]);
    if (app !== null && !found.some((f) => f.remote === match[1])) found.push({ remote: match[1], app });
  }
  return found;
}

async function runGit(args: string[], cwd: string): Promise<string | null> {
  if (!gitCouldFindRepo(cwd, process.env)) return null;
  try {
    const { execa } = await import('execa');
    const result = await execa('git', args, { cwd, stdin: 'ignore', timeout: 5000, reject: false });
    return result.exitCode === 0 ? result.stdout : null;
  } catch {
    return null;
  }
}

/** `--app`, else `HEROKU_APP`, else the git remotes (limited by `--remote` or git config `heroku.remote`). */
export async function inferApp(input: InferenceInput): Promise<InferredApp> {
  const none: InferredApp = { app: null, origin: null, candidates: [] };
  if (input.flagApp) return { ...none, app: input.flagApp, origin: '--app' };
  const fromEnv = input.env['HEROKU_APP'];
  if (fromEnv) return { ...none, app: fromEnv, origin: 'HEROKU_APP' };

  const git = input.git ?? runGit;
  const listing = await git(['remote', '-v'], input.cwd);
  if (listing === null) return none;
  const remotes = herokuRemotes(listing);
  const wanted = input.flagRemote ?? (await git(['config', 'heroku.remote'], input.cwd))?.trim() ?? null;
  if (wanted) {
    const match = remotes.find((r) => r.remote === wanted);
    return match ? { ...none, app: match.app, origin: `git remote ${match.remote}` } : none;
  }
  const apps = [...new Set(remotes.map((r) => r.app))];
  if (apps.length === 1 && remotes[0]) return { ...none, app: remotes[0].app, origin: `git remote ${remotes[0].remote}` };
  return { ...none, candidates: remotes };
}
