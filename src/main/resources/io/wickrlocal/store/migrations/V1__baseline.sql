-- Wickr Local schema, version 1. Written in the SQL that SQLite and PostgreSQL share:
-- TEXT, INTEGER and BIGINT columns, booleans as 0/1, times as epoch seconds.

CREATE TABLE networks (
    network_id            TEXT    NOT NULL PRIMARY KEY,
    account_id            TEXT    NOT NULL,
    region                TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    name_key              TEXT    NOT NULL,
    access_level          TEXT    NOT NULL,
    encryption_key_arn    TEXT,
    free_trial_expires_at BIGINT,
    created_at            BIGINT  NOT NULL
);
CREATE INDEX networks_by_owner ON networks (account_id, region, network_id);
CREATE INDEX networks_by_owner_name ON networks (account_id, region, name_key, network_id);

CREATE TABLE security_groups (
    network_id  TEXT    NOT NULL,
    group_id    TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    is_default  INTEGER NOT NULL,
    settings    TEXT    NOT NULL,
    modified_at BIGINT  NOT NULL,
    PRIMARY KEY (network_id, group_id)
);
CREATE INDEX security_groups_by_name ON security_groups (network_id, name_key, group_id);

CREATE TABLE users (
    user_id           BIGINT  NOT NULL PRIMARY KEY,
    network_id        TEXT    NOT NULL,
    username          TEXT    NOT NULL,
    username_key      TEXT    NOT NULL,
    uname             TEXT    NOT NULL,
    first_name        TEXT    NOT NULL,
    last_name         TEXT    NOT NULL,
    first_name_key    TEXT    NOT NULL,
    last_name_key     TEXT    NOT NULL,
    status            INTEGER NOT NULL,
    suspended         INTEGER NOT NULL,
    is_admin          INTEGER NOT NULL,
    group_key         TEXT    NOT NULL,
    invite_code       TEXT,
    invite_expires_at BIGINT,
    code_validation   INTEGER NOT NULL,
    last_login_at     BIGINT,
    created_at        BIGINT  NOT NULL,
    modified_at       BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_by_username ON users (network_id, username_key);
CREATE UNIQUE INDEX users_by_uname ON users (network_id, uname);
CREATE INDEX users_by_network ON users (network_id, user_id);
CREATE INDEX users_by_first_name ON users (network_id, first_name_key, user_id);
CREATE INDEX users_by_last_name ON users (network_id, last_name_key, user_id);
CREATE INDEX users_by_status ON users (network_id, status, user_id);
CREATE INDEX users_by_group_key ON users (network_id, group_key, user_id);

CREATE TABLE user_groups (
    network_id TEXT   NOT NULL,
    group_id   TEXT   NOT NULL,
    user_id    BIGINT NOT NULL,
    PRIMARY KEY (network_id, group_id, user_id)
);
CREATE INDEX user_groups_by_user ON user_groups (user_id, group_id);

CREATE TABLE devices (
    app_id        TEXT   NOT NULL PRIMARY KEY,
    network_id    TEXT   NOT NULL,
    user_id       BIGINT NOT NULL,
    device_type   TEXT   NOT NULL,
    status_text   TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL
);
CREATE INDEX devices_by_user ON devices (user_id, app_id);
CREATE INDEX devices_by_network ON devices (network_id);

CREATE TABLE sessions (
    session_id TEXT   NOT NULL PRIMARY KEY,
    network_id TEXT   NOT NULL,
    user_id    BIGINT NOT NULL,
    app_id     TEXT   NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT,
    end_reason TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id, ended_at);
CREATE INDEX sessions_by_network ON sessions (network_id);

CREATE TABLE idempotency_records (
    account_id  TEXT   NOT NULL,
    region      TEXT   NOT NULL,
    operation   TEXT   NOT NULL,
    token       TEXT   NOT NULL,
    fingerprint TEXT   NOT NULL,
    response    TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, operation, token)
);
CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at);
