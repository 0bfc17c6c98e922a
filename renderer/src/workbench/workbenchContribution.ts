import { CapabilityEditor } from './CapabilityEditor';
import { workbenchCommands } from './commands/workbenchCommands';
import { type Contribution, editor } from './contributions';

/** The workbench's own part: its commands and the overview tab of a capability not built yet. */
export const workbenchContribution: Contribution = {
  id: 'workbench',
  editors: [editor('capability', CapabilityEditor)],
  commands: workbenchCommands(),
};
