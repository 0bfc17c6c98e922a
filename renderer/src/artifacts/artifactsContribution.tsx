import { jobsStore } from '../jobs/jobsStore';
import { type Contribution, editor } from '../workbench/contributions';
import { workbenchStore } from '../workbench/workbenchStore';
import { ArtifactEditor } from './ArtifactEditor';
import { ArtifactsSideBar } from './ArtifactsSideBar';
import { artifactsStore } from './artifactsStore';

const wb = () => workbenchStore.getState();

/** The content-addressed store: its side bar, one tab per artifact, verify and refresh. */
export const artifactsContribution: Contribution = {
  id: 'artifacts',
  activity: { title: 'Artifacts', icon: 'package', keybinding: 'Mod+Shift+6', SideBar: ArtifactsSideBar },
  editors: [editor('artifact', ({ input }) => <ArtifactEditor sha256={input.sha256} />)],
  commands: [
    {
      id: 'artifacts.verify',
      title: 'Verify Artifact Store',
      category: 'Artifacts',
      icon: 'verified',
      run: async () => {
        const job = await jobsStore.getState().start({ kind: 'artifacts.verify', params: {} });
        if (job) wb().showPanelView('jobs');
      },
    },
    {
      id: 'artifacts.refresh',
      title: 'Refresh Artifacts',
      category: 'Artifacts',
      icon: 'refresh',
      run: () => artifactsStore.getState().load(),
    },
  ],
};
