import { useEffect } from 'react';
import { useStore } from 'zustand';
import { AttributionHeatmap } from './AttributionHeatmap';
import { attributionStore } from './attributionStore';
import { nextAttributed, stepToken } from './attributionFormat';
import { ModeSwitch } from './ColumnAttribution';
import { ContributorChart } from './ContributorChart';
import { HeatmapLegend } from './HeatmapLegend';
import { TokenEvidence } from './TokenEvidence';

/**
 * Presenter mode, for a projector: the response full screen in large, high-contrast type, one
 * token at a time (←/→ step, Shift+←/→ jump to the next attributed token, Home/End, Esc leaves),
 * the current token's records and contributors large beside it and the shares under them.
 */
export function PresenterMode() {
  const model = useStore(attributionStore, (s) => s.presenter);
  const run = useStore(attributionStore, (s) => (s.presenter ? s.runs[s.presenter] : undefined));
  const mode = useStore(attributionStore, (s) => s.mode);
  const token = useStore(attributionStore, (s) => (s.selected && s.selected.model === s.presenter ? s.selected.token : 0));
  const result = run?.result ?? null;

  useEffect(() => {
    if (!model) return;
    // Full screen when the browser grants it (a key press or click opened this); the overlay
    // covers the window either way.
    document.documentElement.requestFullscreen?.().catch(() => undefined);
    // In full screen the browser keeps Esc for itself (leaving full screen): leaving it leaves
    // presenter mode too, so one Esc is enough either way.
    let wasFull = false;
    const onChange = () => {
      if (document.fullscreenElement) wasFull = true;
      else if (wasFull) attributionStore.getState().closePresenter();
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, [model]);

  useEffect(() => {
    if (!model || !result) return;
    const onKey = (e: KeyboardEvent) => {
      const s = attributionStore.getState();
      if (e.key === 'Escape') s.closePresenter();
      else {
        const next = e.shiftKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft') ? nextAttributed(result, token, e.key === 'ArrowRight' ? 1 : -1) : stepToken(token, e.key, result.tokens.length);
        if (next === null) return;
        s.select(model, next);
      }
      e.preventDefault();
      e.stopPropagation();
    };
    // Capture: the workbench's own keybindings must not see the presenter's keys.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [model, result, token]);

  if (!model || !result) return null;
  return (
    <div className="attr-presenter" role="dialog" aria-modal="true" aria-label={`Attribution of ${model}'s answer`} data-testid="attr-presenter">
      <header className="attr-presenter__bar">
        <span className="attr-presenter__title">
          {model} <span className="attr-presenter__sub">trained on {result.datanet.name}@{result.datanet.version}</span>
        </span>
        <ModeSwitch />
        <span className="attr-presenter__keys">← → token · Shift+← → next attributed · Home End · Esc leave</span>
      </header>
      <div className="attr-presenter__body">
        <div className="attr-presenter__response">
          <div className="attr-presenter__prompt">{run?.prompt}</div>
          <AttributionHeatmap result={result} mode={mode} selected={token} onSelect={(i) => attributionStore.getState().select(model, i)} />
          <HeatmapLegend result={result} mode={mode} />
          <ContributorChart result={result} large />
        </div>
        <div className="attr-presenter__evidence">
          <TokenEvidence result={result} token={token} large />
        </div>
      </div>
    </div>
  );
}
