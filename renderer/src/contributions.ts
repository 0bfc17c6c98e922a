import { artifactsContribution } from './artifacts/artifactsContribution';
import { attributionContribution } from './attribution/attributionContribution';
import { chainContribution } from './chain/chainContribution';
import { datanetsContribution } from './datanets/datanetsContribution';
import { factoryContribution } from './factory/factoryContribution';
import { governanceContribution } from './governance/governanceContribution';
import { jobsContribution } from './jobs/jobsContribution';
import { playgroundContribution } from './playground/playgroundContribution';
import { contributions } from './workbench/contributions';
import { workbenchContribution } from './workbench/workbenchContribution';
import { workspaceContribution } from './workspace/workspaceContribution';

/**
 * Every domain's contribution, registered once at start-up. The order is the activity bar's,
 * top to bottom. A new domain adds its `<domain>Contribution` here and nowhere else in the
 * workbench (see docs/ARCHITECTURE.md, "How to add a capability").
 */
export function registerContributions(): void {
  for (const c of [
    workbenchContribution,
    workspaceContribution,
    datanetsContribution,
    factoryContribution,
    playgroundContribution,
    attributionContribution,
    chainContribution,
    governanceContribution,
    artifactsContribution,
    jobsContribution,
  ]) {
    contributions.register(c);
  }
}
