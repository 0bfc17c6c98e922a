import { workbenchStore } from '../workbench/workbenchStore';
import { type ChainView, chainTabIcon, chainTabKey, chainTabTitle } from './chainViews';

declare module '../workbench/tabs' {
  interface TabInputs {
    chain: { view: ChainView };
  }
}

/** An explorer tab: a list (blocks, events…) or one block or transaction. */
export function openChainView(view: ChainView): void {
  workbenchStore.getState().openTab({ id: chainTabKey(view), title: chainTabTitle(view), icon: chainTabIcon(view), input: { kind: 'chain', view } });
}
