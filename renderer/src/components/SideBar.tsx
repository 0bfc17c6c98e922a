import { useStore } from 'zustand';
import { ACTIVITY_META } from '../model/layout';
import { workbenchStore } from '../stores/workbenchStore';
import { ArtifactsSideBar } from '../views/ArtifactsSideBar';
import { CapabilitySideBar } from '../views/CapabilitySideBar';
import { ChainSideBar } from '../views/ChainSideBar';
import { WorkspaceSideBar } from '../views/WorkspaceSideBar';

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
