import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../../../../main/api/menuCommands';
import { CHAIN_SECTIONS } from '../../chain/chainViews';
import { commandLabel } from './commandRegistry';
import { parseKeybinding } from './keybinding';
import { commands } from './registry';
import { registerContributions } from '../../contributions';

registerContributions();

describe('workbench commands', () => {
  it('has every command the Electron menu sends (main/api/menuCommands.ts)', () => {
    for (const id of Object.values(MENU_COMMANDS)) {
      expect(commands.get(id), id).toBeDefined();
    }
  });

  it('gives every command a title and a category, and no two the same key', () => {
    const seen = new Map<string, string>();
    for (const c of commands.list()) {
      expect(c.title.length, c.id).toBeGreaterThan(0);
      expect(c.category.length, c.id).toBeGreaterThan(0);
      if (!c.keybinding) continue;
      const key = JSON.stringify(parseKeybinding(c.keybinding, false));
      expect(seen.get(key), `${c.id} and ${seen.get(key)} share ${c.keybinding}`).toBeUndefined();
      seen.set(key, c.id);
    }
  });

  it('offers a command for every activity', () => {
    for (const id of ['workspace', 'datanets', 'factory', 'playground', 'chain', 'artifacts']) {
      expect(commands.get(`workbench.view.${id}`)).toBeDefined();
    }
  });

  it('offers the chain explorer and devnet actions in the palette', () => {
    for (const section of CHAIN_SECTIONS) expect(commandLabel(commands.get(section.command)!)).toBe(`Chain: Open ${section.title}`);
    for (const id of ['chain.snapshot', 'chain.revertLatest', 'chain.reset', 'chain.events.togglePause', 'chain.events.clear']) {
      expect(commands.get(id), id).toBeDefined();
    }
    expect(commandLabel(commands.get('chain.reset')!)).toBe('Chain: Reset Devnet…');
  });
});
