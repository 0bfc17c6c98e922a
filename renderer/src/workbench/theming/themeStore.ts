import { createStore } from 'zustand/vanilla';
import { loadTheme, otherTheme, saveTheme, type Theme } from './theme';
import { browserStorage as storage } from '../../base/browserStorage';

export interface ThemeStore {
  theme: Theme;
  setTheme(theme: Theme): void;
  toggle(): void;
}

const prefersLight = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches;

/** The theme lives on <html data-theme>; CSS variables and Monaco follow it. */
export const themeStore = createStore<ThemeStore>()((set, get) => ({
  theme: loadTheme(storage(), prefersLight),
  setTheme(theme) {
    saveTheme(storage(), theme);
    set({ theme });
  },
  toggle() {
    get().setTheme(otherTheme(get().theme));
  },
}));
