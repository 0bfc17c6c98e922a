import { workbenchStore } from '../workbench/workbenchStore';

export type DatanetSection = 'records' | 'import' | 'versions';

declare module '../workbench/tabs' {
  interface TabInputs {
    datanet: { name: string; section?: DatanetSection };
  }
}

/** One tab per datanet; opening it again focuses it (and switches to `section` when given). */
export function openDatanet(name: string, section?: DatanetSection): void {
  workbenchStore.getState().openTab({ id: `datanet:${name}`, title: name, icon: 'database', input: { kind: 'datanet', name, section } });
}
