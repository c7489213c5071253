-- Wickr Local schema, version 2: bots, the data retention bot, guest users, network settings,
-- and the SSO (OIDC) and OpenTDF configurations. Same portable SQL as version 1.

CREATE TABLE bots (
    bot_id           BIGINT  NOT NULL PRIMARY KEY,
    network_id       TEXT    NOT NULL,
    username         TEXT    NOT NULL,
    username_key     TEXT    NOT NULL,
    uname            TEXT    NOT NULL,
    display_name     TEXT    NOT NULL,
    display_name_key TEXT    NOT NULL,
    group_id         TEXT    NOT NULL,
    challenge_hash   TEXT,
    status           INTEGER NOT NULL,
    suspended        INTEGER NOT NULL,
    pubkey           TEXT,
    last_login_at    BIGINT,
    created_at       BIGINT  NOT NULL,
    modified_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX bots_by_username ON bots (network_id, username_key);
CREATE INDEX bots_by_network ON bots (network_id, bot_id);
CREATE INDEX bots_by_display_name ON bots (network_id, display_name_key, bot_id);
CREATE INDEX bots_by_status ON bots (network_id, status, bot_id);
CREATE INDEX bots_by_group ON bots (network_id, group_id, bot_id);

CREATE TABLE bot_sessions (
    session_id TEXT   NOT NULL PRIMARY KEY,
    network_id TEXT   NOT NULL,
    bot_id     BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT,
    end_reason TEXT
);
CREATE INDEX bot_sessions_by_bot ON bot_sessions (bot_id, ended_at);
CREATE INDEX bot_sessions_by_network ON bot_sessions (network_id);

CREATE TABLE data_retention_bots (
    network_id      TEXT    NOT NULL PRIMARY KEY,
    bot_name        TEXT    NOT NULL,
    challenge_hash  TEXT,
    registered      INTEGER NOT NULL,
    service_enabled INTEGER NOT NULL,
    pubkey_acked    INTEGER NOT NULL,
    last_login_at   BIGINT,
    created_at      BIGINT  NOT NULL,
    modified_at     BIGINT  NOT NULL
);

CREATE TABLE guest_users (
    network_id    TEXT   NOT NULL,
    username_hash TEXT   NOT NULL,
    username      TEXT   NOT NULL,
    username_key  TEXT   NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    PRIMARY KEY (network_id, username_hash)
);
CREATE INDEX guest_users_by_username ON guest_users (network_id, username_key, username_hash);

CREATE TABLE guest_activity (
    network_id     TEXT   NOT NULL,
    username_hash  TEXT   NOT NULL,
    billing_period TEXT   NOT NULL,
    first_at       BIGINT NOT NULL,
    last_at        BIGINT NOT NULL,
    PRIMARY KEY (network_id, username_hash, billing_period)
);
CREATE INDEX guest_activity_by_period ON guest_activity (network_id, billing_period, username_hash);

CREATE TABLE guest_blocks (
    network_id    TEXT   NOT NULL,
    username_hash TEXT   NOT NULL,
    admin         TEXT   NOT NULL,
    admin_key     TEXT   NOT NULL,
    modified_at   BIGINT NOT NULL,
    PRIMARY KEY (network_id, username_hash)
);
CREATE INDEX guest_blocks_by_admin ON guest_blocks (network_id, admin_key, username_hash);
CREATE INDEX guest_blocks_by_modified ON guest_blocks (network_id, modified_at, username_hash);

CREATE TABLE network_settings (
    network_id  TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    value       TEXT   NOT NULL,
    modified_at BIGINT NOT NULL,
    PRIMARY KEY (network_id, name)
);

CREATE TABLE oidc_configs (
    network_id  TEXT   NOT NULL PRIMARY KEY,
    config      TEXT   NOT NULL,
    modified_at BIGINT NOT NULL
);

CREATE TABLE opentdf_configs (
    network_id    TEXT   NOT NULL PRIMARY KEY,
    client_id     TEXT   NOT NULL,
    client_secret TEXT   NOT NULL,
    domain        TEXT   NOT NULL,
    provider      TEXT   NOT NULL,
    modified_at   BIGINT NOT NULL
);
