-- Wickr Local schema, version 8: the ids of deleted networks. A deleted network leaves everything
-- else at once (its rows in every other table go with the DeleteNetwork that removes it), but its id
-- keeps answering 403 ForbiddenError to its own account, as the live service does after a deletion,
-- instead of 404 for an id never seen. One row per deleted network, kept until the account is reset,
-- the network's id comes back through a snapshot import, or the account holds more than the newest
-- 10,000 (the oldest go first).

CREATE TABLE deleted_networks (
    network_id  TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    region      TEXT    NOT NULL,
    deleted_at  BIGINT  NOT NULL
);
CREATE INDEX deleted_networks_by_account ON deleted_networks (account_id, deleted_at, network_id);
