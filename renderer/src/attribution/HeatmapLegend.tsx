import type { ResponseAttribution } from '../../../main/api/attributionSchemas';
import type { HeatmapMode } from './attributionStore';
import { chartRows, contributorColors, strengthColor } from './attributionFormat';
import { ContributorName } from './ContributorName';

/** What the heatmap's colours mean: a weak-to-strong scale, or each contributor's colour. */
export function HeatmapLegend({ result, mode }: { result: ResponseAttribution; mode: HeatmapMode }) {
  if (mode === 'strength') {
    return (
      <div className="attr-legend" data-testid="attr-legend">
        <span className="muted">weak</span>
        <span className="attr-legend__scale" aria-hidden="true">
          {[0.1, 0.3, 0.5, 0.7, 0.9, 1].map((x) => (
            <span key={x} style={{ background: strengthColor(x) }} />
          ))}
        </span>
        <span className="muted">strong attribution</span>
        <span className="attr-legend__span">underlined: verbatim in the datanet</span>
      </div>
    );
  }
  const colors = contributorColors(result);
  return (
    <div className="attr-legend" data-testid="attr-legend">
      {chartRows(result).map((r) => (
        <span key={r.address} className={r.dropped ? 'attr-legend__item is-dropped' : 'attr-legend__item'}>
          <ContributorName address={r.address} color={colors.get(r.address)} />
        </span>
      ))}
      <span className="attr-legend__span">underlined: verbatim in the datanet</span>
    </div>
  );
}
