/** sql/postgres-schema.sql, verbatim (a test keeps the two equal): the sink applies it itself. */
export const POSTGRES_SCHEMA = `-- The PostgreSQL sink's table: one row per CloudEvent. The sink applies this itself on first
-- use (under an advisory lock, so concurrent cold starts do not race); it is idempotent, so a
-- DBA may also apply it ahead of time: psql "$DATABASE_URL" -f sql/postgres-schema.sql
CREATE TABLE IF NOT EXISTS callback_events (
  id          text        PRIMARY KEY,  -- the CloudEvent id: a redelivered callback has the same id
  type        text        NOT NULL,     -- com.tencentcloud.ci.job.finished | ….workflow.finished | ….moderation.result
  source      text        NOT NULL,     -- urn:tencentcloud:ci:<region>:<bucket>
  subject     text        NOT NULL,     -- the JobId or the RunId (a Simple moderation result's trace_id)
  time        timestamptz,              -- the job's EndTime (else CreationTime), the run's CreateTime, a moderation result's CreationTime
  data        jsonb       NOT NULL,     -- the CloudEvent's data
  dataschema  text,                     -- the contract data follows (its major version); null before contract 1.1.0
  received_at timestamptz NOT NULL DEFAULT now(),
  -- Lookup keys: a job's (or moderation job's) events by JobId; a run's event and its jobs' events by RunId.
  job_id      text GENERATED ALWAYS AS (data ->> 'jobId') STORED,
  run_id      text GENERATED ALWAYS AS (coalesce(data ->> 'runId', data -> 'workflow' ->> 'runId')) STORED
);
-- Tables created before contract 1.1.0 get the column; their rows keep null.
ALTER TABLE callback_events ADD COLUMN IF NOT EXISTS dataschema text;
CREATE INDEX IF NOT EXISTS callback_events_job_id ON callback_events (job_id, time) WHERE job_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS callback_events_run_id ON callback_events (run_id, time) WHERE run_id IS NOT NULL;
`;
