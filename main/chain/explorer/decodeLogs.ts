// Decodes raw logs with every protocol ABI: the explorer's event lists and the live feed show
// event names and named fields instead of topics, with each field's Solidity type (so a UI can
// tell an amount from an id).
import { decodeEventLog, getAddress, toEventSelector, type AbiEvent, type Hex, type Log } from 'viem';
import { formatAbiParams } from 'viem/utils';
import { protocolAbi } from '../../../contracts/generated/index.js';
import type { DecodedLog } from '../../api/chainSchemas';
import { toJson } from './toJson';

/** topic0 → the first protocol event with that selector: the one decodeEventLog decodes with. */
const eventsBySelector = new Map<Hex, AbiEvent>();
for (const item of protocolAbi as readonly { type: string }[]) {
  if (item.type !== 'event' || (item as AbiEvent).anonymous) continue;
  const selector = toEventSelector(item as AbiEvent);
  if (!eventsBySelector.has(selector)) eventsBySelector.set(selector, item as AbiEvent);
}

/** {field: type} keyed like decodeEventLog's args: by name, or by index when any input is unnamed. */
function argTypesOf(event: AbiEvent, byIndex: boolean): Record<string, string> {
  return Object.fromEntries(event.inputs.map((p, i) => [byIndex ? String(i) : (p.name ?? String(i)), formatAbiParams([p])]));
}

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
    const byIndex = Array.isArray(decoded.args);
    const args = byIndex
      ? Object.fromEntries((decoded.args as readonly unknown[]).map((v, i) => [String(i), toJson(v)]))
      : (toJson(decoded.args ?? {}) as Record<string, unknown>);
    const event = log.topics[0] ? eventsBySelector.get(log.topics[0]) : undefined;
    return { ...base, eventName: decoded.eventName ?? null, args, ...(event ? { argTypes: argTypesOf(event, byIndex) } : {}) };
  } catch {
    // An event no protocol ABI declares: keep it visible, undecoded.
    return { ...base, eventName: null, args: { topics: log.topics, data: log.data } };
  }
}
