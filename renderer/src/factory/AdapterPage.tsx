import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AdapterRecord } from '../../../main/api/adaptersSchemas';
import type { Publication } from '../../../main/api/chainSchemas';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import { publicationsStore } from '../chain/publishing/publicationsStore';
import { TxLink } from '../chain/TxLink';
import { reportError } from '../workbench/toastStore';
import { openRun } from './factoryTabs';
import type { RunSummary } from './factoryTypes';
import { AdapterChainStatus } from './AdapterChainStatus';
import { fixed } from './runFormat';

/**
 * The publication that registered this adapter: a model.adapter carrying its run's training-config
 * hash (what adapters.publish sends), or titled with its name.
 */
export function adapterPublication(publications: readonly Publication[], name: string, configHash: string | null): Publication | undefined {
  const want = configHash ? `0x${configHash.toLowerCase().replace(/^0x/, '')}` : null;
  return publications.find((p) => {
    if (p.kind !== 'model.adapter') return false;
    const params = p.params !== null && typeof p.params === 'object' && !Array.isArray(p.params) ? (p.params as Record<string, unknown>) : {};
    return (want !== null && String(params.configHash).toLowerCase() === want) || p.title.includes(name);
  });
}

/**
 * An adapter's page: its lineage (base model files, datanet version root, run, config hash), the
 * run's figures, and publishing to the ModelRegistry with the on-chain record once published: the
 * publication's transaction, the registry entry as the chain holds it now, and whether the files on
 * disk still match it (AdapterChainStatus).
 */
export function AdapterPage({ input }: { input: { name: string } }) {
  const [adapter, setAdapter] = useState<AdapterRecord | null>(null);
  const [run, setRun] = useState<RunSummary | null>(null);
  const [publishing, setPublishing] = useState(false);
  const publications = useStore(publicationsStore, (s) => s.publications);
  useEffect(() => {
    let live = true;
    api()
      .call('adapters.list', { query: input.name })
      .then(async (list) => {
        const a = list.find((x) => x.name === input.name) ?? null;
        if (!live) return;
        setAdapter(a);
        // A Factory run's adapter names its run id; an imported or merged one has none.
        const r = a?.run ? await api().call('runs.get', { id: a.run }).catch(() => null) : null;
        if (live) setRun(r);
      })
      .catch((err: unknown) => reportError(err, `Reading adapter ${input.name}`));
    void publicationsStore.getState().load();
    return () => {
      live = false;
    };
  }, [input.name]);
  if (!adapter) return <div className="pl-empty">Loading adapter {input.name}…</div>;
  const publication = adapterPublication(publications, adapter.name, run?.configHash ?? null);

  const publish = async () => {
    setPublishing(true);
    try {
      await api().call('adapters.publish', { name: adapter.name });
      await publicationsStore.getState().load();
    } catch (err) {
      reportError(err, `Publishing ${adapter.name}`);
    } finally {
      setPublishing(false);
    }
  };

  return (
    <div className="fx-run fx-adapter" data-testid="adapter-page" data-adapter={adapter.name}>
      <header className="fx-run__header">
        <Codicon name="package" />
        <span className="fx-run__name">{adapter.name}</span>
        <span className="pl-muted">
          {adapter.source} · r{adapter.rank} α{adapter.alpha}
          {adapter.rslora ? ' rsLoRA' : ''} · {adapter.targets.join(', ')} · {adapter.parameters.toLocaleString()} parameters
        </span>
        <span className="spacer" />
        {publication?.published ? (
          <span className="fx-status fx-status--completed" data-testid="adapter-published">
            published
          </span>
        ) : (
          <button className="button button--primary" disabled={publishing || publication?.status === 'pending'} onClick={() => void publish()} data-testid="adapter-publish">
            <Codicon name="cloud-upload" /> {publishing || publication?.status === 'pending' ? 'Publishing…' : 'Publish to ModelRegistry'}
          </button>
        )}
      </header>
      <div className="fx-compare__grid">
        <section className="fx-pane">
          <h3 className="fx-pane__title">Lineage</h3>
          <table className="fx-table fx-table--kv" data-testid="adapter-lineage">
            <tbody>
              <tr>
                <th>Base model</th>
                <td>
                  {adapter.base.path ?? '—'} {adapter.base.arch ? <span className="pl-muted">({adapter.base.arch})</span> : null}
                </td>
              </tr>
              <tr>
                <th>Base digest</th>
                <td>
                  <code>{adapter.base.digest}</code>
                </td>
              </tr>
              {Object.entries(adapter.base.files).map(([file, sha]) => (
                <tr key={file}>
                  <th className="pl-muted">{file}</th>
                  <td>
                    <code>{sha}</code>
                  </td>
                </tr>
              ))}
              <tr>
                <th>Datanet</th>
                <td data-testid="adapter-datanet">
                  {run ? (
                    <>
                      {run.datanet.name} v{run.datanet.version} · root <code>{run.datanet.merkleRoot}</code>
                    </>
                  ) : (
                    (adapter.datanet ?? '—')
                  )}
                </td>
              </tr>
              <tr>
                <th>Run</th>
                <td>
                  {run ? (
                    <button className="link-button" onClick={() => openRun(run.id, run.name)}>
                      {run.name} ({run.id})
                    </button>
                  ) : (
                    (adapter.run ?? '—')
                  )}
                </td>
              </tr>
              <tr>
                <th>Config hash</th>
                <td>
                  <code>{run?.configHash ?? adapter.configSha256}</code>
                </td>
              </tr>
              <tr>
                <th>Adapter files</th>
                <td>
                  <code>{adapter.weightsSha256}</code>
                </td>
              </tr>
            </tbody>
          </table>
          {/* In the wide pane: the entry's hashes read on one line each. */}
          <h3 className="fx-pane__title">On chain</h3>
          {/* Read again when the publication confirms: the entry exists only from then on. */}
          <AdapterChainStatus name={adapter.name} refreshKey={publication?.status ?? 'none'} />
        </section>
        <section className="fx-pane">
          <h3 className="fx-pane__title">Metrics</h3>
          <table className="fx-table fx-table--kv">
            <tbody>
              <tr>
                <th>Steps</th>
                <td>{run?.steps ?? '—'}</td>
              </tr>
              <tr>
                <th>Final loss</th>
                <td>{fixed(run?.finalLoss)}</td>
              </tr>
              <tr>
                <th>Eval loss</th>
                <td>{fixed(run?.evalLoss)}</td>
              </tr>
              <tr>
                <th>Tokens/s</th>
                <td>{run?.tokensPerSecond ? Math.round(run.tokensPerSecond) : '—'}</td>
              </tr>
            </tbody>
          </table>
          {publication ? <h3 className="fx-pane__title">Publication</h3> : null}
          {publication ? (
            <table className="fx-table fx-table--kv" data-testid="adapter-chain-record">
              <tbody>
                <tr>
                  <th>Status</th>
                  <td>{publication.status}</td>
                </tr>
                <tr>
                  <th>Contract</th>
                  <td>
                    <code>{publication.contract}</code>.{publication.functionName}
                  </td>
                </tr>
                <tr>
                  <th>Transaction</th>
                  <td data-testid="adapter-tx">{publication.txHash ? <TxLink hash={publication.txHash} /> : '—'}</td>
                </tr>
                <tr>
                  <th>Block</th>
                  <td>{publication.blockNumber ?? '—'}</td>
                </tr>
                <tr>
                  <th>Record</th>
                  <td>
                    <code>{publication.result === null ? '—' : JSON.stringify(publication.result)}</code>
                  </td>
                </tr>
                {publication.error ? (
                  <tr>
                    <th>Error</th>
                    <td className="pl-field__error">{publication.error.message}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          ) : null}
        </section>
      </div>
    </div>
  );
}
