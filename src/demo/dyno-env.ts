// The environment of a demo dyno, shaped like a Heroku dyno's: dyno metadata,
// the buildpack's runtime vars and the app's config vars. Nothing else from
// the user's environment leaks in but PATH and the locale.
import type { DemoAppDef } from './fleet-definition.js';

export interface DynoEnvSpec {
  def: DemoAppDef;
  dynoName: string;
  dynoId: string;
  /** The dyno's folder: its working directory and HOME (Heroku's /app). */
  dir: string;
  port: number;
  /** false leaves out the config vars (`heroku ps:exec` shells lack them). */
  withConfigVars?: boolean;
}

const KEPT_FROM_PARENT = ['PATH', 'LANG', 'LC_ALL', 'TZ'] as const;

export function demoDynoEnv(spec: DynoEnvSpec, parentEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of KEPT_FROM_PARENT) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, spec.def.runtimeEnv);
  if (spec.withConfigVars !== false) Object.assign(env, spec.def.configVars);
  Object.assign(env, {
    DYNO: spec.dynoName,
    PORT: String(spec.port),
    HOME: spec.dir,
    HEROKU_APP_ID: spec.def.app.id,
    HEROKU_APP_NAME: spec.def.app.name,
    HEROKU_DYNO_ID: spec.dynoId,
    HEROKU_RELEASE_VERSION: `v${spec.def.releaseVersion}`,
    DYNOTTY_DEMO: '1',
  });
  return env;
}
