// Decodes raw logs with every protocol ABI: the explorer's event lists and the live feed show
// event names and named fields instead of topics.
import { decodeEventLog, getAddress, type Log } from 'viem';
import { protocolAbi } from '../../contracts/generated/index.js';
import type { DecodedLog } from '../api/chainSchemas';
import { toJson } from './toJson';

export function decodeLog(log: Log, contractNameOf: (address: string) => string | null): DecodedLog {
  const base = {
    blockNumber: Number(log.blockNumber ?? 0n),
    transactionHash: log.transactionHash ?? '',
    logIndex: log.logIndex ?? 0,
    address: getAddress(log.address),
    contractName: contractNameOf(log.address),
  };
  try {
    const decoded = decodeEventLog({ abi: protocolAbi, data: log.data, topics: log.topics, strict: true });
    const args = Array.isArray(decoded.args)
      ? Object.fromEntries(decoded.args.map((v, i) => [String(i), toJson(v)]))
      : (toJson(decoded.args ?? {}) as Record<string, unknown>);
    return { ...base, eventName: decoded.eventName ?? null, args };
  } catch {
    // An event no protocol ABI declares: keep it visible, undecoded.
    return { ...base, eventName: null, args: { topics: log.topics, data: log.data } };
  }
}
