import { useEffect, useState } from 'react';
import type { AdapterVerification } from '../../../main/api/adaptersSchemas';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import { ChainMatchBadge } from './AdapterChainStatus';
import { openAdapter } from './factoryTabs';

/**
 * In the explorer, under a transaction that registered adapter models: the workspace's adapter each
 * one is (matched by model id on this chain), whether its files on disk still match the chain, and
 * a link to its page. Adapters this workspace did not publish are named as such.
 */
export function RegisteredAdapterNotice({ chainId, modelIds }: { chainId: number; modelIds: string[] }) {
  const [found, setFound] = useState<AdapterVerification[] | null>(null);
  const key = modelIds.join(',');
  useEffect(() => {
    let live = true;
    api()
      .call('adapters.verify', {})
      .then((list) => live && setFound(list.filter((v) => v.chainId === chainId && v.modelId !== null && key.split(',').includes(v.modelId))))
      .catch(() => live && setFound([]));
    return () => {
      live = false;
    };
  }, [chainId, key]);
  if (!found) return null;
  return (
    <div className="decoded-call" data-testid="tx-adapters">
      {modelIds.map((id) => {
        const v = found.find((x) => x.modelId === id);
        return (
          <div key={id} className="tx-adapter" data-model-id={id}>
            <span className="muted">Model #{id}:</span>{' '}
            {v ? (
              <>
                <button type="button" className="link-button" onClick={() => openAdapter(v.name)} data-testid="tx-adapter-open">
                  <Codicon name="package" /> {v.name}
                </button>{' '}
                <ChainMatchBadge verification={v} />
              </>
            ) : (
              <span className="muted">not an adapter of this workspace</span>
            )}
          </div>
        );
      })}
    </div>
  );
}
