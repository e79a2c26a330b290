// Process groups of heroku CLI calls still running (listings, logs, restarts). The CLI may be
// a shell script that does not exec node (the standalone install), so a whole group is
// signalled, never one pid; detached children outlive dynotty unless told.

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Signals a whole process group; one already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Remembers a group so that dynotty's exit ends it, whatever the exit path. */
export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
  });
}

/** The group has ended (or is being ended by its owner). */
export function forgetGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

export function isTracked(pgid: number): boolean {
  return liveGroups.has(pgid);
}
