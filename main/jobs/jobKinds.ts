import type { JobKind } from '../api/schemas';
import type { JobKindDefinition } from './jobKind';
import { artifactsImport } from './kinds/artifactsImport';
import { artifactsVerify } from './kinds/artifactsVerify';
import { datanetImport } from './kinds/datanetImport';
import { datanetSignals } from './kinds/datanetSignals';
import { engineTrain } from './kinds/engineTrain';

/** Every kind of job, by name. Imported by the runner (main thread) and by the worker. */
export const jobKinds: { [K in JobKind]: JobKindDefinition<any, any, any> } = {
  'artifacts.import': artifactsImport,
  'artifacts.verify': artifactsVerify,
  'engine.train': engineTrain,
  'datanet.import': datanetImport,
  'datanet.signals': datanetSignals,
};
