import type { AppStore } from './store.js';

/** Refreshes now and then every `intervalMs`; returns the function that stops it. */
export function startAutoRefresh(store: AppStore, intervalMs: number): () => void {
  void store.getState().refresh();
  const timer = setInterval(() => void store.getState().refresh(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
