import type { ResponseAttribution } from '../../../main/api/attributionSchemas';
import type { HeatmapMode } from './attributionStore';
import { contributorColors, formatScore, rawStrength, spansByToken, strengthColor, tokenStrengths, topContributor, withAlpha } from './attributionFormat';

interface HeatmapProps {
  result: ResponseAttribution;
  mode: HeatmapMode;
  selected: number | null;
  onSelect(token: number): void;
  onHover?(token: number | null): void;
}

/**
 * The response as a heatmap: each token's background is its attribution strength (or, by
 * contributor, its top contributor's colour, as strong as its evidence); tokens inside a maximal
 * verbatim span are underlined. Tokens are buttons: click (or Enter) opens their evidence.
 */
export function AttributionHeatmap({ result, mode, selected, onSelect, onHover }: HeatmapProps) {
  const strengths = tokenStrengths(result);
  const colors = contributorColors(result);
  const spans = spansByToken(result);
  return (
    <div className="attr-heatmap" data-testid="attr-heatmap" data-mode={mode} onMouseLeave={() => onHover?.(null)}>
      {result.tokens.map((t, i) => {
        const strength = strengths[i]!;
        const top = topContributor(t);
        const background = mode === 'strength' ? strengthColor(strength) : top && strength > 0 ? withAlpha(colors.get(top)!, 0.25 + 0.6 * strength) : undefined;
        const inSpan = spans[i]!.length > 0;
        const spanStart = inSpan && spans[i]!.some((s) => s.start === i);
        const classes = ['attr-token', inSpan ? 'attr-token--span' : '', spanStart ? 'attr-token--span-start' : '', selected === i ? 'is-selected' : ''].filter(Boolean).join(' ');
        return (
          <span
            key={i}
            role="button"
            tabIndex={-1}
            className={classes}
            style={background ? { background } : undefined}
            data-testid="attr-token"
            data-token-index={i}
            data-strength={strength.toFixed(3)}
            data-contributor={top ?? undefined}
            aria-pressed={selected === i}
            title={`${JSON.stringify(t.text)}: strength ${formatScore(rawStrength(t))}, ${t.attribution.records.length} record(s), longest match ${t.matchLength} token(s)`}
            onClick={() => onSelect(i)}
            onMouseEnter={() => onHover?.(i)}
          >
            {t.text}
          </span>
        );
      })}
    </div>
  );
}
