import { useEffect } from 'react';
import { commands } from './registry';
import { reportError } from '../toastStore';
import { workbenchStore } from '../workbenchStore';
import { isMac } from '../../components/Keybinding';

function inTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, .monaco-editor') !== null;
}

/**
 * One keydown listener, in the capture phase so workbench keys (the palette, Ctrl+S) win over
 * Monaco's; commands without `globalKey` stay out of text fields.
 */
export function useGlobalKeybindings(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.repeat && !e.ctrlKey && !e.metaKey) return;
      if (workbenchStore.getState().palette && e.key !== 'Escape') {
        // Keys inside the palette belong to it; only its own toggle applies.
        const toggle = commands.findByKey(e, isMac, true);
        if (toggle?.id !== 'workbench.commandPalette') return;
      }
      const command = commands.findByKey(e, isMac, inTextInput(e.target));
      if (!command) return;
      e.preventDefault();
      e.stopPropagation();
      commands.run(command.id).catch((err: unknown) => reportError(err, command.title));
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
