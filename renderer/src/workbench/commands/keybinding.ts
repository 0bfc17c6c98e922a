/**
 * Keybindings as plain strings ("Mod+Shift+P"): `Mod` is Cmd on macOS and Ctrl elsewhere, so
 * one table serves every platform. Parsing, matching and display are pure for unit tests.
 */
export interface KeyChord {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  /** Lower-case `KeyboardEvent.key` ("p", ",", "escape", "f1"). */
  key: string;
}

/** The fields of a KeyboardEvent that matching needs; tests pass plain objects. */
export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** Physical key ("Digit1", "KeyP"): Shift+1 reports key "!" on a US layout, code "Digit1". */
  code?: string;
}

export function parseKeybinding(binding: string, isMac: boolean): KeyChord {
  const chord: KeyChord = { ctrl: false, shift: false, alt: false, meta: false, key: '' };
  for (const raw of binding.split('+')) {
    const part = raw.trim().toLowerCase();
    if (part === 'mod') {
      if (isMac) chord.meta = true;
      else chord.ctrl = true;
    } else if (part === 'ctrl') chord.ctrl = true;
    else if (part === 'shift') chord.shift = true;
    else if (part === 'alt') chord.alt = true;
    else if (part === 'cmd' || part === 'meta') chord.meta = true;
    else chord.key = part;
  }
  if (!chord.key) throw new Error(`Keybinding "${binding}" names no key`);
  return chord;
}

function keyMatches(key: string, event: KeyEventLike): boolean {
  if (event.key.toLowerCase() === key) return true;
  if (!event.code) return false;
  if (/^[0-9]$/.test(key)) return event.code === `Digit${key}`;
  if (/^[a-z]$/.test(key)) return event.code === `Key${key.toUpperCase()}`;
  return false;
}

export function matchesKeybinding(chord: KeyChord, event: KeyEventLike): boolean {
  return (
    chord.ctrl === event.ctrlKey &&
    chord.shift === event.shiftKey &&
    chord.alt === event.altKey &&
    chord.meta === event.metaKey &&
    keyMatches(chord.key, event)
  );
}

const MAC_SYMBOLS: Record<string, string> = { ctrl: '⌃', alt: '⌥', shift: '⇧', meta: '⌘' };

function keyLabel(key: string): string {
  if (key.length === 1) return key.toUpperCase();
  if (key === 'pagedown') return 'PageDown';
  if (key === 'pageup') return 'PageUp';
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** "Ctrl+Shift+P" on Linux and Windows, "⇧⌘P" on macOS, as VS Code shows them. */
export function formatKeybinding(binding: string, isMac: boolean): string {
  const c = parseKeybinding(binding, isMac);
  if (isMac) {
    const mods = (['ctrl', 'alt', 'shift', 'meta'] as const).filter((m) => c[m]).map((m) => MAC_SYMBOLS[m]);
    return mods.join('') + keyLabel(c.key);
  }
  const mods: string[] = [];
  if (c.ctrl) mods.push('Ctrl');
  if (c.shift) mods.push('Shift');
  if (c.alt) mods.push('Alt');
  if (c.meta) mods.push('Meta');
  return [...mods, keyLabel(c.key)].join('+');
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}
