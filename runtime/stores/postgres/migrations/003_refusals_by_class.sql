-- Refusals of unauthenticated senders (401) are bounded apart from the others, so a flood of bad
-- tokens cannot push out why a real sender's alerts were refused: one index per class finds the
-- oldest rows to delete.
CREATE INDEX refusals_unauthenticated ON refusals (seq DESC) WHERE (record->>'status') = '401';
CREATE INDEX refusals_authenticated ON refusals (seq DESC) WHERE (record->>'status') <> '401';
