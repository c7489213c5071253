-- Wickr Local schema, version 3: user counts per network and status, kept up to date by every write
-- that adds, removes or changes the status of a user, so GetUsersCount costs the same on a network of
-- a thousand users as on one of a million. Each count is spread over a few rows (shards) so that
-- concurrent writers in one network rarely update the same row.

CREATE TABLE user_counts (
    network_id TEXT    NOT NULL,
    status     INTEGER NOT NULL,
    shard      INTEGER NOT NULL,
    n          BIGINT  NOT NULL,
    PRIMARY KEY (network_id, status, shard)
);

INSERT INTO user_counts (network_id, status, shard, n)
    SELECT network_id, status, 0, COUNT(*) FROM users GROUP BY network_id, status;
