import type { DemoAnswer, DemoStory } from '../api/demoStorySchemas';
import { ResponseAttributionSchema } from '../api/attributionSchemas';
import type { Db } from '../workspace/openDatabase';

// The demo_story and demo_answers tables (migration 20261205T1870_demo_story).

type StoryState = Exclude<DemoStory['state'], 'none'>;

export function storyState(db: Db): { state: DemoStory['state']; note: string | null } {
  const row = db.prepare('SELECT state, note FROM demo_story WHERE id = 1').get() as { state: StoryState; note: string | null } | undefined;
  return row ?? { state: 'none', note: null };
}

/** Marks the story begun (the first start); a second call leaves the row as it is. */
export function beginStory(db: Db): void {
  db.prepare("INSERT INTO demo_story (id, state, started_at) VALUES (1, 'building', ?) ON CONFLICT (id) DO NOTHING").run(new Date().toISOString());
}

export function endStory(db: Db, state: 'done' | 'stopped', note: string | null): void {
  db.prepare('UPDATE demo_story SET state = ?, note = ?, finished_at = ? WHERE id = 1').run(state, note, new Date().toISOString());
}

export interface StoredDemoAnswer extends DemoAnswer {
  index: number;
  inferenceId: number | null;
  epoch: number | null;
}

interface AnswerRow {
  prompt_index: number;
  prompt: string;
  model: string;
  completion: string;
  tokens_json: string;
  attribution_json: string;
  inference_id: number | null;
  epoch: number | null;
}

export function listAnswers(db: Db): StoredDemoAnswer[] {
  return (db.prepare('SELECT * FROM demo_answers ORDER BY prompt_index').all() as AnswerRow[]).map((r) => ({
    index: r.prompt_index,
    prompt: r.prompt,
    model: r.model,
    completion: r.completion,
    tokens: JSON.parse(r.tokens_json) as DemoAnswer['tokens'],
    attribution: ResponseAttributionSchema.parse(JSON.parse(r.attribution_json)),
    inferenceId: r.inference_id,
    epoch: r.epoch,
  }));
}

export function insertAnswer(db: Db, a: StoredDemoAnswer): void {
  db.prepare(
    `INSERT INTO demo_answers (prompt_index, prompt, model, completion, tokens_json, attribution_json, inference_id, epoch, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.index, a.prompt, a.model, a.completion, JSON.stringify(a.tokens), JSON.stringify(a.attribution), a.inferenceId, a.epoch, new Date().toISOString());
}
