import init from './20261124T2000_init';
import chain from './20261124T2100_chain';
import networksKeys from './20261124T2300_networks_keys';
import datanets from './20261205T1100_datanets';
import adapters from './20261205T1130_adapters';
import attributionSettlement from './20261205T1420_attribution_settlement';
import runs from './20261205T1430_runs';
import datanetFtsBulk from './20261205T1810_datanet_fts_bulk';
import demoStory from './20261205T1870_demo_story';
import adapterMerge from './20261205T2010_adapter_merge';
import datanetFilterIndexes from './20261205T2060_datanet_filter_indexes';
import datanetLshKeyed from './20261206T0110_datanet_lsh_keyed';

/**
 * Append-only. Each migration runs once, in order, inside a transaction; its sha256 is recorded
 * so an edited migration is detected instead of silently diverging. Never edit or reorder an
 * entry that has shipped: add a new one.
 */
export const migrations: readonly { id: string; sql: string }[] = [
  { id: '20261124T2000_init', sql: init },
  { id: '20261124T2100_chain', sql: chain },
  { id: '20261124T2300_networks_keys', sql: networksKeys },
  { id: '20261205T1100_datanets', sql: datanets },
  { id: '20261205T1130_adapters', sql: adapters },
  { id: '20261205T1420_attribution_settlement', sql: attributionSettlement },
  { id: '20261205T1430_runs', sql: runs },
  { id: '20261205T1810_datanet_fts_bulk', sql: datanetFtsBulk },
  { id: '20261205T1870_demo_story', sql: demoStory },
  { id: '20261205T2010_adapter_merge', sql: adapterMerge },
  { id: '20261205T2060_datanet_filter_indexes', sql: datanetFilterIndexes },
  { id: '20261206T0110_datanet_lsh_keyed', sql: datanetLshKeyed },
];
