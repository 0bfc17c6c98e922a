import { workbenchStore } from '../workbench/workbenchStore';
import { rewardsStore } from './rewardsStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    'attribution-rewards': { view: 'rewards' };
  }
}

/** The Rewards tab: epochs, settlement and contributors' claims. */
export function openRewards(): void {
  void rewardsStore.getState().load();
  workbenchStore.getState().openTab({ id: 'attribution-rewards', title: 'Rewards', icon: 'gift', input: { kind: 'attribution-rewards', view: 'rewards' } });
}
