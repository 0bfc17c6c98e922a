import fs from 'node:fs';
import path from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';

interface SavedState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT: SavedState = { bounds: { x: 0, y: 0, width: 1400, height: 900 }, maximized: false };

/**
 * Remembers the window's size and position in userData. A saved position that no longer lies on
 * any display (a monitor was unplugged) is dropped so the window never opens off-screen.
 */
export function loadWindowState(userData: string): SavedState & { file: string } {
  const file = path.join(userData, 'window-state.json');
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedState;
    const b = saved.bounds;
    const visible = screen.getAllDisplays().some((d) => {
      const w = d.workArea;
      return b.x < w.x + w.width && b.x + b.width > w.x && b.y < w.y + w.height && b.y + b.height > w.y;
    });
    if (b.width >= 400 && b.height >= 300) return { file, maximized: !!saved.maximized, bounds: visible ? b : { ...DEFAULT.bounds, width: b.width, height: b.height } };
  } catch {
    // First start or unreadable file: defaults.
  }
  return { file, ...DEFAULT };
}

export function trackWindowState(win: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const state: SavedState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, file);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
