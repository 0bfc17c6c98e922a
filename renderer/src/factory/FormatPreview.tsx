import { useEffect, useState } from 'react';
import { previewFormat } from './factoryApi';
import type { FactoryFormatPreview } from './factoryTypes';

// The preview follows typing in the editor: one request per pause.
const PREVIEW_DELAY_MS = 300;

type PreviewRecord = FactoryFormatPreview['records'][number];

/** A token as shown: line breaks and tabs made visible (the line still breaks after ↵). */
function shown(text: string): string {
  return text.replace(/\n/g, '↵\n').replace(/\t/g, '⇥');
}

/**
 * The format node's live preview (factory.formatPreview): the first records of the pipeline's
 * datanet formatted and tokenized by the core with the base model's tokenizer, cut to one
 * training row, exactly as a run trains on them. Each token is its own box (the boundaries);
 * tokens masked out of the loss are dimmed and struck, the ones the loss trains on highlighted.
 */
export function FormatPreview({ datanet, yaml, baseDir }: { datanet: string | null; yaml: string; baseDir: string | undefined }) {
  const [preview, setPreview] = useState<FactoryFormatPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!datanet) return;
    let live = true;
    const t = setTimeout(() => {
      previewFormat(yaml, baseDir)
        .then((p) => live && (setPreview(p), setError(null)))
        .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [datanet, yaml, baseDir]);
  return (
    <section className="fx-format-preview" data-testid="format-preview" data-state={error ? 'error' : preview ? 'ready' : 'loading'}>
      <header className="fx-pane__title">
        Preview: formatted and tokenized
        <span className="spacer" />
        <span className="fx-tok fx-tok--masked">masked</span>
        <span className="fx-tok fx-tok--trained">in the loss</span>
      </header>
      {!datanet ? <p className="pl-muted">Name a datanet to preview its records.</p> : null}
      {datanet && error ? <p className="pl-field__error">{error}</p> : null}
      {datanet && preview?.records.length === 0 ? <p className="pl-muted">{datanet} has no records in this version.</p> : null}
      {datanet && !error ? preview?.records.map((r) => <PreviewRow key={r.sourceId} record={r} seq={preview.seq} />) : null}
    </section>
  );
}

function PreviewRow({ record: r, seq }: { record: PreviewRecord; seq: number }) {
  const trained = r.tokens.filter((t) => t.weight > 0).length;
  return (
    <div className="fx-format-preview__record" data-split={r.split}>
      <div className="fx-format-preview__meta">
        <code>{r.sourceId}</code>
        <span className={`fx-split fx-split--${r.split}`}>{r.split}</span>
        <span className="pl-muted" data-testid="format-preview-counts">
          {r.tokens.length} tokens · {trained} in the loss{r.dropped > 0 ? ` · ${r.dropped} past seq ${seq} cut` : ''}
        </span>
      </div>
      <div className="fx-format-preview__tokens">
        {r.tokens.map((t, i) => (
          <span
            key={i}
            className={`fx-tok ${t.weight > 0 ? 'fx-tok--trained' : 'fx-tok--masked'}${t.special ? ' fx-tok--special' : ''}`}
            title={`token ${t.id}${t.special ? ' (special)' : ''} · loss weight ${t.weight}`}
            data-weight={t.weight}
          >
            {shown(t.text)}
          </span>
        ))}
        {r.dropped > 0 ? <span className="fx-tok fx-tok--cut">… {r.dropped} more</span> : null}
      </div>
    </div>
  );
}
