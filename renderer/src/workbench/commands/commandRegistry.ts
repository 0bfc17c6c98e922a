import { type KeyEventLike, matchesKeybinding, parseKeybinding } from './keybinding';

/**
 * Every action the workbench offers is a command here: the palette lists them all, keybindings
 * dispatch through them, menus and buttons call them by id. Plain data and functions, no React.
 */
export interface Command {
  id: string;
  title: string;
  category: string;
  /** "Mod+Shift+P" style; see keybinding.ts. */
  keybinding?: string;
  /** A codicon name, shown in the palette. */
  icon?: string;
  /** When it returns false the command is hidden from the palette and keys do not fire it. */
  enabled?: () => boolean;
  /**
   * Whether its keybinding also fires while focus is inside a text editor (Monaco) or an
   * input. Defaults to false so typing is never stolen; global ones (palette) set it.
   */
  globalKey?: boolean;
  run: () => unknown;
}

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();

  register(command: Command): () => void {
    if (this.commands.has(command.id)) throw new Error(`Command "${command.id}" is registered twice`);
    if (command.keybinding) parseKeybinding(command.keybinding, false);
    this.commands.set(command.id, command);
    return () => {
      if (this.commands.get(command.id) === command) this.commands.delete(command.id);
    };
  }

  get(id: string): Command | undefined {
    return this.commands.get(id);
  }

  /** Every command, by category then title; the palette shows this list. */
  list(): Command[] {
    return [...this.commands.values()].sort(
      (a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title),
    );
  }

  /** Enabled commands only. */
  available(): Command[] {
    return this.list().filter((c) => c.enabled?.() ?? true);
  }

  async run(id: string): Promise<void> {
    const command = this.commands.get(id);
    if (!command) throw new Error(`No command "${id}"`);
    if (command.enabled && !command.enabled()) return;
    await command.run();
  }

  /** The enabled command bound to this key event, if any. */
  findByKey(event: KeyEventLike, isMac: boolean, inTextInput: boolean): Command | undefined {
    for (const command of this.commands.values()) {
      if (!command.keybinding) continue;
      if (inTextInput && !command.globalKey) continue;
      if (command.enabled && !command.enabled()) continue;
      if (matchesKeybinding(parseKeybinding(command.keybinding, isMac), event)) return command;
    }
    return undefined;
  }
}

/** Palette label, "Category: Title" as in VS Code. */
export function commandLabel(command: Command): string {
  return `${command.category}: ${command.title}`;
}
