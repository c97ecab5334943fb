-- Records of the distributed profile: events, runs and the append-only audit trail.
-- migrate.ts runs this in one transaction with search_path set to the target schema, so names
-- here are unqualified. A released migration is never edited: a change is a new file.
--
-- Times are kept twice: the ISO text as given (returned exactly as written) and a timestamptz
-- (*_ts) for ordering and filters, which stay correct whatever the text's offset or precision.
-- seq is the commit order; it breaks ties between equal times.

-- Received events and schedule firings; record is the whole EventRecord.
CREATE TABLE events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL CONSTRAINT events_event_id_unique UNIQUE,
  source text NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX events_source ON events (source, seq);

-- Runs from queued to their end.
CREATE TABLE runs (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id text NOT NULL CONSTRAINT runs_run_id_unique UNIQUE,
  event_id text NOT NULL,
  playbook_name text NOT NULL,
  playbook jsonb NOT NULL,
  trigger_kind text NOT NULL CHECK (trigger_kind IN ('webhook', 'schedule')),
  status text NOT NULL
    CHECK (status IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'escalated', 'skipped')),
  shadow boolean NOT NULL,
  event jsonb,
  admission jsonb NOT NULL,
  queued_at text NOT NULL,
  queued_ts timestamptz NOT NULL,
  started_at text,
  started_ts timestamptz,
  ended_at text,
  attempts integer NOT NULL DEFAULT 0,
  reason text,
  decision text,
  result jsonb
);
CREATE INDEX runs_queued ON runs (queued_ts, seq) WHERE status = 'queued';
CREATE INDEX runs_running ON runs (started_ts, seq) WHERE status = 'running';
CREATE INDEX runs_newest ON runs (queued_ts DESC, seq DESC);
CREATE INDEX runs_playbook ON runs (playbook_name, queued_ts DESC, seq DESC);

-- The audit trail. A pending row (completion = false), then at most one completion row for the
-- same audit_id: the two partial unique indexes make both rules hold under races. entry is the
-- whole AuditRow as it reads at that point; the other columns are copies for filters.
CREATE TABLE audit (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit_id text NOT NULL,
  completion boolean NOT NULL,
  run_id text NOT NULL,
  playbook_name text NOT NULL,
  intent text NOT NULL,
  status text NOT NULL,
  at_ts timestamptz NOT NULL,
  entry jsonb NOT NULL
);
CREATE UNIQUE INDEX audit_pending_unique ON audit (audit_id) WHERE NOT completion;
CREATE UNIQUE INDEX audit_completion_unique ON audit (audit_id) WHERE completion;
CREATE INDEX audit_run ON audit (run_id, seq);
CREATE INDEX audit_at ON audit (at_ts DESC);

-- Append-only, enforced by the database: rows are inserted, never changed or removed, whatever
-- the client. SQLSTATE EN001 is this engine's own (records errors.ts maps it to AUDIT_APPEND_ONLY).
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % on audit refused', TG_OP USING ERRCODE = 'EN001';
END;
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
