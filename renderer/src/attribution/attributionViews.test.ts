import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AttributedToken, RecordScore, ResponseAttribution } from '../../../main/api/attributionSchemas';
import { DEMO_CONTRIBUTOR_ADDRESSES } from '../../../main/api/constants';
import { AttributionHeatmap } from './AttributionHeatmap';
import {
  chartRows,
  contributorColors,
  contributorLabel,
  CONTRIBUTOR_COLORS,
  highlightSegments,
  nextAttributed,
  OTHER_COLOR,
  spansByToken,
  stepToken,
  strengthColor,
  tokenStrengths,
  tokenContributors,
  topContributor,
} from './attributionFormat';
import { ContributorChart, evidenceLine } from './ContributorChart';
import { RecordTextView, TokenEvidence } from './TokenEvidence';

// TEST FIXTURE: a hand-built attribution response (three contributors, one dropped under the
// threshold, one span). It exists only in this test; the app shows what the core answers.
const ALICE = DEMO_CONTRIBUTOR_ADDRESSES[0];
const BOB = DEMO_CONTRIBUTOR_ADDRESSES[1];
const CAROL = '0x1111111111111111111111111111111111111111';

const rec = (record: string, contributor: string, score: number, spanScore = score, gradientScore: number | null = null): RecordScore => ({ record, contributor, score, spanScore, gradientScore, contextScore: 0 });
const tok = (text: string, records: RecordScore[], matchLength = records.length > 0 ? 2 : 0): AttributedToken => ({ text, tokenId: 1, matchLength, attribution: { records, span: null } });

function fixture(): ResponseAttribution {
  const span = { start: 1, end: 3, text: ' keep the', occurrences: 2, records: [{ record: 'r-1', contributor: ALICE }] };
  const tokens = [tok('The', []), tok(' keep', [rec('r-1', ALICE, 2), rec('r-2', BOB, 0.5)]), tok(' the', [rec('r-1', ALICE, 4)]), tok(' data', [rec('r-3', BOB, 1), rec('r-4', CAROL, 0.1)])];
  tokens[1]!.attribution.span = span;
  tokens[2]!.attribution.span = span;
  return {
    model: 'support-a',
    adapter: 'support-a',
    datanet: { name: 'fixture-notes', version: 1, root: '0x00' },
    datanetFrom: 'lineage',
    evidence: { spans: true, gradient: null, note: 'training data unknown' },
    combinationRule: 'score = span score (fixture rule)',
    tokens,
    spans: [span],
    promptSpans: [],
    threshold: { bps: 500, source: 'chain', dropped: [{ address: CAROL, share: 0.02 }] },
    contributors: [
      { address: ALICE, share: 0.7 },
      { address: BOB, share: 0.3 },
    ],
    inference: null,
    timings: { spansMs: 1, gradientMs: null },
  };
}

describe('attribution format', () => {
  it('scales strengths to the strongest token, and colours none for no evidence', () => {
    expect(tokenStrengths(fixture())).toEqual([0, 0.5, 1, 0.25]);
    expect(tokenStrengths({ tokens: [tok('a', [])] })).toEqual([0]);
    expect(strengthColor(0)).toBeUndefined();
    expect(strengthColor(1)).toBe('hsla(5, 95%, 46%, 0.85)');
    expect(strengthColor(0.5)).not.toBe(strengthColor(1));
  });

  it('names a token’s top contributor by summed score and colours contributors by rank, the dropped grey', () => {
    const r = fixture();
    expect(r.tokens.map(topContributor)).toEqual([null, ALICE, ALICE, BOB]);
    expect(tokenContributors(r.tokens[1]!)).toEqual([
      { address: ALICE, share: 0.8 },
      { address: BOB, share: 0.2 },
    ]);
    expect(tokenContributors(r.tokens[0]!)).toEqual([]);
    const colors = contributorColors(r);
    expect(colors.get(ALICE)).toBe(CONTRIBUTOR_COLORS[0]);
    expect(colors.get(BOB)).toBe(CONTRIBUTOR_COLORS[1]);
    expect(colors.get(CAROL)).toBe(OTHER_COLOR);
  });

  it('labels demo contributors and dev accounts, and shortens anyone else', () => {
    expect(contributorLabel(BOB.toLowerCase())).toEqual({ text: 'Demo contributor #2', demo: true });
    expect(contributorLabel('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toEqual({ text: 'dev account #0', demo: true });
    expect(contributorLabel(CAROL)).toEqual({ text: '0x1111…1111', demo: false });
  });

  it('marks every occurrence of the shared text in a record, trimming the token’s space', () => {
    expect(highlightSegments('we keep the data and keep the rest', ' keep the')).toEqual([
      { text: 'we ', mark: false },
      { text: 'keep the', mark: true },
      { text: ' data and ', mark: false },
      { text: 'keep the', mark: true },
      { text: ' rest', mark: false },
    ]);
    expect(highlightSegments('nothing here', '  ')).toEqual([{ text: 'nothing here', mark: false }]);
    expect(highlightSegments('abc', 'zz')).toEqual([{ text: 'abc', mark: false }]);
  });

  it('maps spans onto their tokens, steps through tokens, and skips to attributed ones', () => {
    expect(spansByToken(fixture()).map((s) => s.length)).toEqual([0, 1, 1, 0]);
    expect(stepToken(0, 'ArrowLeft', 4)).toBe(0);
    expect(stepToken(3, 'ArrowRight', 4)).toBe(3);
    expect(stepToken(1, 'End', 4)).toBe(3);
    expect(stepToken(2, 'Home', 4)).toBe(0);
    expect(stepToken(2, 'x', 4)).toBeNull();
    expect(nextAttributed(fixture(), 0, 1)).toBe(1);
    expect(nextAttributed(fixture(), 1, -1)).toBeNull();
    expect(chartRows(fixture()).map((r) => [r.address, r.dropped])).toEqual([
      [ALICE, false],
      [BOB, false],
      [CAROL, true],
    ]);
  });
});

describe('attribution views', () => {
  it('renders the heatmap: one button per token, coloured by strength, the span underlined, the selection marked', () => {
    const html = renderToStaticMarkup(createElement(AttributionHeatmap, { result: fixture(), mode: 'strength', selected: 2, onSelect: () => undefined }));
    const tokens = [...html.matchAll(/<span role="button"[^>]*>/g)].map((m) => m[0]);
    expect(tokens).toHaveLength(4);
    expect(tokens[0]).not.toContain('background');
    expect(tokens[2]).toContain('background:hsla(5, 95%, 46%, 0.85)');
    expect(tokens[1]).toContain('attr-token--span attr-token--span-start');
    expect(tokens[2]).toContain('attr-token--span ');
    expect(tokens[2]).toContain('is-selected');
    expect(tokens[3]).toContain(`data-contributor="${BOB}"`);
  });

  it('renders the heatmap by contributor in the contributor’s colour', () => {
    const html = renderToStaticMarkup(createElement(AttributionHeatmap, { result: fixture(), mode: 'contributor', selected: null, onSelect: () => undefined }));
    // Alice's orange (#E69F00) on her tokens, as strong as their evidence.
    expect(html).toContain('background:rgba(230, 159, 0, 0.85)');
  });

  it('charts the shares after the threshold, the dropped contributor greyed with its share, the rule and the evidence note', () => {
    const html = renderToStaticMarkup(createElement(ContributorChart, { result: fixture() }));
    expect(html).toContain('Demo contributor #1');
    expect(html).toContain('70.0%');
    expect(html).toMatch(/data-dropped="true"[^]*2\.0%, below threshold 5%/);
    expect(html).toContain('exact spans only: training data unknown');
    expect(html).toContain('score = span score (fixture rule)');
    expect(html).toContain('ProtocolParams on chain');
  });

  it('shows a token’s span, its contributors, each record with the shared words marked and both scores, and the way to the record', () => {
    const r = fixture();
    r.tokens[1]!.attribution.records[0]!.gradientScore = 0.25;
    const html = renderToStaticMarkup(createElement(TokenEvidence, { result: r, token: 1 }));
    expect(html).toContain('data-testid="attr-span"');
    expect(html).toMatch(/found 2× in fixture-notes@1/);
    // The token's own contributors: Alice 2 of 2.5, Bob 0.5 of 2.5.
    expect(html).toMatch(/Demo contributor #1<\/span><\/span><span class="attr-evidence__who-share num">80\.0%/);
    expect(html).toContain('gradient 0.250');
    expect(html).toContain('gradient –');
    expect(html.match(/data-testid="attr-open-record"/g)).toHaveLength(2);
  });

  it('says so when a token has no evidence', () => {
    const html = renderToStaticMarkup(createElement(TokenEvidence, { result: fixture(), token: 0 }));
    expect(html).toContain('No training record supports this token.');
    expect(html).not.toContain('attr-record');
  });

  it('marks the shared words in a record’s text, and says when the record cannot be read', () => {
    const found = { status: 'found' as const, record: { id: 1, sourceId: 'r-1', text: 'Curators keep the queue; they keep the records.', contributor: ALICE } as never };
    const html = renderToStaticMarkup(createElement(RecordTextView, { lookup: found, needle: ' keep the' }));
    expect(html).toContain('<mark class="attr-match">keep the</mark>');
    expect(html.match(/<mark/g)).toHaveLength(2);
    const missing = renderToStaticMarkup(createElement(RecordTextView, { lookup: { status: 'missing', message: 'No record r-9 in notes now' }, needle: 'x' }));
    expect(missing).toContain('No record r-9 in notes now');
    expect(renderToStaticMarkup(createElement(RecordTextView, { lookup: undefined, needle: 'x' }))).toContain('reading the record');
  });

  it('says "exact spans only" once, whoever words the note', () => {
    expect(evidenceLine({ spans: true, gradient: null, note: 'training data unknown' })).toBe('exact spans only: training data unknown');
    expect(evidenceLine({ spans: true, gradient: null, note: 'No gradient store yet: exact spans only.' })).toBe('No gradient store yet: exact spans only.');
    expect(evidenceLine({ spans: true, gradient: null, note: null })).toBe('exact spans only');
    expect(evidenceLine({ spans: true, gradient: 'tracin', note: null })).toBe('exact spans and gradient influence (TracIn)');
  });
});
