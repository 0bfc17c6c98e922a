import type { Contribution } from '../workbench/contributions';
import { jobsStore } from './jobsStore';

/** Long work in the core: the Jobs panel (the workbench's panel shows JobsView) and its commands. */
export const jobsContribution: Contribution = {
  id: 'jobs',
  commands: [
    {
      id: 'jobs.refresh',
      title: 'Refresh Jobs',
      category: 'Jobs',
      icon: 'refresh',
      run: () => jobsStore.getState().load(),
    },
  ],
};
