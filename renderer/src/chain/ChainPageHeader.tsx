import type { ReactNode } from 'react';
import { Codicon } from '../components/Codicon';

/** The title block of an explorer tab, with its actions on the right. */
export function ChainPageHeader({ icon, title, subtitle, children }: { icon: string; title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page__header explorer__header">
      <Codicon name={icon} className="page__icon" />
      <div className="explorer__heading">
        <h1 className="page__title">{title}</h1>
        {subtitle ? <p className="page__subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="explorer__actions">{children}</div> : null}
    </header>
  );
}
