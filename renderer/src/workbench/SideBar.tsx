import { useStore } from 'zustand';
import { ACTIVITY_META } from './layout';
import { workbenchStore } from './workbenchStore';
import { ArtifactsSideBar } from '../artifacts/ArtifactsSideBar';
import { CapabilitySideBar } from './CapabilitySideBar';
import { ChainSideBar } from '../chain/ChainSideBar';
import { WorkspaceSideBar } from '../workspace/WorkspaceSideBar';

/** The view of the selected activity. */
export function SideBar() {
  const activity = useStore(workbenchStore, (s) => s.layout.activity);
  const meta = ACTIVITY_META[activity];
  return (
    <aside className="side-bar" aria-label={`${meta.title} side bar`} data-view={activity}>
      {activity === 'workspace' ? (
        <WorkspaceSideBar />
      ) : activity === 'artifacts' ? (
        <ArtifactsSideBar />
      ) : activity === 'chain' ? (
        <ChainSideBar />
      ) : (
        <CapabilitySideBar activity={activity} />
      )}
    </aside>
  );
}
