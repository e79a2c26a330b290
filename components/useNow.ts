import { useEffect, useState } from 'react';

/** The current time, updated every `intervalMs`: for "updated 3s ago" style labels. */
export function useNow(intervalMs: number, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [intervalMs, clock]);
  return now;
}
