import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { StoreContext, ThemeContext } from '../../components/StoreContext.js';
import { makeTheme } from '../../components/theme.js';
import type { Fleet } from '../../src/heroku/source.js';
import { createAppStore, type AppStore } from '../../src/store/store.js';
import { fakeServices, FakeSource } from '../helpers/fixtures.js';

export async function storeWith(fleet?: Fleet): Promise<AppStore> {
  const store = createAppStore(fakeServices(new FakeSource(fleet), () => Date.now()));
  await store.getState().refresh();
  return store;
}

export function renderWith(store: AppStore, node: ReactElement, color = false) {
  return render(
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={makeTheme(color)}>{node}</ThemeContext.Provider>
    </StoreContext.Provider>,
  );
}

/** Lets React and Ink commit what a store change scheduled. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));
