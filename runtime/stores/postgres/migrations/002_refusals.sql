-- GET /events lists refused webhook requests beside the events and pages both with a cursor:
-- newest first by reception time, then commit order (seq). events gets its reception time as a
-- timestamptz (from the record, for the rows already there) to order and page on.
ALTER TABLE events ADD COLUMN received_ts timestamptz;
UPDATE events SET received_ts = (record->>'receivedAt')::timestamptz;
ALTER TABLE events ALTER COLUMN received_ts SET NOT NULL;
CREATE INDEX events_received ON events (received_ts DESC, seq DESC);
CREATE INDEX events_source_received ON events (source, received_ts DESC, seq DESC);

-- Webhook requests refused with a 4xx; record is the whole RefusalRecord. Bounded by the writer:
-- a short, redacted excerpt, and the rows beyond its limit are deleted as new ones arrive.
CREATE TABLE refusals (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  refusal_id text NOT NULL CONSTRAINT refusals_refusal_id_unique UNIQUE,
  source text NOT NULL,
  received_ts timestamptz NOT NULL,
  record jsonb NOT NULL CHECK (octet_length(record::text) <= 16384)
);
CREATE INDEX refusals_received ON refusals (received_ts DESC, seq DESC);
CREATE INDEX refusals_source_received ON refusals (source, received_ts DESC, seq DESC);
