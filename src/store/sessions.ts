import type { AccessModeId } from '../access/model.js';
import type { ScreenFrame } from '../session/screen.js';
import type { InputModes, SessionExit } from '../session/pty-session.js';
import type { SessionLauncher, SpawnSpec } from '../session/spec.js';

/** What the store holds of a running child; PtySession is the real one, tests use fakes. */
export interface SessionHandle {
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  setVisible(visible: boolean): void;
  setPassthrough(writer: ((data: string) => void) | null): void;
  inputModes(): InputModes;
  snapshot(): ScreenFrame;
  /** Resolves once everything the child printed so far is in snapshot(). */
  drain(): Promise<void>;
  kill(): Promise<void>;
  dispose(): void;
}

export interface SessionStartOptions {
  cols: number;
  rows: number;
  onFrame: (frame: ScreenFrame) => void;
  onExit: (exit: SessionExit) => void;
}

/** Starts children: node-pty in the app, fakes in store tests. Rejects with LaunchError when it cannot. */
export interface SessionRunner {
  start(spec: SpawnSpec, opts: SessionStartOptions, meta: { app: string; dyno: string | null; mode: AccessModeId }): Promise<SessionHandle>;
}

/** The outer terminal, as far as sessions need it. */
export interface TerminalControl {
  /** Mirrors the front session's input modes so the real terminal sends the keys it expects. */
  setInputModes(modes: InputModes): void;
}

/**
 * Where the front session's screen is drawn straight onto the real terminal (the pane
 * painter). With one, a session's frames go to it and not through the store: a key's echo
 * then costs no store update (and no run of every subscriber's selector).
 */
export interface SessionScreen {
  show(frame: ScreenFrame | null): void;
}

export interface SessionServices {
  launcher: SessionLauncher;
  runner: SessionRunner;
  terminal: TerminalControl;
  /** Without it (tests, ink-testing-library), frames go into the store's `frame` for Ink to draw. */
  screen?: SessionScreen;
}

export type SessionState = 'live' | 'exited';

/** A session as the UI shows it: no live objects, only data. */
export interface SessionMeta {
  id: number;
  mode: AccessModeId;
  app: string;
  dyno: string | null;
  title: string;
  state: SessionState;
  startedAt: number;
  exit: SessionExit | null;
}

/** Sessions the strip can show and `1`-`9` can reach. */
export const MAX_SESSIONS = 9;

/** The byte Ctrl-] sends: the one key a session keeps for dynotty. */
export const DETACH_KEY = '\x1d';

export const DEFAULT_INPUT_MODES: InputModes = { applicationCursorKeys: false, bracketedPaste: false };
