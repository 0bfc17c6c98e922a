import { type KeyboardEvent, useCallback } from 'react';

/**
 * Arrow keys, Home and End move focus between the list's `[data-list-item]` elements; Enter
 * and Space activate them through their click handler. One tab stop per list, as in VS Code.
 */
export function useListKeys() {
  return useCallback((e: KeyboardEvent<HTMLElement>) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-list-item]')];
    if (items.length === 0) return;
    const index = items.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && index >= 0) {
      items[index]!.click();
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    for (const [i, item] of items.entries()) item.tabIndex = i === next ? 0 : -1;
    items[next]?.focus();
  }, []);
}
