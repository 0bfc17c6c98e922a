/**
 * The first start's story (main/firstStart/firstStartStory.ts): one row saying whether it is still
 * being built (a crash or kill leaves 'building', and the next start goes on from the first step
 * not done), and the demo prompts' answers. An answer's row and its recorded inference are written
 * in one transaction, so a prompt is attributed and charged once however often the story resumes.
 */
export default /* sql */ `
CREATE TABLE demo_story (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  state        TEXT NOT NULL CHECK (state IN ('building', 'done', 'stopped')),
  note         TEXT,
  started_at   TEXT NOT NULL,
  finished_at  TEXT
) STRICT;

CREATE TABLE demo_answers (
  prompt_index      INTEGER PRIMARY KEY,
  prompt            TEXT NOT NULL,
  model             TEXT NOT NULL,
  completion        TEXT NOT NULL,
  tokens_json       TEXT NOT NULL,
  attribution_json  TEXT NOT NULL,
  inference_id      INTEGER REFERENCES attribution_inferences (id),
  epoch             INTEGER,
  created_at        TEXT NOT NULL
) STRICT;
`;
