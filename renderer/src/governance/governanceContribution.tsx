import { type Contribution, editor } from '../workbench/contributions';
import { GovernanceEditor } from './GovernanceEditor';
import { GovernanceSideBar } from './GovernanceSideBar';
import { openGovernance } from './governanceTabs';

/** Protocol governance: parameters, voting power, proposals, votes, the timelock. */
export const governanceContribution: Contribution = {
  id: 'governance',
  activity: { title: 'Governance', icon: 'law', keybinding: 'Mod+Shift+8', SideBar: GovernanceSideBar },
  editors: [editor('governance', ({ input }) => <GovernanceEditor section={input.section} />)],
  commands: [{ id: 'governance.open', title: 'Open Governance', category: 'Governance', icon: 'law', run: () => openGovernance() }],
};
