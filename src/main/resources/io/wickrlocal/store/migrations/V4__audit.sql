-- Wickr Local schema, version 4: the audit trail. One row per event, written in the transaction of the
-- change it records (or, for a call the service refused, in a small transaction of its own), and never
-- updated afterwards. The key orders an account's events in a region by time (epoch milliseconds), then by
-- event id: a random id per call followed by the event's position in the call, so several nodes mint ids
-- without coordinating and the events of one call stay together and in order. Only the key and the
-- operation filter have an index, and both are written in time order: an index by user put one page per
-- user into every 50-user suspension's commit (measured: several times the suspension's own writes), so the
-- user and network filters read the account's events in time order instead.
-- network_id and user_id are what the events were about; the rows outlive the network (they are history)
-- and are removed only with their account's state.

CREATE TABLE audit_events (
    account_id    TEXT   NOT NULL,
    region        TEXT   NOT NULL,
    occurred_at   BIGINT NOT NULL,
    event_id      TEXT   NOT NULL,
    operation     TEXT   NOT NULL,
    access_key_id TEXT   NOT NULL,
    request_id    TEXT   NOT NULL,
    outcome       TEXT   NOT NULL,
    network_id    TEXT,
    user_id       BIGINT,
    details       TEXT   NOT NULL,
    PRIMARY KEY (account_id, region, occurred_at, event_id)
);
CREATE INDEX audit_events_by_operation ON audit_events (account_id, region, operation, occurred_at, event_id);
