import { lazy, Suspense } from 'react';
import { type Contribution, editor } from '../workbench/contributions';
import { openPlayground } from './playgroundOpen';
import { PlaygroundSideBar } from './PlaygroundSideBar';
import { playgroundStore } from './playgroundStore';

// Monaco is large: it loads with the first playground tab.
const PlaygroundEditor = lazy(() => import('./PlaygroundEditor').then((m) => ({ default: m.PlaygroundEditor })));

/** The Playground (OpenLoRA): the base and adapters side by side over the /v1 endpoint. */
export const playgroundContribution: Contribution = {
  id: 'playground',
  activity: { title: 'Playground', icon: 'comment-discussion', keybinding: 'Mod+Shift+4', SideBar: PlaygroundSideBar },
  editors: [
    editor('playground', () => (
      <Suspense fallback={null}>
        <PlaygroundEditor />
      </Suspense>
    )),
  ],
  commands: [
    { id: 'playground.open', title: 'Open Playground', category: 'Playground', icon: 'comment-discussion', run: () => openPlayground() },
    { id: 'playground.run', title: 'Run Prompt', category: 'Playground', icon: 'play', run: () => playgroundStore.getState().run() },
    { id: 'playground.stop', title: 'Stop Generation', category: 'Playground', icon: 'debug-stop', run: () => playgroundStore.getState().stop() },
  ],
  overview: {
    emptyTitle: 'Try the base model and its adapters',
    title: 'Playground',
    summary: 'One base model, adapters served per request (OpenLoRA), behind an OpenAI-compatible endpoint.',
    will: ['Run one prompt on up to four adapters and the base side by side', 'Colour each token by its probability, with the alternatives on hover', 'Copy the request as curl or openai client code'],
    dependsOn: 'engine',
    missing: 'Start `studio serve --model DIR` (or set playground.model) to serve a base model.',
  },
};
