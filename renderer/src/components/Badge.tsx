import { Codicon } from './Codicon';

export type BadgeTone = 'ok' | 'error' | 'warning' | 'info' | 'muted';

/** A status word with its icon and colour ("success", "reverted", "lost"); never colour alone. */
export function Badge({ tone, icon, children, title }: { tone: BadgeTone; icon: string; children: string; title?: string }) {
  return (
    <span className={`status-badge status-badge--${tone}`} title={title} data-tone={tone}>
      <Codicon name={icon} />
      {children}
    </span>
  );
}
