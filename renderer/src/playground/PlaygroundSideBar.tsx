import { useEffect } from 'react';
import { useStore } from 'zustand';
import { ViewHeader } from '../components/ViewHeader';
import { IconButton } from '../components/IconButton';
import { openPlayground } from './playgroundOpen';
import { playgroundStore } from './playgroundStore';

/** The registered adapters and the way into the playground tab. */
export function PlaygroundSideBar() {
  const { adapters, loaded } = useStore(playgroundStore);
  useEffect(() => {
    if (!loaded) void playgroundStore.getState().load();
  }, [loaded]);
  return (
    <div className="view">
      <ViewHeader title="Playground">
        <IconButton icon="refresh" label="Refresh Adapters" onClick={() => void playgroundStore.getState().load()} />
      </ViewHeader>
      <div className="view__body">
        <button type="button" className="button button--primary" onClick={openPlayground} data-testid="playground-open">
          Open Playground
        </button>
        {loaded && adapters.length === 0 ? (
          <p className="playground__muted">No adapters yet: a finished training run registers its adapter; `studio adapters import DIR` adds a PEFT folder. The base model alone can be tried already.</p>
        ) : null}
        <ul className="list" aria-label="Adapters">
          {adapters.map((a) => (
            <li key={a.name} className="list__item" title={`r=${a.rank} on ${a.targets.join(', ')}`}>
              {a.name} <span className="playground__muted">r{a.rank} · {a.source}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
