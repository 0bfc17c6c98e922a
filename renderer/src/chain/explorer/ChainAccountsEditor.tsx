import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AccountInfo, DevAccountInfo } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { Codicon } from '../../components/Codicon';
import { addressError } from '../writes/abiForms';
import { formatOpen } from '../openAmount';
import { chainStore } from '../devnet/chainStore';
import { AddressText } from '../AddressText';
import { ChainPageHeader } from '../ChainPageHeader';
import { LookupForm } from '../../components/LookupForm';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One account's facts (chain.account). */
function AccountCard({ account, symbol }: { account: AccountInfo; symbol: string }) {
  return (
    <div className="account-card" data-testid="account-card">
      <div className="account-card__title">
        <Codicon name={account.isContract ? 'file-code' : 'account'} />
        <AddressText address={account.address} label={account.label} full />
      </div>
      <dl className="facts facts--compact">
        <dt>Balance</dt>
        <dd title={`${account.balance} wei`} data-testid="account-balance">
          {formatOpen(account.balance, symbol)}
        </dd>
        <dt>Nonce</dt>
        <dd className="mono">{account.nonce}</dd>
        <dt>Kind</dt>
        <dd>{account.isContract ? `contract${account.contractName ? ` (${account.contractName})` : ''}` : 'externally owned account'}</dd>
        <dt>Label</dt>
        <dd>{account.label ?? <span className="muted">none</span>}</dd>
      </dl>
    </div>
  );
}

/** The dev accounts with balances and nonces, and a lookup of any address. */
export function ChainAccountsEditor({ address }: { address: string | undefined }) {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  const head = useStore(chainStore, (s) => s.status?.block ?? null);
  const [devAccounts, setDevAccounts] = useState<DevAccountInfo[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [query, setQuery] = useState(address ?? '');
  const [queryError, setQueryError] = useState<string | null>(null);
  const [found, setFound] = useState<AccountInfo | null>(null);
  const [looking, setLooking] = useState(false);

  // Balances move with every block: read the dev accounts again when the head moves.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api()
        .call('chain.devAccounts', {})
        .then((list) => {
          if (!live) return;
          setDevAccounts(list);
          setListError(null);
        })
        .catch((err: unknown) => live && setListError(message(err)));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [head]);

  const lookUp = async (text: string) => {
    const why = addressError(text);
    setQueryError(why);
    setFound(null);
    if (why) return;
    setLooking(true);
    try {
      setFound(await api().call('chain.account', { address: text.trim() }));
    } catch (err) {
      setQueryError(message(err));
    } finally {
      setLooking(false);
    }
  };

  // Another view asked for this address (a click on an address anywhere).
  useEffect(() => {
    if (address) {
      setQuery(address);
      void lookUp(address);
    }
  }, [address]);

  return (
    <div className="page page--wide" data-testid="chain-accounts">
      <ChainPageHeader icon="account" title="Accounts" subtitle={`Balances in ${symbol}, the devnet's native currency`} />
      <LookupForm
        id="account-lookup"
        label="Look up an address"
        placeholder="0x… (40 hex digits)"
        value={query}
        error={queryError}
        onChange={(value) => {
          setQuery(value);
          setQueryError(null);
        }}
        onSubmit={() => void lookUp(query)}
        submitLabel={looking ? 'Looking…' : 'Look up'}
        busy={looking}
        hintTestId="account-lookup-hint"
      />
      {found ? <AccountCard account={found} symbol={symbol} /> : null}

      <section className="page__section">
        <h2>Dev accounts</h2>
        <p className="muted">
          Anvil&apos;s ten well-known accounts. Their private keys are public: the app uses them on this local devnet only and refuses them on any other chain.
        </p>
        {listError ? (
          <div className="inline-error inline-error--flush" role="alert">
            {listError}
          </div>
        ) : null}
        {!devAccounts && !listError ? <div className="progress-line" role="progressbar" aria-label="Loading accounts" /> : null}
        {devAccounts ? (
          <table className="table" data-testid="dev-accounts">
            <thead>
              <tr>
                <th>#</th>
                <th>Address</th>
                <th className="num">Balance</th>
                <th className="num">Nonce</th>
              </tr>
            </thead>
            <tbody>
              {devAccounts.map((a) => (
                <tr key={a.address}>
                  <td className="mono">{a.index}</td>
                  <td>
                    <AddressText address={a.address} label={a.label} full />
                  </td>
                  <td className="num" title={`${a.balance} wei`}>
                    {formatOpen(a.balance, symbol, 4)}
                  </td>
                  <td className="num mono">{a.nonce}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
