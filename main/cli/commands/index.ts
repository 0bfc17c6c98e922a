import type { Command } from '../command';
import { adaptersExport, adaptersImport, adaptersList, adaptersMerge, adaptersRemove, adaptersShow } from './adaptersCommands';
import { attributionIndexCommand } from './attributionCommands';
import { artifactsAdd, artifactsList, artifactsVerify } from './artifactsCommands';
import { datanetCommands } from './datanetCommands';
import { factoryCommands } from './factoryCommands';
import { chainCall, chainDeploy, chainLogs, chainSend } from './chainCommands';
import { engineInfo } from './engineCommands';
import { evalAttribution } from './evalCommands';
import { devnetReset, devnetRevert, devnetSnapshot, devnetStart, devnetStatus, devnetStop } from './devnetCommands';
import { generateCommand } from './generateCommand';
import { devnetAdvance, govDelegate, govExecute, govParams, govPower, govProposals, govPropose, govQueue, govUnwrap, govVote, govWrap } from './govCommands';
import { jobsList } from './jobsCommands';
import { keyCreate, keyImport, keyList, keyRemove } from './keyCommands';
import { modelExport, modelInspect } from './modelCommands';
import { networkAdd, networkCheck, networkList, networkRemove } from './networkCommands';
import { serveCommand } from './serveCommand';
import { settlementCommands } from './settlementCommands';
import { trainCommand } from './trainCommand';
import { workspaceCreate, workspaceInfoCommand, workspaceList } from './workspaceCommands';

/** Every CLI command. Capabilities add theirs here as they land. */
export const commands: Command[] = [
  serveCommand,
  workspaceList,
  workspaceCreate,
  workspaceInfoCommand,
  jobsList,
  artifactsList,
  artifactsAdd,
  artifactsVerify,
  devnetStart,
  devnetStop,
  devnetStatus,
  devnetReset,
  devnetSnapshot,
  devnetRevert,
  devnetAdvance,
  chainDeploy,
  chainCall,
  chainSend,
  chainLogs,
  networkList,
  networkAdd,
  networkRemove,
  networkCheck,
  keyList,
  keyCreate,
  keyImport,
  keyRemove,
  govParams,
  govProposals,
  govPower,
  govPropose,
  govVote,
  govQueue,
  govExecute,
  govDelegate,
  govWrap,
  govUnwrap,
  modelInspect,
  engineInfo,
  modelExport,
  trainCommand,
  generateCommand,
  ...datanetCommands,
  adaptersList,
  adaptersImport,
  adaptersShow,
  adaptersRemove,
  adaptersMerge,
  adaptersExport,
  ...settlementCommands,
  attributionIndexCommand,
  ...factoryCommands,
  evalAttribution,
];
