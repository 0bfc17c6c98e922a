import { type Contribution, editor } from '../workbench/contributions';
import { attributeInPlayground, AttributionSideBar, presentableModel } from './AttributionSideBar';
import { attributionStore } from './attributionStore';
import { PresenterMode } from './PresenterMode';
import { RewardsEditor } from './RewardsEditor';
import { openRewards } from './rewardsTabs';

/** Proof of Attribution: per-token heatmaps in the playground, presenter mode, rewards (settle, claim). */
export const attributionContribution: Contribution = {
  id: 'attribution',
  activity: { title: 'Attribution', icon: 'symbol-color', keybinding: 'Mod+Shift+7', SideBar: AttributionSideBar },
  editors: [editor('attribution-rewards', () => <RewardsEditor />)],
  commands: [
    { id: 'attribution.rewards', title: 'Open Rewards', category: 'Attribution', icon: 'gift', run: () => openRewards() },
    { id: 'attribution.playground', title: 'Attribute in the Playground', category: 'Attribution', icon: 'symbol-color', run: () => attributeInPlayground() },
    {
      id: 'attribution.toggle',
      title: 'Toggle Attribution of Playground Answers',
      category: 'Attribution',
      run: () => attributionStore.getState().setEnabled(!attributionStore.getState().enabled),
    },
    {
      id: 'attribution.present',
      title: 'Present the Attributed Answer',
      category: 'Attribution',
      icon: 'screen-full',
      run: () => {
        const model = presentableModel();
        if (model) attributionStore.getState().openPresenter(model);
      },
    },
  ],
  dialogs: [PresenterMode],
};
