import { useState } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { AttributionHeatmap } from './AttributionHeatmap';
import { BASE_MODEL } from '../playground/playgroundStore';
import { attributionStore, type HeatmapMode } from './attributionStore';
import { ContributorChart } from './ContributorChart';
import { HeatmapLegend } from './HeatmapLegend';
import { TokenEvidence } from './TokenEvidence';

const MODES: { id: HeatmapMode; label: string }[] = [
  { id: 'strength', label: 'Strength' },
  { id: 'contributor', label: 'By contributor' },
];

/** Switches the heatmap between attribution strength and each token's top contributor. */
export function ModeSwitch() {
  const mode = useStore(attributionStore, (s) => s.mode);
  return (
    <span className="attr-modes" role="radiogroup" aria-label="Colour tokens by">
      {MODES.map((m) => (
        <button key={m.id} type="button" role="radio" aria-checked={mode === m.id} className={mode === m.id ? 'attr-modes__item is-active' : 'attr-modes__item'} data-testid={`attr-mode-${m.id}`} onClick={() => attributionStore.getState().setMode(m.id)}>
          {m.label}
        </button>
      ))}
    </span>
  );
}

/**
 * A playground column's attribution: the heatmap with its legend, the evidence of the token
 * under the pointer (or the one clicked), and the response's contributor chart.
 */
export function ColumnAttribution({ model }: { model: string }) {
  const run = useStore(attributionStore, (s) => s.runs[model]);
  const mode = useStore(attributionStore, (s) => s.mode);
  const selected = useStore(attributionStore, (s) => (s.selected?.model === model ? s.selected.token : null));
  const [hovered, setHovered] = useState<number | null>(null);
  if (!run) return null;
  if (run.status === 'running') {
    return (
      <div className="attr-column attr-column--status" data-testid="attr-status" data-status="running">
        <Codicon name="loading" spin /> Attributing the response to its training records…
      </div>
    );
  }
  if (run.status === 'error' || !run.result) {
    // The base has no training datanet and no adapter beside it lent one: say so plainly.
    if (model === BASE_MODEL && run.error?.includes('no datanet lineage')) {
      return (
        <div className="attr-column attr-column--status" data-testid="attr-status" data-status="no-datanet">
          Not attributed: the base model was not fine-tuned on a datanet, so there are no records to trace its answer to. Pick an adapter trained on a datanet beside it and this column is compared with that datanet too.
        </div>
      );
    }
    return (
      <div className="attr-column attr-column--status tone-error" data-testid="attr-status" data-status="error" role="alert">
        Attribution failed: {run.error}
      </div>
    );
  }
  const result = run.result;
  const shown = hovered ?? selected;
  return (
    <div className="attr-column" data-testid={`attr-column-${model}`} data-status="done">
      <div className="attr-column__toolbar">
        <ModeSwitch />
        <button type="button" className="button" data-testid="attr-presenter-open" title="Full screen, large type, ←/→ step through tokens, Esc leaves" onClick={() => attributionStore.getState().openPresenter(model)}>
          <Codicon name="screen-full" /> Present
        </button>
      </div>
      {/* The base has no lineage: say whose datanet its answer is compared with, and why. */}
      {model === BASE_MODEL && result.datanetFrom === 'argument' ? (
        <p className="muted attr-column__source" data-testid="attr-datanet">
          Compared with {result.datanet.name}@{result.datanet.version}, the datanet of the adapter beside it: the base model was not fine-tuned on a datanet, so this shows which of those records its answer echoes.
        </p>
      ) : null}
      <AttributionHeatmap result={result} mode={mode} selected={selected} onSelect={(i) => attributionStore.getState().select(model, i)} onHover={setHovered} />
      <HeatmapLegend result={result} mode={mode} />
      {shown !== null ? <TokenEvidence result={result} token={shown} /> : <p className="muted attr-column__hint">Point at or click a token to see the records behind it.</p>}
      <ContributorChart result={result} />
    </div>
  );
}
