import type { Datanet, DatanetStats } from '../../../main/api/datanetSchemas';

type Tone = 'ok' | 'warning' | 'error' | 'muted' | 'plain';

/** One figure of the header; `filter` (when given) shows those records in the table. */
function Stat({ label, value, tone = 'plain', title, onClick }: { label: string; value: number | undefined; tone?: Tone; title?: string; onClick?: () => void }) {
  const body = (
    <>
      <span className="datanet-stat__value">{value === undefined ? '–' : value.toLocaleString('en-US')}</span>
      <span className="datanet-stat__label">{label}</span>
    </>
  );
  return onClick ? (
    <button type="button" className={`datanet-stat datanet-stat--${tone}`} title={title} data-stat={label} onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className={`datanet-stat datanet-stat--${tone}`} title={title} data-stat={label}>
      {body}
    </div>
  );
}

/** The datanet's name and facts, then its figures in one dense row (datanets.stats); a figure
 * with a filter behind it shows those records when clicked. */
export function DatanetStatsHeader({ datanet, stats, onFilter }: { datanet: Datanet | undefined; stats: DatanetStats | undefined; onFilter: (filter: string) => void }) {
  return (
    <header className="datanet-header">
      <div className="datanet-header__title">
        <h1 className="page__title">{datanet?.name ?? '…'}</h1>
        {datanet ? (
          <span className="muted">
            {datanet.schema} records{datanet.domain ? ` · ${datanet.domain}` : ''}
            {datanet.licence ? ` · ${datanet.licence}` : ''} · near-duplicate at Jaccard ≥ {datanet.nearDuplicateThreshold}
          </span>
        ) : null}
      </div>
      {datanet?.description ? <p className="datanet-header__description">{datanet.description}</p> : null}
      <div className="datanet-stats" data-testid="datanet-stats" aria-label="Statistics">
        <Stat label="records" value={stats?.records} onClick={() => onFilter('all')} />
        <span className="datanet-stats__rule" />
        <Stat label="accepted" value={stats?.accepted} tone="ok" onClick={() => onFilter('status:accepted')} />
        <Stat label="pending" value={stats?.pending} tone="warning" onClick={() => onFilter('status:pending')} />
        <Stat label="rejected" value={stats?.rejected} tone="error" onClick={() => onFilter('status:rejected')} />
        <Stat label="excluded" value={stats?.excluded} tone="muted" onClick={() => onFilter('status:excluded')} />
        <span className="datanet-stats__rule" />
        <Stat label="duplicates" value={stats?.exactDuplicates} title="Exact copies beyond the first (normalised text)" onClick={() => onFilter('duplicate')} />
        <Stat
          label="near duplicates"
          value={stats?.nearDuplicates}
          title={`Records in a near-duplicate cluster beyond its first (${stats?.nearDuplicateClusters ?? 0} clusters)`}
          onClick={() => onFilter('near-duplicate')}
        />
        <Stat label="PII" value={stats?.pii} title="Records with at least one PII match" onClick={() => onFilter('pii')} />
        <Stat label="quality" value={stats?.quality} title="Records failing at least one quality heuristic" onClick={() => onFilter('quality')} />
        <span className="datanet-stats__rule" />
        <Stat label="contributors" value={stats?.contributors} />
        <Stat label="imports" value={stats?.imports} />
        <Stat label="versions" value={stats?.versions} />
      </div>
    </header>
  );
}
