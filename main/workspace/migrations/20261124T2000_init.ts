/** The first schema: workspace metadata, settings, jobs, artifacts. */
export default /* sql */ `
CREATE TABLE workspace_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  json  TEXT NOT NULL
) STRICT;

CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  title       TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled','interrupted')),
  progress    REAL,
  message     TEXT,
  error_json  TEXT,
  params_json TEXT NOT NULL,
  result_json TEXT,
  created_at  TEXT NOT NULL,
  started_at  TEXT,
  finished_at TEXT
) STRICT;
CREATE INDEX jobs_by_created ON jobs (created_at DESC);

CREATE TABLE artifacts (
  sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size        INTEGER NOT NULL,
  name        TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
`;
