import { useEffect } from 'react';
import { useStore } from 'zustand';
import { DEVNET_NETWORK } from '../../../main/api/constants';
import { ChainPageHeader } from '../chain/ChainPageHeader';
import { shortHex } from '../chain/chainFormat';
import { DEV_ACCOUNT_ADDRESSES } from '../chain/devAccounts';
import { chainStore } from '../chain/devnet/chainStore';
import { useChainContracts } from '../chain/explorer/useChainContracts';
import { keysStore } from '../chain/keys/keysStore';
import { networksStore } from '../chain/networks/networksStore';
import { Codicon } from '../components/Codicon';
import { EmptyState } from '../components/EmptyState';
import { IconButton } from '../components/IconButton';
import { DevnetAdvance } from './DevnetAdvance';
import { type GovSection } from './governanceTabs';
import { DEFAULT_SIGNER, governanceStore, type GovSigner } from './governanceStore';
import { ParametersSection } from './ParametersSection';
import { ProposalCard } from './ProposalCard';
import { ProposalForm } from './ProposalForm';
import { VotingPowerSection } from './VotingPowerSection';

const signerValue = (s: GovSigner) => (s.kind === 'dev' ? `dev:${s.index}` : `key:${s.keyId}`);

/** Parameters with their history, voting power, a new proposal and the proposals, on one network. */
export function GovernanceEditor({ section }: { section: GovSection | undefined }) {
  const { network, signer, params, power, proposals, error, loading } = useStore(governanceStore);
  const networks = useStore(networksStore, (s) => s.networks);
  const keys = useStore(keysStore, (s) => s.keys);
  const head = useStore(chainStore, (s) => s.status?.block ?? null);
  const epoch = useStore(chainStore, (s) => s.epoch);
  const devnet = network === DEVNET_NETWORK;
  // The protocol ABIs name a decoded revert's arguments (RevertNotice reads them from this store).
  useChainContracts();

  useEffect(() => {
    void networksStore.getState().load();
    void keysStore.getState().load();
  }, []);

  // On the devnet the views follow the head (a vote, a mined block, an advance).
  useEffect(() => {
    if (!devnet) return;
    const timer = setTimeout(() => void governanceStore.getState().load(), 150);
    return () => clearTimeout(timer);
  }, [head, epoch, devnet]);

  useEffect(() => {
    if (!section) return;
    document.getElementById(`gov-${section}`)?.scrollIntoView({ block: 'start' });
  }, [section, params !== null]);

  const usableKeys = keys.filter((k) => devnet || !k.devAccount);
  const signerAddress =
    signer.kind === 'dev' ? (DEV_ACCOUNT_ADDRESSES[signer.index] ?? null) : (keys.find((k) => k.id === signer.keyId)?.address ?? null);

  return (
    <div className="page page--wide gov-page" data-testid="governance">
      <ChainPageHeader
        icon="law"
        title="Governance"
        subtitle={
          <>
            OPEN holders change the protocol&apos;s parameters by proposal, vote and timelock on <strong>{network}</strong>
            {proposals ? <> · block #{proposals.block}</> : null}
          </>
        }
      >
        <IconButton icon="refresh" label="Refresh Governance" onClick={() => void governanceStore.getState().load()} />
      </ChainPageHeader>

      <div className="gov-target" aria-label="Network and signer">
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor="gov-network">
            Network
          </label>
          <select
            id="gov-network"
            className="select"
            value={network}
            onChange={(e) => {
              const next = e.target.value;
              const key = keys.find((k) => !k.devAccount);
              governanceStore.getState().setNetwork(next, next === DEVNET_NETWORK ? DEFAULT_SIGNER : { kind: 'key', keyId: key?.id ?? '' });
            }}
          >
            {(networks.length > 0 ? networks : [{ name: DEVNET_NETWORK, builtIn: true, chainId: null }]).map((n) => (
              <option key={n.name} value={n.name}>
                {n.builtIn ? `${n.name} (local)` : n.name}
                {n.chainId !== null ? ` · chain ${n.chainId}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor="gov-signer">
            Sign as{' '}
            <span className="muted">{devnet ? 'a dev account (well-known key, devnet only) or a stored key' : 'a stored key (you confirm with its passphrase)'}</span>
          </label>
          <select
            id="gov-signer"
            className="select mono"
            value={signerValue(signer)}
            onChange={(e) => {
              const [kind, id] = e.target.value.split(/:(.*)/) as [string, string];
              governanceStore.getState().setSigner(kind === 'dev' ? { kind: 'dev', index: Number(id) } : { kind: 'key', keyId: id });
            }}
          >
            {devnet
              ? DEV_ACCOUNT_ADDRESSES.map((a, i) => (
                  <option key={a} value={`dev:${i}`}>
                    dev account #{i} · {shortHex(a)}
                  </option>
                ))
              : null}
            {!devnet && usableKeys.length === 0 ? <option value="key:">No usable key: create or import one under Chain › Keys</option> : null}
            {usableKeys.map((k) => (
              <option key={k.id} value={`key:${k.id}`}>
                {k.label} · {shortHex(k.address)}
              </option>
            ))}
          </select>
        </div>
        {devnet ? <DevnetAdvance rules={params?.rules ?? null} /> : null}
      </div>

      {error ? (
        <div className="inline-error inline-error--flush" role="alert" data-testid="gov-error">
          {error}
        </div>
      ) : null}
      {loading && !params ? <div className="progress-line" role="progressbar" aria-label="Loading governance" /> : null}
      {!params && !loading && error ? (
        <EmptyState icon="law" title="Governance is not readable here">
          {devnet ? 'Start the local devnet (Chain side bar) to see its governance.' : 'The network needs its OpenGovernor, OpenTimelock, WrappedOpen and ProtocolParams addresses recorded.'}
        </EmptyState>
      ) : null}

      {params ? <ParametersSection params={params} live={devnet} /> : null}
      {power ? <VotingPowerSection power={power} signerAddress={signerAddress} live={devnet} /> : null}
      {params ? <ProposalForm params={params} /> : null}
      {proposals ? (
        <section className="page__section" id="gov-proposals" aria-label="Proposals">
          <h2>
            Proposals <span className="badge">{proposals.proposals.length}</span>
          </h2>
          {proposals.proposals.length === 0 ? (
            <p className="muted">
              <Codicon name="info" /> No proposals yet: propose a parameter change above.
            </p>
          ) : (
            proposals.proposals.map((p) => <ProposalCard key={p.id} proposal={p} live={devnet} />)
          )}
        </section>
      ) : null}
    </div>
  );
}
