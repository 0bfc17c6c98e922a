import { contributorLabel } from './attributionFormat';

/** A contributor as people know it: a demo contributor's label (its key is public, devnet only)
 * or the shortened address; the full address is in the title. */
export function ContributorName({ address, color }: { address: string; color?: string }) {
  const label = contributorLabel(address);
  return (
    <span className="attr-contributor" title={label.demo ? `${address}\n${label.text}: public dev-only key, devnet only` : address} data-address={address}>
      {color ? <span className="attr-swatch" style={{ background: color }} aria-hidden="true" /> : null}
      <span className={label.demo ? 'attr-contributor__name' : 'attr-contributor__name mono'}>{label.text}</span>
    </span>
  );
}
