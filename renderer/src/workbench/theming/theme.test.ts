import { describe, expect, it } from 'vitest';
import { loadTheme, monacoThemeFor, otherTheme, saveTheme, THEME_STORAGE_KEY } from './theme';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe('theme', () => {
  it('remembers the chosen theme', () => {
    const s = memory();
    saveTheme(s, 'light');
    expect(s.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(loadTheme(s, false)).toBe('light');
  });

  it('falls back to the OS preference, then dark, ignoring junk', () => {
    const s = memory();
    s.setItem(THEME_STORAGE_KEY, 'purple');
    expect(loadTheme(s, true)).toBe('light');
    expect(loadTheme(undefined, false)).toBe('dark');
  });

  it('survives storage that throws', () => {
    expect(() =>
      saveTheme({ getItem: () => null, setItem: () => { throw new Error('quota'); } }, 'dark'),
    ).not.toThrow();
  });

  it('pairs with Monaco themes', () => {
    expect(monacoThemeFor('dark')).toBe('vs-dark');
    expect(monacoThemeFor(otherTheme('dark'))).toBe('vs');
  });
});
