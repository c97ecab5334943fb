-- The logs playbooks append to (log.append: the incident log, the agent log), read back newest
-- first per log. record is jsonb: it is queried by people (SELECT record->>'responsibility'...).
CREATE TABLE named_logs (
  seq bigserial PRIMARY KEY,
  log text NOT NULL,
  at text NOT NULL,
  at_ts timestamptz NOT NULL,
  run_id text NOT NULL,
  playbook text NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX named_logs_by_log ON named_logs (log, seq DESC);
