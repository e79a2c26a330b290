import type { App, Dyno } from './model.js';

export type SourceKind = 'demo' | 'cli' | 'api';

/** Everything the picker shows, as one source saw it at one moment. */
export interface Fleet {
  /** The account's email, or null when unknown. */
  account: string | null;
  apps: App[];
  /** Dynos by app name, each list sorted by dyno name. */
  dynos: Record<string, Dyno[]>;
  /** Per-app listing errors: a failed app is marked, the others still show. */
  appErrors: Record<string, string>;
}

/** Where apps and dynos come from. Implementations live in src/heroku and src/demo. */
export interface FleetSource {
  readonly kind: SourceKind;
  /** For the header: "demo fleet", "heroku CLI", "Platform API". */
  readonly label: string;
  /** Lists everything; rejects only when nothing at all could be listed. */
  load(signal?: AbortSignal): Promise<Fleet>;
  /** Releases whatever the source holds (processes, folders, sockets). Safe to call twice. */
  close(): Promise<void>;
  /** The same, at once and without waiting: for exit paths that cannot await (process 'exit'). */
  closeSync?(): void;
}
