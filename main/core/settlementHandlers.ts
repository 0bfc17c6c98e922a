import type { Address } from 'viem';
import type { Publication } from '../api/chainSchemas';
import { DEVNET_NETWORK } from '../api/networkSchemas';
import { checkClaim, claimReward, listClaims, type ClaimResult } from '../attribution/claimRewards';
import { listEpochs } from '../attribution/listEpochs';
import { settleEpoch } from '../attribution/settleEpoch';
import { invalidArgument } from '../chain/chainErrors';
import type { DevnetService } from '../chain/devnet/devnetService';
import { demoContributorByAddress } from '../chain/keys/demoContributorKeys';
import type { PublishingService } from '../chain/publishing/publishingService';
import type { PreparedWriteService } from '../chain/writes/preparedWriteService';
import { ErrorCode, StudioError } from '../api/apiError';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

type SettlementMethod = Extract<keyof Handlers, 'attribution.epochs' | 'attribution.settle' | 'attribution.claims' | 'attribution.claim' | 'attribution.prepareClaim'>;

export interface SettlementHandlerDeps {
  db(): Db;
  devnet(): DevnetService;
  publishing(): PublishingService;
  writes(): PreparedWriteService;
  announce(p: Publication): void;
}

/** Settlement and claims (main/attribution) on the workspace's devnet. */
export function settlementHandlers(deps: SettlementHandlerDeps): Pick<Handlers, SettlementMethod> {
  const claimDeps = () => ({ db: deps.db(), devnet: deps.devnet(), publishing: deps.publishing(), announce: deps.announce });
  return {
    'attribution.epochs': () => listEpochs(deps.db()),
    'attribution.settle': ({ epoch }) => settleEpoch({ db: deps.db(), devnet: deps.devnet(), publishing: deps.publishing() }, { epoch }),
    'attribution.claims': async ({ contributor }) => {
      const devnet = deps.devnet();
      const batches = await listClaims(deps.db(), devnet, contributor);
      const balance = await devnet.explorer().client.getBalance({ address: contributor as Address });
      return { contributor, demoLabel: demoContributorByAddress(contributor)?.label ?? null, balanceWei: balance.toString(), batches };
    },
    'attribution.claim': async ({ contributor, batchId, devAccount }) => {
      const signer = devAccount === undefined ? ({ kind: 'contributor' } as const) : ({ kind: 'devAccount', index: devAccount } as const);
      let ids: string[];
      if (batchId !== undefined) {
        ids = [batchId];
      } else {
        ids = (await listClaims(deps.db(), deps.devnet(), contributor)).filter((b) => !b.claimed).map((b) => b.batchId);
        if (ids.length === 0) throw new StudioError(ErrorCode.NotFound, `${contributor} has nothing left to claim in this workspace's posted batches.`, { contributor });
      }
      const claims: ClaimResult[] = [];
      for (const id of ids) claims.push(await claimReward(claimDeps(), { contributor, batchId: id, signer }));
      return { claims };
    },
    'attribution.prepareClaim': async ({ contributor, batchId, keyId, devAccount }) => {
      if ((keyId === undefined) === (devAccount === undefined)) {
        throw invalidArgument('signer: give keyId (a stored key) or devAccount (an Anvil dev account, devnet only), exactly one.', { field: 'keyId' });
      }
      const stored = (await listClaims(deps.db(), deps.devnet(), contributor)).find((b) => b.batchId === batchId);
      if (!stored) throw new StudioError(ErrorCode.NotFound, `${contributor} has no leaf in batch ${batchId} among this workspace's posted batches.`, { contributor, batchId });
      await checkClaim(deps.devnet(), { batchId, contributor, amountWei: stored.amountWei, proof: stored.proof });
      return deps.writes().prepare(
        {
          network: DEVNET_NETWORK,
          contract: 'AttributionLedger',
          functionName: 'claim',
          args: [batchId, contributor, stored.amountWei, stored.proof],
          from: keyId ?? `dev:${devAccount}`,
        },
        devAccount !== undefined ? { devAccount } : {},
      );
    },
  };
}
