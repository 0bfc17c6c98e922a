import { describe, expect, it } from 'vitest';
import { CommandRegistry, commandLabel } from './commandRegistry';

const ev = (key: string, ctrl = false, shift = false) => ({ key, ctrlKey: ctrl, shiftKey: shift, altKey: false, metaKey: false });

describe('CommandRegistry', () => {
  it('lists every command by category, then title', () => {
    const r = new CommandRegistry();
    r.register({ id: 'b', title: 'Zeta', category: 'View', run: () => {} });
    r.register({ id: 'a', title: 'Alpha', category: 'View', run: () => {} });
    r.register({ id: 'c', title: 'Save', category: 'File', run: () => {} });
    expect(r.list().map((c) => c.id)).toEqual(['c', 'a', 'b']);
    expect(commandLabel(r.get('c')!)).toBe('File: Save');
  });

  it('refuses a second command with the same id', () => {
    const r = new CommandRegistry();
    r.register({ id: 'x', title: 'X', category: 'T', run: () => {} });
    expect(() => r.register({ id: 'x', title: 'X', category: 'T', run: () => {} })).toThrow(/twice/);
  });

  it('refuses a malformed keybinding when registered, not when pressed', () => {
    const r = new CommandRegistry();
    expect(() => r.register({ id: 'x', title: 'X', category: 'T', keybinding: 'Ctrl+', run: () => {} })).toThrow();
  });

  it('runs commands and skips disabled ones', async () => {
    const r = new CommandRegistry();
    const ran: string[] = [];
    r.register({ id: 'on', title: 'On', category: 'T', run: () => ran.push('on') });
    r.register({ id: 'off', title: 'Off', category: 'T', enabled: () => false, run: () => ran.push('off') });
    await r.run('on');
    await r.run('off');
    expect(ran).toEqual(['on']);
    expect(r.available().map((c) => c.id)).toEqual(['on']);
    await expect(r.run('nope')).rejects.toThrow(/No command/);
  });

  it('finds the command for a key, leaving text fields alone unless the command is global', () => {
    const r = new CommandRegistry();
    r.register({ id: 'palette', title: 'P', category: 'T', keybinding: 'Mod+Shift+P', globalKey: true, run: () => {} });
    r.register({ id: 'f1', title: 'F1', category: 'T', keybinding: 'F1', run: () => {} });
    expect(r.findByKey(ev('P', true, true), false, true)?.id).toBe('palette');
    expect(r.findByKey(ev('F1'), false, false)?.id).toBe('f1');
    expect(r.findByKey(ev('F1'), false, true)).toBeUndefined();
    expect(r.findByKey(ev('q', true), false, false)).toBeUndefined();
  });

  it('unregisters', () => {
    const r = new CommandRegistry();
    const dispose = r.register({ id: 'x', title: 'X', category: 'T', run: () => {} });
    dispose();
    expect(r.get('x')).toBeUndefined();
  });
});
