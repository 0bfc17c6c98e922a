import { useStore } from 'zustand';
import { commands } from '../workbench/commands/registry';
import { IconButton } from '../components/IconButton';
import { ViewHeader } from '../components/ViewHeader';
import { workspaceStore } from './workspaceStore';
import { CreateWorkspaceForm } from './CreateWorkspaceForm';
import { CurrentWorkspaceCard } from './CurrentWorkspaceCard';
import { WorkspaceList } from './WorkspaceList';

/** The Workspace activity: the open workspace, every workspace to switch to, and a new one. */
export function WorkspaceSideBar() {
  const loaded = useStore(workspaceStore, (s) => s.loaded);
  return (
    <div className="view">
      <ViewHeader title="Workspace">
        <IconButton icon="refresh" label="Reload Workspace Data" onClick={() => void commands.run('workspace.reload')} />
      </ViewHeader>
      <div className="view__body">
        {loaded ? null : <div className="progress-line" role="progressbar" aria-label="Loading" />}
        <CurrentWorkspaceCard />
        <WorkspaceList />
        <CreateWorkspaceForm />
      </div>
    </div>
  );
}
