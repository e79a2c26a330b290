import { createContext, useContext } from 'react';
import type { PanePainter } from '../src/session/pane-painter.js';

/**
 * The painter that draws a session's screen straight onto the terminal. Null (tests,
 * ink-testing-library) draws it through Ink from the store's frame instead.
 */
export const PaneContext = createContext<PanePainter | null>(null);

export function usePanePainter(): PanePainter | null {
  return useContext(PaneContext);
}
