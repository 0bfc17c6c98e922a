import { workbenchStore } from '../workbench/workbenchStore';
import { playgroundStore } from './playgroundStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    playground: { view: 'main' };
  }
}

export function openPlayground(): void {
  void playgroundStore.getState().load();
  workbenchStore.getState().openTab({ id: 'playground', title: 'Playground', icon: 'comment-discussion', input: { kind: 'playground', view: 'main' } });
}
