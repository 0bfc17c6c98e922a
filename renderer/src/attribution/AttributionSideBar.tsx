import { useStore } from 'zustand';
import { ViewHeader } from '../components/ViewHeader';
import { openPlayground } from '../playground/playgroundOpen';
import { attributionStore } from './attributionStore';
import { openRewards } from './rewardsTabs';

/** Opens the playground with attribution on: the next answers come back as heatmaps. */
export function attributeInPlayground(): void {
  attributionStore.getState().setEnabled(true);
  openPlayground();
}

/** The first attributed answer, for "Present": the model whose column has one. */
export function presentableModel(): string | null {
  const runs = attributionStore.getState().runs;
  return Object.keys(runs).find((m) => runs[m]!.status === 'done') ?? null;
}

/** The way into attribution: in the playground, in presenter mode, and the rewards. */
export function AttributionSideBar() {
  const enabled = useStore(attributionStore, (s) => s.enabled);
  const present = useStore(attributionStore, (s) => Object.keys(s.runs).find((m) => s.runs[m]!.status === 'done') ?? null);
  return (
    <div className="view">
      <ViewHeader title="Attribution" />
      <div className="view__body attr-sidebar">
        <p className="muted">Which training records, and so which contributors, shaped each token of an answer: exact spans found verbatim in the datanet, and the gradient influence of each record on the adapter.</p>
        <button type="button" className="button button--primary" onClick={attributeInPlayground} data-testid="attr-open-playground">
          Attribute in the Playground
        </button>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => attributionStore.getState().setEnabled(e.target.checked)} /> Attribute each playground answer
        </label>
        <button type="button" className="button" disabled={!present} onClick={() => present && attributionStore.getState().openPresenter(present)} title={present ? `Present ${present}'s answer` : 'Run a prompt with attribution on first'}>
          Presenter mode
        </button>
        <button type="button" className="button" onClick={openRewards} data-testid="attr-open-rewards" title="Epochs, settlement on the devnet and contributors' claims">
          Rewards
        </button>
      </div>
    </div>
  );
}
