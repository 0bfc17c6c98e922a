import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../../components/Codicon';
import { useListKeys } from '../../components/useListKeys';
import { abiFunctions, displayType, functionSignature } from '../writes/abiForms';
import { chainStore } from '../devnet/chainStore';
import { ChainPageHeader } from '../ChainPageHeader';
import { FunctionForm } from '../writes/FunctionForm';
import { useChainContracts, type FormContract } from './useChainContracts';

/** One contract: its address and a form per function, reads then writes. */
function ContractDetail({ contract, symbol }: { contract: FormContract; symbol: string }) {
  const { reads, writes } = useMemo(() => abiFunctions(contract.abi), [contract.abi]);
  const events = useMemo(() => contract.abi.filter((e) => e.type === 'event').length, [contract.abi]);
  return (
    <div className="contract-detail" data-testid="contract-detail" data-contract={contract.name}>
      <h2 className="contract-detail__title">{contract.name}</h2>
      {contract.address ? (
        <p className="mono contract-detail__address" title="Address on this devnet">
          {contract.address}
        </p>
      ) : (
        <p className="muted contract-detail__address">The devnet is stopped: no local address. Writes to a remote network still work.</p>
      )}
      <p className="muted">
        {reads.length} read and {writes.length} write functions, {events} events. Writes go from a dev account on this devnet, or, on a remote network, from a
        stored key after you review and confirm them.
      </p>
      {(
        [
          ['Read', 'read', reads],
          ['Write', 'write', writes],
        ] as const
      ).map(([title, mode, fns]) => (
        <section key={mode} className="contract-detail__section" aria-label={`${title} functions`}>
          <h3 className="contract-detail__heading">
            <Codicon name={mode === 'read' ? 'eye' : 'edit'} /> {title}
          </h3>
          {fns.length === 0 ? <p className="muted">None.</p> : null}
          {fns.map((fn) => (
            <details key={functionSignature(fn)} className="fn" data-fn={fn.name}>
              <summary className="fn__summary">
                <Codicon name="chevron-right" className="fn__chevron" />
                <code className="fn__name">{fn.name}</code>
                <span className="fn__params">({fn.inputs.map((p) => `${displayType(p)}${p.name ? ` ${p.name}` : ''}`).join(', ')})</span>
                {fn.stateMutability === 'payable' ? <span className="tag">payable</span> : null}
                {fn.outputs.length > 0 ? <span className="fn__returns">→ {fn.outputs.map(displayType).join(', ')}</span> : null}
              </summary>
              <FunctionForm contract={contract.name} fn={fn} mode={mode} symbol={symbol} />
            </details>
          ))}
        </section>
      ))}
    </div>
  );
}

/** The protocol contracts of the current deployment, with forms generated from their ABIs. */
export function ChainContractsEditor({ contract }: { contract: string | undefined }) {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  const { contracts, loading, error } = useChainContracts();
  const [selected, setSelected] = useState<string | undefined>(contract);
  const onKeyDown = useListKeys();

  useEffect(() => {
    if (contract) setSelected(contract);
  }, [contract]);

  const current = contracts.find((c) => c.name === selected) ?? contracts[0];

  return (
    <div className="page page--wide" data-testid="chain-contracts">
      <ChainPageHeader icon="file-code" title="Contracts" subtitle="The protocol as deployed on this devnet; forms are generated from each ABI." />
      {error ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : null}
      {loading && contracts.length === 0 ? <div className="progress-line" role="progressbar" aria-label="Loading contracts" /> : null}
      <div className="contracts">
        <ul className="list contracts__list" role="listbox" aria-label="Protocol contracts" onKeyDown={onKeyDown}>
          {contracts.map((c) => (
            <li
              key={c.name}
              role="option"
              aria-selected={c.name === current?.name}
              data-list-item
              tabIndex={c.name === current?.name ? 0 : -1}
              className="list__item list__item--two-line"
              onClick={() => setSelected(c.name)}
              title={c.address ?? undefined}
            >
              <Codicon name="file-code" />
              <span className="list__stack">
                <span className="list__label">{c.name}</span>
                {c.address ? <span className="list__sub mono">{c.address}</span> : null}
              </span>
            </li>
          ))}
        </ul>
        {current ? <ContractDetail key={current.name + (current.address ?? '')} contract={current} symbol={symbol} /> : null}
      </div>
    </div>
  );
}
