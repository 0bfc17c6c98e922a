import type { Command } from '../command';
import { artifactsAdd, artifactsList, artifactsVerify } from './artifactsCommands';
import { jobsList } from './jobsCommands';
import { serveCommand } from './serveCommand';
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
];
