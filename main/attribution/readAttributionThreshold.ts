import { ProtocolParamsAbi } from '../../contracts/generated/index.js';
import type { ChainExplorer } from '../chain/explorer/chainExplorer';
import { DEFAULT_ATTRIBUTION_THRESHOLD_BPS } from './attributeResponse';

/**
 * The governed attribution threshold from ProtocolParams on the chain the explorer reads; the
 * documented default (source 'default') when there is no chain or it does not answer: attribution
 * works offline, and says where its threshold came from.
 */
export async function readAttributionThreshold(explorer: ChainExplorer | null): Promise<{ bps: number; source: 'chain' | 'default' }> {
  if (!explorer) return { bps: DEFAULT_ATTRIBUTION_THRESHOLD_BPS, source: 'default' };
  try {
    const bps = await explorer.batchClient.readContract({ address: explorer.contract('ProtocolParams').address, abi: ProtocolParamsAbi, functionName: 'attributionThresholdBps' });
    return { bps: Number(bps), source: 'chain' };
  } catch {
    return { bps: DEFAULT_ATTRIBUTION_THRESHOLD_BPS, source: 'default' };
  }
}
