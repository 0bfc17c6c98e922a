import type { JobKind } from '../api/jobSchemas';
import type { JobKindDefinition } from './jobKind';
import { artifactsImport } from './kinds/artifactsImport';
import { artifactsVerify } from './kinds/artifactsVerify';
import { datanetImport } from './kinds/datanetImport';
import { datanetSignals } from './kinds/datanetSignals';
import { adaptersImport } from './kinds/adaptersImport';
import { adaptersMerge } from './kinds/adaptersMerge';
import { attributionIndex } from './kinds/attributionIndex';
import { engineTrain } from './kinds/engineTrain';

/**
 * The implementation of every job kind the contract lists (`jobParams`), by name: a kind missing
 * here, or one whose params or result differ from its schemas, fails to compile. Imported by the
 * runner (main thread) and by the worker. The worker's input and output types stay private to
 * each kind (`unknown` here: they cross the thread boundary by structured clone).
 */
export const jobKinds: { [K in JobKind]: JobKindDefinition<K, unknown, unknown> } = {
  'artifacts.import': artifactsImport,
  'artifacts.verify': artifactsVerify,
  'engine.train': engineTrain,
  'datanet.import': datanetImport,
  'datanet.signals': datanetSignals,
  'adapters.import': adaptersImport,
  'adapters.merge': adaptersMerge,
  'attribution.index': attributionIndex,
};
