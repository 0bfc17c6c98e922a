import type { KeyValueStore } from '../../base/keyValueStore';

export type Theme = 'dark' | 'light';

export const THEME_STORAGE_KEY = 'studio.theme';


/** The remembered theme; otherwise what the OS prefers; otherwise dark. */
export function loadTheme(storage: KeyValueStore | undefined, prefersLight: boolean): Theme {
  const saved = storage?.getItem(THEME_STORAGE_KEY);
  if (saved === 'dark' || saved === 'light') return saved;
  return prefersLight ? 'light' : 'dark';
}

export function saveTheme(storage: KeyValueStore | undefined, theme: Theme): void {
  try {
    storage?.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage can be full or disabled (private windows); the theme still applies for this session.
  }
}

export function otherTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark';
}

/** Monaco's built-in theme that matches. */
export function monacoThemeFor(theme: Theme): 'vs' | 'vs-dark' {
  return theme === 'dark' ? 'vs-dark' : 'vs';
}
