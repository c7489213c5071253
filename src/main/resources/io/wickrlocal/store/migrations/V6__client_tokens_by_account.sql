-- Wickr Local schema, version 6: client tokens are found by account and age, no longer by age alone.
-- Each account may hold a bounded number of tokens from the last 24 hours (--max-client-tokens); the
-- service recounts an account's tokens from time to time, and this index answers that count without
-- reading the stored answers (about 5 KB each, which SQLite keeps on overflow pages). The purge of
-- expired tokens goes account by account through the same index, so the index by age alone is dropped:
-- a token still costs the table and two indexes to write.

CREATE INDEX idempotency_records_by_account_age ON idempotency_records (account_id, created_at);
DROP INDEX idempotency_records_by_age;
