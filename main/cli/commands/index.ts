import type { Command } from '../command';
import { adaptersExport, adaptersImport, adaptersList, adaptersMerge, adaptersRemove, adaptersShow } from './adaptersCommands';
import { artifactsAdd, artifactsList, artifactsVerify } from './artifactsCommands';
import { chainCall, chainDeploy, chainLogs, chainSend } from './chainCommands';
import { engineInfo } from './engineCommands';
import { devnetReset, devnetRevert, devnetSnapshot, devnetStart, devnetStatus, devnetStop } from './devnetCommands';
import { generateCommand } from './generateCommand';
import { jobsList } from './jobsCommands';
import { keyCreate, keyImport, keyList, keyRemove } from './keyCommands';
import { modelExport, modelInspect } from './modelCommands';
import { networkAdd, networkCheck, networkList, networkRemove } from './networkCommands';
import { serveCommand } from './serveCommand';
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
  modelInspect,
  engineInfo,
  modelExport,
  trainCommand,
  generateCommand,
  adaptersList,
  adaptersImport,
  adaptersShow,
  adaptersRemove,
  adaptersMerge,
  adaptersExport,
];
