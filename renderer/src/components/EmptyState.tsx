import type { ReactNode } from 'react';
import { Codicon } from './Codicon';

interface EmptyStateProps {
  icon: string;
  title: string;
  children?: ReactNode;
  compact?: boolean;
}

/** What a view will show, and why it is empty now; never stand-in data. */
export function EmptyState({ icon, title, children, compact }: EmptyStateProps) {
  return (
    <div className={compact ? 'empty-state empty-state--compact' : 'empty-state'}>
      <Codicon name={icon} className="empty-state__icon" />
      <div className="empty-state__title">{title}</div>
      {children ? <div className="empty-state__body">{children}</div> : null}
    </div>
  );
}
