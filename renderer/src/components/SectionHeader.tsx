import type { ReactNode } from 'react';

/** A collapsible-looking section title inside a side bar view ("WORKSPACES"). */
export function SectionHeader({ title, count, children }: { title: string; count?: number; children?: ReactNode }) {
  return (
    <div className="section-header">
      <span className="section-header__title">{title}</span>
      {count !== undefined ? <span className="badge">{count}</span> : null}
      {children ? <span className="section-header__actions">{children}</span> : null}
    </div>
  );
}
