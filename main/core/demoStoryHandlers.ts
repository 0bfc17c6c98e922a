import { listAnswers, storyState } from '../firstStart/demoStoryRepository';
import { readDemoPipeline } from '../factory/demoPipeline';
import { findAdapter } from '../adapters/adaptersRepository';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

type DemoStoryMethod = Extract<keyof Handlers, 'demo.story'>;

/** The first start's story as the playground reads it (main/firstStart). */
export function demoStoryHandlers(deps: { db: () => Db }): Pick<Handlers, DemoStoryMethod> {
  return {
    'demo.story': () => {
      const db = deps.db();
      const { state, note } = storyState(db);
      let adapter: string | null = null;
      try {
        const name = readDemoPipeline().adapter;
        adapter = findAdapter(db, name) ? name : null;
      } catch {
        // No demo pipeline in this build: no demo adapter to offer.
      }
      // The answers with contributors first: the one the playground opens on has a heatmap.
      const answers = listAnswers(db).map(({ prompt, model, completion, tokens, attribution }) => ({ prompt, model, completion, tokens, attribution }));
      answers.sort((a, b) => Number(b.attribution.contributors.length > 0) - Number(a.attribution.contributors.length > 0));
      return { state, note, adapter, answers };
    },
  };
}
