import type { ReactNode } from 'react';

interface StatusBarItemProps {
  title: string;
  onClick?: () => void;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/** One clickable entry of the status bar. */
export function StatusBarItem({ title, onClick, className, testId, children }: StatusBarItemProps) {
  return (
    <button
      type="button"
      className={['status-bar__item', className ?? ''].filter(Boolean).join(' ')}
      title={title}
      aria-label={title.split('\n')[0]}
      onClick={onClick}
      data-testid={testId}
    >
      {children}
    </button>
  );
}
