import { workbenchStore } from '../workbench/workbenchStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    governance: { section?: GovSection };
  }
}

export type GovSection = 'parameters' | 'power' | 'propose' | 'proposals';

/** The Governance tab (one per window), scrolled to `section` when given. */
export function openGovernance(section?: GovSection): void {
  workbenchStore.getState().openTab({ id: 'governance', title: 'Governance', icon: 'law', input: { kind: 'governance', ...(section ? { section } : {}) } });
}
