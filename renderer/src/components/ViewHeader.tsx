import type { ReactNode } from 'react';

/** A side bar view's title row ("ARTIFACTS") with its action buttons on the right. */
export function ViewHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="view-header">
      <h2 className="view-header__title">{title}</h2>
      {children ? <div className="view-header__actions">{children}</div> : null}
    </header>
  );
}
