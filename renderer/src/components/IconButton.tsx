import type { MouseEvent } from 'react';
import { Codicon } from './Codicon';

interface IconButtonProps {
  icon: string;
  label: string;
  onClick: (e: MouseEvent<HTMLButtonElement>) => void;
  disabled?: boolean;
  spin?: boolean;
  tabIndex?: number;
}

/** A toolbar button that is only an icon; the label is its accessible name and tooltip. */
export function IconButton({ icon, label, onClick, disabled, spin, tabIndex }: IconButtonProps) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={onClick} disabled={disabled} tabIndex={tabIndex}>
      <Codicon name={icon} spin={spin ?? false} />
    </button>
  );
}
