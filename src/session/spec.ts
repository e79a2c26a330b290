import type { AccessModeId } from '../access/model.js';

/** What a session runs: always an argv array, never a shell string. */
export interface SpawnSpec {
  /** The program: the `heroku` binary, or a local shell on the demo fleet. */
  file: string;
  args: string[];
  cwd: string;
  /** The child's whole environment (TERM and the size are added at spawn). */
  env: Record<string, string>;
  /** The command line shown in the session header and recordings. */
  title: string;
  /** The dyno the session lands on, when known before start (`run.4821`, `web.1`). */
  dynoName: string | null;
  /** Releases what was made for this session (a one-off's throwaway folder). Safe to call twice. */
  dispose(): Promise<void>;
  /** A question the child will ask that the user has already answered in dynotty: typed for them, once. */
  autoAnswer?: { prompt: string; reply: string };
}

export interface SessionRequest {
  mode: AccessModeId;
  app: string;
  /** The selected dyno: the target of exec and run:inside; ignored by run. */
  dyno: string | null;
  /** Exec is off for the app and the user agreed to enable it (which restarts every dyno). */
  enableExec?: boolean;
}

/** Turns "this mode, this app, this dyno" into a SpawnSpec: the Heroku CLI's argv, or a demo shell. */
export interface SessionLauncher {
  prepare(request: SessionRequest): Promise<SpawnSpec>;
}

/** A launcher could not prepare the session: a message for the user, never a stack trace. */
export class LaunchError extends Error {
  override name = 'LaunchError';
}
