import { workbenchStore } from '../workbench/workbenchStore';

export type DatanetSection = 'records' | 'import' | 'versions';

declare module '../workbench/tabs' {
  interface TabInputs {
    /** `filter`: the records listing's filter expression (attribution opens `source:ID`). */
    datanet: { name: string; section?: DatanetSection; filter?: string };
  }
}

/** One tab per datanet; opening it again focuses it (and switches to `section` when given). */
export function openDatanet(name: string, section?: DatanetSection, filter?: string): void {
  workbenchStore.getState().openTab({ id: `datanet:${name}`, title: name, icon: 'database', input: { kind: 'datanet', name, section, filter } });
}

/** The datanet's records listing filtered to one record by its source id, in the inspector. */
export function openDatanetRecord(name: string, sourceId: string): void {
  openDatanet(name, 'records', `source:${sourceId}`);
}
