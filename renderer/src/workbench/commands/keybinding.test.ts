import { describe, expect, it } from 'vitest';
import { formatKeybinding, matchesKeybinding, parseKeybinding } from './keybinding';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}, code?: string) => ({
  key: k,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
  ...(code ? { code } : {}),
});

describe('keybindings', () => {
  it('maps Mod to Ctrl off macOS and to Cmd on macOS', () => {
    expect(parseKeybinding('Mod+Shift+P', false)).toEqual({ ctrl: true, shift: true, alt: false, meta: false, key: 'p' });
    expect(parseKeybinding('Mod+Shift+P', true)).toEqual({ ctrl: false, shift: true, alt: false, meta: true, key: 'p' });
  });

  it('matches exactly the modifiers named', () => {
    const chord = parseKeybinding('Mod+Shift+P', false);
    expect(matchesKeybinding(chord, key('P', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeybinding(chord, key('p', { ctrlKey: true }))).toBe(false);
    expect(matchesKeybinding(chord, key('P', { ctrlKey: true, shiftKey: true, altKey: true }))).toBe(false);
  });

  it('matches shifted digits by their physical key', () => {
    const chord = parseKeybinding('Mod+Shift+2', false);
    expect(matchesKeybinding(chord, key('@', { ctrlKey: true, shiftKey: true }, 'Digit2'))).toBe(true);
    expect(matchesKeybinding(chord, key('#', { ctrlKey: true, shiftKey: true }, 'Digit3'))).toBe(false);
  });

  it('matches named keys and punctuation', () => {
    expect(matchesKeybinding(parseKeybinding('F1', false), key('F1'))).toBe(true);
    expect(matchesKeybinding(parseKeybinding('Mod+,', false), key(',', { ctrlKey: true }))).toBe(true);
    expect(matchesKeybinding(parseKeybinding('Mod+PageDown', false), key('PageDown', { ctrlKey: true }))).toBe(true);
  });

  it('formats for people, per platform', () => {
    expect(formatKeybinding('Mod+Shift+P', false)).toBe('Ctrl+Shift+P');
    expect(formatKeybinding('Mod+Shift+P', true)).toBe('⇧⌘P');
    expect(formatKeybinding('Mod+PageDown', false)).toBe('Ctrl+PageDown');
  });

  it('refuses a binding without a key', () => {
    expect(() => parseKeybinding('Ctrl+Shift', false)).toThrow(/names no key/);
  });
});
