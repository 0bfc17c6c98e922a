import type { CapabilityStatus } from '../api/schemas';

/**
 * What this build can do, told honestly to the status bar. Capabilities that have not landed
 * say so; they replace these functions when they do.
 */
export function engineStatus(): CapabilityStatus {
  return {
    state: 'unavailable',
    label: 'Engine: not in this build',
    detail: 'The native training and inference engine is not part of this build yet.',
  };
}

export function chainStatus(): CapabilityStatus {
  return {
    state: 'unavailable',
    label: 'Chain: not in this build',
    detail: 'The local OP Stack devnet and protocol contracts are not part of this build yet.',
  };
}
