import { useEffect, useState } from 'react';
import type { DatanetRecord } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { type FormatSettings, formatForPreview } from './formatPreview';

const SAMPLE = 3;

/**
 * The format node's live preview: the first accepted records of the pipeline's datanet as the
 * model will see them, the part masked out of the loss dimmed and the trained part highlighted.
 */
export function FormatPreview({ datanet, format }: { datanet: string | null; format: FormatSettings }) {
  const [records, setRecords] = useState<DatanetRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!datanet) return;
    let live = true;
    const t = setTimeout(() => {
      api()
        .call('datanets.records', { datanet, filter: 'status:accepted', limit: SAMPLE })
        .then((page) => live && (setRecords(page.records), setError(null)))
        .catch((err: unknown) => live && (setRecords(null), setError(err instanceof Error ? err.message : String(err))));
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [datanet]);
  return (
    <section className="fx-format-preview" data-testid="format-preview">
      <header className="fx-pane__title">
        Preview <span className="fx-mask fx-mask--masked">masked</span> <span className="fx-mask fx-mask--trained">in the loss</span>
      </header>
      {!datanet ? <p className="pl-muted">Name a datanet to preview its records.</p> : null}
      {error ? <p className="pl-field__error">{error}</p> : null}
      {records?.length === 0 ? <p className="pl-muted">{datanet} has no accepted records.</p> : null}
      {records?.map((r) => {
        const f = formatForPreview(format, r);
        return (
          <div key={r.id} className="fx-format-preview__record" title={`record ${r.sourceId} by ${r.contributor}`}>
            {f.ok ? (
              <>
                <span className="fx-mask--masked">{f.masked}</span>
                <span className="fx-mask--trained">{f.trained}</span>
              </>
            ) : (
              <span className="pl-field__error">{f.reason}</span>
            )}
          </div>
        );
      })}
      <p className="pl-muted">Token boundaries are not shown: the core has no tokenize method in the API yet.</p>
    </section>
  );
}
