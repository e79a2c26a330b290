/**
 * A scheduler for background work that must not compete with the user: a step runs once
 * nothing has changed for `quietMs` (`lastChangeAt` says when something last did), checked
 * again after each wait. Its timers are unref'd: they never keep the process running.
 */
export function whenQuietFor(quietMs: number, lastChangeAt: () => number, clock: () => number = () => performance.now()): (step: () => void) => void {
  return (step) => {
    const attempt = (): void => {
      const quietFor = clock() - lastChangeAt();
      if (quietFor >= quietMs) step();
      else setTimeout(attempt, quietMs - quietFor).unref();
    };
    setTimeout(attempt, 0).unref();
  };
}
