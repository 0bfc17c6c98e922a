// Pure helpers of the attribution views: strengths, colours, contributor labels and the matching
// text inside a record. No React here, so the heatmap's arithmetic is tested on its own.
import type { AttributedSpan, AttributedToken, ContributorShare, ResponseAttribution } from '../../../main/api/attributionSchemas';
import { DEMO_CONTRIBUTOR_ADDRESSES } from '../../../main/api/constants';
import { devAccountIndex } from '../chain/devAccounts';

/** A token's attribution strength before normalising: its best record's combined score. */
export function rawStrength(token: AttributedToken): number {
  return token.attribution.records.reduce((m, r) => Math.max(m, r.score), 0);
}

/** Every token's strength in [0, 1], relative to the response's strongest token (all 0 when no
 * token has evidence), so the heatmap uses its whole range on any response. */
export function tokenStrengths(result: Pick<ResponseAttribution, 'tokens'>): number[] {
  const raw = result.tokens.map(rawStrength);
  const max = Math.max(0, ...raw);
  return raw.map((s) => (max > 0 ? s / max : 0));
}

/** A strength as a heat colour: none at 0, pale amber through orange to deep red at 1. The alpha
 * grows with it too, so the text stays readable on both themes. */
export function strengthColor(strength: number): string | undefined {
  if (!(strength > 0)) return undefined;
  const x = Math.min(1, strength);
  return `hsla(${Math.round(45 - 40 * x)}, 95%, ${Math.round(58 - 12 * x)}%, ${(0.18 + 0.67 * x).toFixed(2)})`;
}

/** The contributor whose records carry most of a token's score, or null without evidence. */
export function topContributor(token: AttributedToken): string | null {
  const sums = new Map<string, number>();
  for (const r of token.attribution.records) sums.set(r.contributor, (sums.get(r.contributor) ?? 0) + r.score);
  let best: string | null = null;
  let bestScore = 0;
  for (const [address, score] of sums) {
    if (score > bestScore) {
      best = address;
      bestScore = score;
    }
  }
  return best;
}

/** A token's contributors: each one's summed record scores as a share of the token's total,
 * highest first (what presenter mode shows beside the token). */
export function tokenContributors(token: AttributedToken): { address: string; share: number }[] {
  const sums = new Map<string, number>();
  for (const r of token.attribution.records) sums.set(r.contributor, (sums.get(r.contributor) ?? 0) + r.score);
  const total = [...sums.values()].reduce((a, b) => a + b, 0);
  if (!(total > 0)) return [];
  return [...sums].map(([address, sum]) => ({ address, share: sum / total })).sort((a, b) => b.share - a.share);
}

/** Colour-blind-safe colours (Okabe and Ito's palette) for the response's contributors, by rank. */
export const CONTRIBUTOR_COLORS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#9AD0A8'] as const;
/** Contributors beyond the palette, and those under the threshold, share one grey. */
export const OTHER_COLOR = '#8C8C8C';

/** Each contributor's colour: the ranked contributors (after the threshold) first, then the
 * dropped ones and any other contributor a token names, all beyond the palette grey. */
export function contributorColors(result: Pick<ResponseAttribution, 'contributors' | 'threshold' | 'tokens'>): Map<string, string> {
  const colors = new Map<string, string>();
  result.contributors.forEach((c, i) => colors.set(c.address, CONTRIBUTOR_COLORS[i] ?? OTHER_COLOR));
  for (const d of result.threshold.dropped) if (!colors.has(d.address)) colors.set(d.address, OTHER_COLOR);
  for (const t of result.tokens) for (const r of t.attribution.records) if (!colors.has(r.contributor)) colors.set(r.contributor, OTHER_COLOR);
  return colors;
}

/** A hex colour with an alpha, for a token's background in "by contributor" mode. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** The index of a demo contributor (its public dev-only key labels it), or null. */
export function demoContributorIndex(address: string): number | null {
  const lower = address.toLowerCase();
  const i = DEMO_CONTRIBUTOR_ADDRESSES.findIndex((a) => a.toLowerCase() === lower);
  return i < 0 ? null : i;
}

/** What a contributor is called on screen: a demo contributor's or dev account's label, else
 * the shortened address (the full one goes in the title). */
export function contributorLabel(address: string): { text: string; demo: boolean } {
  const demo = demoContributorIndex(address);
  if (demo !== null) return { text: `Demo contributor #${demo + 1}`, demo: true };
  const dev = devAccountIndex(address);
  if (dev !== null) return { text: `dev account #${dev}`, demo: true };
  return { text: shortAddress(address), demo: false };
}

export const formatShare = (share: number) => `${(100 * share).toFixed(share > 0 && share < 0.001 ? 2 : 1)}%`;
export const formatBps = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)}%`;
export const formatScore = (score: number | null) => (score === null ? '–' : score.toFixed(score !== 0 && Math.abs(score) < 0.01 ? 4 : 3));

export interface TextSegment {
  text: string;
  mark: boolean;
}

/**
 * A record's text split so that every occurrence of `needle` is marked (the span the response
 * shares with it). Tokens often carry their leading space, so the needle is trimmed; an empty or
 * absent needle marks nothing.
 */
export function highlightSegments(text: string, needle: string | null): TextSegment[] {
  const n = needle?.trim() ?? '';
  if (n === '') return [{ text, mark: false }];
  const out: TextSegment[] = [];
  let at = 0;
  for (let i = text.indexOf(n); i >= 0; i = text.indexOf(n, i + n.length)) {
    if (i > at) out.push({ text: text.slice(at, i), mark: false });
    out.push({ text: n, mark: true });
    at = i + n.length;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** The spans covering each token (response spans, rarest-ranked first as the core sends them),
 * so a token knows it is underlined and which span it belongs to. */
export function spansByToken(result: Pick<ResponseAttribution, 'tokens' | 'spans'>): AttributedSpan[][] {
  const by: AttributedSpan[][] = result.tokens.map(() => []);
  for (const s of result.spans) for (let i = s.start; i < Math.min(s.end, by.length); i++) by[i]!.push(s);
  return by;
}

/** The text a token's evidence is about: its span's text when it has one, else the token. */
export function evidenceText(token: AttributedToken): string {
  return token.attribution.span?.text ?? token.text;
}

/** The next token to show when stepping (presenter mode): clamped to the response. */
export function stepToken(current: number, key: string, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowRight') return Math.min(count - 1, current + 1);
  if (key === 'ArrowLeft') return Math.max(0, current - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

/** The next token that has evidence, in a direction (Shift+arrows in presenter mode skip the
 * unattributed ones), or null when there is none that way. */
export function nextAttributed(result: Pick<ResponseAttribution, 'tokens'>, from: number, direction: 1 | -1): number | null {
  for (let i = from + direction; i >= 0 && i < result.tokens.length; i += direction) if (result.tokens[i]!.attribution.records.length > 0) return i;
  return null;
}

/** Shares for the chart: the kept contributors and, greyed after them, the dropped ones. */
export function chartRows(result: Pick<ResponseAttribution, 'contributors' | 'threshold'>): { address: string; share: number; dropped: boolean }[] {
  return [
    ...result.contributors.map((c: ContributorShare) => ({ ...c, dropped: false })),
    ...result.threshold.dropped.map((c: ContributorShare) => ({ ...c, dropped: true })),
  ];
}
