import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import type { FactoryEstimate } from './factoryTypes';
import { bytes } from './runFormat';

const PARTS = ['weights', 'activations', 'optimizer', 'gradients'] as const;
const PART_COLOURS: Record<(typeof PARTS)[number], string> = { weights: '#3794ff', activations: '#b180d7', optimizer: '#f0a030', gradients: '#4ec9b0' };

/**
 * Where the run will train and whether it fits (factory.estimate): the backend, the memory the
 * run needs by part against what is available, and when it will not fit, a warning with the
 * largest batch that does (one click writes it into train.batch).
 */
export function DevicePanel({ yaml, baseDir, valid, onBatch }: { yaml: string; baseDir: string | undefined; valid: boolean; onBatch(batch: number): void }) {
  const [estimate, setEstimate] = useState<FactoryEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!valid) return;
    let live = true;
    api().call('factory.estimate', baseDir ? { yaml, baseDir } : { yaml })
      .then((e) => live && (setEstimate(e), setError(null)))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [yaml, baseDir, valid]);
  if (error) return <div className="fx-device fx-device--error">Memory estimate unavailable: {error}</div>;
  if (!estimate) return <div className="fx-device pl-muted">Device: estimating once the pipeline is valid…</div>;
  const { backend, bytes: b } = estimate;
  const scale = Math.max(estimate.available, b.total);
  return (
    <div className={`fx-device${estimate.fits ? '' : ' fx-device--warn'}`} data-testid="device-panel" data-fits={estimate.fits ? 'true' : 'false'}>
      <span className="fx-device__backend" title={backend.kind === 'cuda' ? 'CUDA GPU' : 'CPU kernels'}>
        <Codicon name={backend.kind === 'cuda' ? 'circuit-board' : 'server'} /> {backend.name}
        {backend.threads ? ` · ${backend.threads} threads` : ''}
        {backend.memoryBytes ? ` · ${bytes(backend.memoryBytes)}` : ''}
      </span>
      <span className="fx-device__bar" title={PARTS.map((p) => `${p} ${bytes(b[p])}`).join('\n')}>
        {PARTS.map((p) => (
          <span key={p} style={{ width: `${(100 * b[p]) / scale}%`, background: PART_COLOURS[p] }} />
        ))}
      </span>
      <span className="fx-device__total" data-testid="device-estimate">
        {bytes(b.total)} of {bytes(estimate.available)} · {estimate.trainableParameters.toLocaleString()} trainable of {estimate.parameters.toLocaleString()} parameters
      </span>
      {estimate.warning ? (
        <span className="fx-device__warning">
          <Codicon name="warning" /> {estimate.warning}
          {estimate.suggestedBatch !== null ? (
            <button className="button" onClick={() => onBatch(estimate.suggestedBatch!)} data-testid="device-use-batch">
              Use batch {estimate.suggestedBatch}
            </button>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}
