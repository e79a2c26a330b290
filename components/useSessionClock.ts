import { useLayoutEffect, useState } from 'react';
import type { Overlay, PanePainter } from '../src/session/pane-painter.js';
import { formatDuration } from './duration.js';

const TICK_MS = 1000;

interface ClockOptions {
  painter: PanePainter | null;
  startedAt: number;
  /** False once the session ended: its duration no longer changes. */
  live: boolean;
  /** Where the elapsed time starts on the terminal, and its style, as the header draws it. */
  place: Omit<Overlay, 'text'>;
  /** Whether the header shows this elapsed text whole (not cut by the terminal's width). */
  fits: (text: string) => boolean;
  clock?: () => number;
}

/**
 * The time the header shows its elapsed time for. Once a second the header's clock must
 * change: with a painter, only its cells are drawn (an Ink render of the whole screen took
 * 3-5 ms each second, and delayed the keys typed meanwhile); the returned time, and so Ink's
 * frame, changes only when the new text would not fit the same cells. Without a painter
 * (tests), Ink draws each second's text.
 */
export function useSessionClock({ painter, startedAt, live, place, fits, clock = Date.now }: ClockOptions): number {
  const [now, setNow] = useState(clock);
  const { row, col, style } = place;
  // A layout effect: its clean-up takes the overlay away before Ink draws what replaces it
  // (the picker after a detach, the ended session's header), which the painter would paint it over.
  useLayoutEffect(() => {
    if (!live) return;
    const rendered = formatDuration(now - startedAt);
    const paint = (text: string): boolean => {
      if (painter === null || text.length !== rendered.length || !fits(text)) return false;
      painter.setOverlay({ row, col, style, text });
      return true;
    };
    // Ink may have drawn an older time just now (a resize keeps the last `now`): the right one goes over it.
    paint(formatDuration(clock() - startedAt));
    const timer = setInterval(() => {
      const t = clock();
      if (paint(formatDuration(t - startedAt))) return;
      painter?.setOverlay(null);
      setNow(t);
    }, TICK_MS);
    timer.unref?.();
    return () => {
      clearInterval(timer);
      painter?.setOverlay(null);
    };
  }, [painter, startedAt, live, now, row, col, style, fits, clock]);
  return now;
}
