import { type Contribution, editor } from '../workbench/contributions';
import { DatanetEditor } from './DatanetEditor';
import { DatanetsSideBar } from './DatanetsSideBar';
import { datanetsStore } from './datanetsStore';
import { workbenchStore } from '../workbench/workbenchStore';

/** Datanets: the side bar (list, create), one editor tab per datanet (stats, records and review,
 * import, versions). See README.md. */
export const datanetsContribution: Contribution = {
  id: 'datanets',
  activity: { title: 'Datanets', icon: 'database', keybinding: 'Mod+Shift+2', SideBar: DatanetsSideBar },
  editors: [editor('datanet', ({ input }) => <DatanetEditor input={input} />)],
  commands: [
    {
      id: 'datanets.create',
      title: 'Create Datanet…',
      category: 'Datanets',
      icon: 'add',
      run: () => {
        workbenchStore.getState().showActivity('datanets');
        datanetsStore.setState({ createRequest: datanetsStore.getState().createRequest + 1 });
      },
    },
    { id: 'datanets.refresh', title: 'Refresh Datanets', category: 'Datanets', icon: 'refresh', run: () => datanetsStore.getState().load() },
  ],
};
