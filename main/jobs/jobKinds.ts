import type { JobKind } from '../api/jobSchemas';
import type { JobKindDefinition } from './jobKind';
import { artifactsImport } from './kinds/artifactsImport';
import { artifactsVerify } from './kinds/artifactsVerify';
import { datanetDemo } from './kinds/datanetDemo';
import { datanetImport } from './kinds/datanetImport';
import { datanetSignals } from './kinds/datanetSignals';
import { adaptersImport } from './kinds/adaptersImport';
import { adaptersMerge } from './kinds/adaptersMerge';
import { attributionIndex } from './kinds/attributionIndex';
import { engineTrain } from './kinds/engineTrain';
import { attributionGradients } from './kinds/attributionGradients';
import { factoryRun } from './kinds/factoryRun';
import { demoAttribute, demoRegisterModel, demoSettle } from './kinds/demoStory';

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
  'datanet.demo': datanetDemo,
  'adapters.import': adaptersImport,
  'adapters.merge': adaptersMerge,
  'attribution.gradients': attributionGradients,
  'attribution.index': attributionIndex,
  'factory.run': factoryRun,
  'demo.registerModel': demoRegisterModel,
  'demo.attribute': demoAttribute,
  'demo.settle': demoSettle,
};
