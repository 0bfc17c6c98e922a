import type { AppInfo, CapabilityStatus } from '../../../main/api/schemas';

/**
 * What a capability's view will do and what it waits for, shown by its empty state while this
 * build does not have the view (and, for the chain, as its overview). Words only: no sample
 * data. Each domain registers its own (see its *Contribution file).
 */
export interface CapabilityOverview {
  title: string;
  summary: string;
  /** The side bar's headline while there is nothing to show. */
  emptyTitle: string;
  /** What the finished view lets people do, one line each. */
  will: string[];
  /** Which part of app.info tells whether it can run. */
  dependsOn: 'engine' | 'chain' | null;
  /** Said while the view itself is not built, whatever the state of what it depends on. */
  missing: string;
}

/** The status line for a capability: from app.info where the core reports one. */
export function capabilityStatus(overview: CapabilityOverview, info: AppInfo | null): CapabilityStatus | null {
  const dep = overview.dependsOn;
  if (!info || !dep) return null;
  return info[dep];
}
