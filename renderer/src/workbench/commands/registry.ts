import { CommandRegistry } from './commandRegistry';

/** The workbench's one command registry: palette, keybindings and buttons all go through it. */
export const commands = new CommandRegistry();
