import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../src/store/store.js';
import { makeTheme, type Theme } from './theme.js';

export const StoreContext = createContext<AppStore | null>(null);
export const ThemeContext = createContext<Theme>(makeTheme(true));

export function useAppStore<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useAppStore needs a StoreContext provider');
  return useStore(store, selector);
}

export function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useStoreApi needs a StoreContext provider');
  return store;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
