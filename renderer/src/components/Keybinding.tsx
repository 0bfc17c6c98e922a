import { formatKeybinding, isMacPlatform } from '../workbench/commands/keybinding';

const isMac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

/** A keybinding as key caps: "Ctrl" "Shift" "P". */
export function Keybinding({ binding }: { binding: string }) {
  const label = formatKeybinding(binding, isMac);
  const parts = isMac ? [label] : label.split('+');
  return (
    <span className="keybinding" aria-label={label}>
      {parts.map((p, i) => (
        <kbd key={i}>{p}</kbd>
      ))}
    </span>
  );
}

export function keybindingLabel(binding: string | undefined): string {
  return binding ? formatKeybinding(binding, isMac) : '';
}

export { isMac };
