import { useStore } from 'zustand';
import { Codicon } from '../../components/Codicon';
import { errorParamNames } from './abiForms';
import { contractsStore } from '../explorer/contractsStore';
import { NamedArgs } from '../NamedArgs';

/** Names the core gives a revert it could not match to a custom error: its message says more. */
const UNDECODED = new Set(['UnknownRevert', 'Error', 'Panic']);

/**
 * A revert decoded from the protocol's custom errors: its name and its arguments, named from
 * the ABIs (the wire carries them by position).
 */
export function RevertNotice({ errorName, args, message }: { errorName: string; args: readonly unknown[]; message?: string }) {
  const contracts = useStore(contractsStore, (s) => s.contracts);
  const names = errorParamNames(
    contracts.map((c) => c.abi),
    errorName,
    args.length,
  );
  const named = Object.fromEntries(args.map((a, i) => [names?.[i] ?? `arg${i}`, a]));
  return (
    <div className="revert" role="alert" data-testid="revert-notice" data-error-name={errorName}>
      <div className="revert__title">
        <Codicon name="error" className="tone-error" />
        Reverted with <code className="revert__name">{errorName}</code>
      </div>
      {args.length > 0 ? <NamedArgs args={named} /> : null}
      {message && UNDECODED.has(errorName) ? <div className="revert__message muted">{message}</div> : null}
    </div>
  );
}
