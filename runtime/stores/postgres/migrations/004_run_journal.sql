-- Each durable run's journal: what its step function was fed and what it asked for, in seq order
-- from 1. The primary key is the guard against two processes advancing one run (a second insert
-- of the same (run_id, seq) fails; records errors.ts maps it to JOURNAL_CONFLICT).
--
-- body is text, not jsonb: replay must read back exactly the JSON the writer produced. jsonb
-- reorders object keys (by length, then bytes), rewrites numbers (1e21 comes back as 22 digits)
-- and refuses a string holding \u0000 (an alert text may), so a run could replay differently
-- from what was journaled, or not be journaled at all. text keeps the bytes, and journalBytes
-- measures what is really stored. Nothing queries inside a body: jsonb's operators buy nothing.
CREATE TABLE run_journal (
  run_id text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL CHECK (kind IN ('start', 'effect', 'result', 'decision', 'timer', 'end')),
  effect_id text CHECK ((kind IN ('effect', 'result')) = (effect_id IS NOT NULL)),
  at text NOT NULL,
  body text NOT NULL,
  CONSTRAINT run_journal_pkey PRIMARY KEY (run_id, seq)
);

-- Append-only, enforced by the database as the audit trail is (001). SQLSTATE EN002 is this
-- engine's own; errors.ts maps it to JOURNAL_APPEND_ONLY.
CREATE FUNCTION run_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'JOURNAL_APPEND_ONLY: the run journal is append-only: % on run_journal refused', TG_OP USING ERRCODE = 'EN002';
END;
$$;
CREATE TRIGGER run_journal_no_update_delete BEFORE UPDATE OR DELETE ON run_journal
  FOR EACH ROW EXECUTE FUNCTION run_journal_append_only();
CREATE TRIGGER run_journal_no_truncate BEFORE TRUNCATE ON run_journal
  FOR EACH STATEMENT EXECUTE FUNCTION run_journal_append_only();
