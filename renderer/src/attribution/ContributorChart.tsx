import type { ResponseAttribution } from '../../../main/api/attributionSchemas';
import { formatOpen } from '../chain/openAmount';
import { chartRows, contributorColors, formatBps, formatShare } from './attributionFormat';
import { ContributorName } from './ContributorName';

/** What evidence the scores rest on, in words; the core's note already says "exact spans only"
 * when it does, so it is not said twice. */
export function evidenceLine(e: ResponseAttribution['evidence']): string {
  if (e.gradient) return `exact spans and gradient influence (${e.gradient === 'datainf' ? 'DataInf' : 'TracIn'})`;
  if (!e.note) return 'exact spans only';
  return /exact spans only/i.test(e.note) ? e.note : `exact spans only: ${e.note}`;
}

/**
 * Who this response's fee goes to: the contributors' shares after the governed threshold as
 * horizontal bars, those dropped under it greyed with the share they had, then the rule that
 * combined the evidence and what evidence there was.
 */
export function ContributorChart({ result, large }: { result: ResponseAttribution; large?: boolean }) {
  const colors = contributorColors(result);
  const rows = chartRows(result);
  const threshold = formatBps(result.threshold.bps);
  return (
    <section className={large ? 'attr-chart attr-chart--large' : 'attr-chart'} data-testid="attr-chart" aria-label="Contributor shares">
      <header className="attr-chart__title">
        Contributors of this response
        <span className="muted">
          {' '}
          threshold {threshold} ({result.threshold.source === 'chain' ? 'ProtocolParams on chain' : 'default: no chain answered'})
        </span>
      </header>
      {rows.length === 0 ? <p className="muted">No contributor's data supports this response.</p> : null}
      <ul className="attr-chart__rows">
        {rows.map((r) => (
          <li key={r.address} className={r.dropped ? 'attr-chart__row is-dropped' : 'attr-chart__row'} data-testid="attr-chart-row" data-address={r.address} data-dropped={r.dropped}>
            <ContributorName address={r.address} color={r.dropped ? undefined : colors.get(r.address)} />
            <span className="attr-chart__bar" aria-hidden="true">
              <span style={{ width: `${Math.max(1, 100 * r.share)}%`, background: r.dropped ? undefined : colors.get(r.address) }} />
            </span>
            <span className="attr-chart__share num">{r.dropped ? `${formatShare(r.share)}, below threshold ${threshold}` : formatShare(r.share)}</span>
          </li>
        ))}
      </ul>
      <dl className="attr-chart__notes">
        <dt>Evidence</dt>
        <dd data-testid="attr-evidence">
          {evidenceLine(result.evidence)}
        </dd>
        <dt>Prompt</dt>
        <dd data-testid="attr-prompt-spans">{promptSpansLine(result.promptSpans)}</dd>
        <dt>Rule</dt>
        <dd data-testid="attr-rule">{result.combinationRule}</dd>
        <dt>Datanet</dt>
        <dd>
          {result.datanet.name}@{result.datanet.version} <span className="muted">({result.datanetFrom === 'lineage' ? "from the adapter's lineage" : 'named'})</span>
        </dd>
        {result.inference ? (
          <>
            <dt>Settlement</dt>
            <dd data-testid="attr-inference">
              inference #{result.inference.id} in epoch {result.inference.epoch}, fee {formatOpen(result.inference.feeWei, 'OPEN')}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** The prompt's spans found in the datanet, in words: the context evidence behind each record's "prompt" score. */
function promptSpansLine(spans: ResponseAttribution['promptSpans']): string {
  if (spans.length === 0) return 'none of the prompt occurs in the datanet: records are ranked by the response alone';
  const shown = spans.slice(0, 3).map((s) => `“${s.text.trim()}” (${s.records.length === 1 ? s.records[0]!.record : `${s.occurrences} occurrences`})`);
  return `found in the datanet: ${shown.join(', ')}${spans.length > 3 ? `, and ${spans.length - 3} more` : ''}`;
}
