// The tool's attribution as the evaluation's scorers, built over the trained copy the way the
// attribution service serves a datanet version and adapter: a span index of the copy's records
// (writeSpanIndex, the model's tokenizer), the adapter's record gradient store, and
// attributeResponse combining them. Three scorers so each evidence's part is visible:
// - tool: exact spans and gradient evidence combined (attributeResponse's rule, the prompt's
//   context included, as the product attributes a response to its prompt);
// - spans: exact spans alone, with the prompt's context (what an adapter with unknown training data gets);
// - gradient: gradient evidence alone.
import { join } from 'node:path';
import type { ResponseAttribution } from '../../api/attributionSchemas';
import { loadNativeEngine } from '../../engine/native/index';
import { attributeResponse, DEFAULT_ATTRIBUTION_THRESHOLD_BPS } from '../attributeResponse';
import { promptTokens } from '../attributeCompletion';
import { SuffixSearcher } from '../findSpans';
import { computeGradientEvidence } from '../gradientEvidence';
import { openSpanIndex } from '../openSpanIndex';
import { writeSpanIndex } from '../writeSpanIndex';
import type { EvalGradientStore } from './evalGradientStore';
import type { GradientEvidence } from '../evidenceTypes';
import type { EvalRecord } from './plantFacts';
import { rankingFromAttribution } from './rankingFromAttribution';
import { contributorsByBestRecord, type RecordScorer } from './RecordScorer';

export interface NamedScorer {
  name: string;
  description: string;
  scorer: RecordScorer;
}

export function attributionScorers(o: { records: readonly EvalRecord[]; gradients: EvalGradientStore; datanet: { name: string; version: number; root: string }; model: string; workDir: string }): NamedScorer[] {
  const engine = loadNativeEngine();
  const { tok } = o.gradients;
  // The copy's adapter and tokenizer live only as long as this run: the model folder names them.
  const fingerprint = Buffer.from(o.model).toString('hex').padEnd(64, '0').slice(0, 64);
  const dir = join(o.workDir, 'span-index');
  writeSpanIndex(
    engine,
    dir,
    o.records.map((r) => ({ record: r.sourceId, contributor: r.contributor, ids: tok.encode(r.text, { addSpecialTokens: false }) })),
    { datanet: o.datanet, tokenizer: { fingerprint, vocabSize: tok.vocabSize } },
  );
  const searcher = new SuffixSearcher(openSpanIndex(engine, dir, { datanetRoot: o.datanet.root, tokenizerFingerprint: fingerprint }));
  const contributorOf = new Map(o.records.map((r) => [r.sourceId, r.contributor]));
  // The combined and the gradient-only scorer ask for the same answer's evidence: compute it once.
  const evidence = new Map<string, GradientEvidence | null>();
  const gradientEvidence = (prompt: string, ids: number[]): GradientEvidence | null => {
    const key = `${prompt}\u0000${ids.join(',')}`;
    if (!evidence.has(key)) {
      const g = o.gradients;
      evidence.set(key, ids.length > 0 ? computeGradientEvidence({ model: g.model, layout: g.layout, maxPositions: g.maxPositions, promptIds: tok.encode(prompt), responseIds: ids, store: g.store, method: 'datainf', top: 20 }) : null);
    }
    return evidence.get(key)!;
  };
  const attribute = (prompt: string, completion: string, withGradient: boolean): ResponseAttribution => {
    const ids = tok.encode(completion, { addSpecialTokens: false });
    // Each token's text: what it adds to the decoded prefix (whole characters only).
    let before = '';
    const tokens = ids.map((id, i) => {
      const upTo = tok.decode(ids.slice(0, i + 1));
      const text = upTo.slice(before.length);
      before = upTo;
      return { id, text };
    });
    const gradient = withGradient ? gradientEvidence(prompt, ids) : null;
    return attributeResponse({
      model: o.model, adapter: 'eval-copy', datanet: o.datanet, datanetFrom: 'argument', tokens, prompt: promptTokens(tok, tok.encode(prompt)), searcher, gradient,
      note: withGradient ? null : 'exact spans only (evaluation)', threshold: { bps: DEFAULT_ATTRIBUTION_THRESHOLD_BPS, source: 'default' },
    });
  };
  return [
    { name: 'tool', description: 'exact spans and gradient evidence (DataInf) combined by attributeResponse, re-ranked by the prompt\'s context', scorer: async (p, c) => rankingFromAttribution(attribute(p, c, true)) },
    { name: 'spans', description: 'exact spans alone (suffix-array index of the copy), re-ranked by the prompt\'s context', scorer: async (p, c) => rankingFromAttribution(attribute(p, c, false)) },
    {
      name: 'gradient',
      description: 'gradient evidence alone (DataInf over the record gradient store, summed over the answer)',
      scorer: async (p, c) => {
        const sums = new Map<string, number>();
        for (const token of gradientEvidence(p, tok.encode(c, { addSpecialTokens: false }))?.perToken ?? []) for (const r of token) sums.set(r.record, (sums.get(r.record) ?? 0) + r.score);
        const records = [...sums].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
        return { records, contributors: contributorsByBestRecord(records, (id) => contributorOf.get(id)!) };
      },
    },
  ];
}
