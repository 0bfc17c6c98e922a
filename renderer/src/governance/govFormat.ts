import type { GovParam, ProposalState } from '../../../main/api/governanceSchemas';
import type { BadgeTone } from '../components/Badge';

/** Basis points as the view shows them: "250 bps · 2.50%". */
export function formatBps(bps: number): string {
  return `${bps.toLocaleString('en-US')} bps · ${(bps / 100).toFixed(2)}%`;
}

/** Each proposal state's badge: the words are the governor's, the colour never stands alone. */
export const STATE_BADGE: Record<ProposalState, { tone: BadgeTone; icon: string }> = {
  pending: { tone: 'muted', icon: 'clock' },
  active: { tone: 'info', icon: 'pulse' },
  canceled: { tone: 'muted', icon: 'circle-slash' },
  defeated: { tone: 'error', icon: 'thumbsdown' },
  succeeded: { tone: 'ok', icon: 'thumbsup' },
  queued: { tone: 'warning', icon: 'watch' },
  expired: { tone: 'muted', icon: 'history' },
  executed: { tone: 'ok', icon: 'pass-filled' },
};

/** The proposal form's parameter picker, with each parameter's field from gov.params. */
export const PARAM_CHOICES: { param: GovParam; label: string; unit: 'bps' | 'address' }[] = [
  { param: 'attributionThreshold', label: 'Attribution threshold', unit: 'bps' },
  { param: 'contributorFee', label: 'Contributor fee share', unit: 'bps' },
  { param: 'modelOwnerFee', label: 'Model owner fee share', unit: 'bps' },
  { param: 'slashRatio', label: 'Slash ratio (treasury share)', unit: 'bps' },
  { param: 'treasury', label: 'Treasury address', unit: 'address' },
];

/** Seconds as "1 min 5 s". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(m / 60);
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** A share of the votes cast, for the tally bar (0 when nothing was cast). */
export function share(part: string, ...all: string[]): number {
  const total = all.reduce((sum, v) => sum + BigInt(v), 0n);
  if (total === 0n) return 0;
  return Number((BigInt(part) * 10_000n) / total) / 100;
}
