-- Wickr Local schema, version 6: the client secrets of SSO (oidc_configs.config, the whole document)
-- and OpenTDF (opentdf_configs.client_secret) are stored encrypted with a key kept outside the
-- database. This table holds one row: an HMAC of a constant under that key, written the first time
-- the database is opened with a key, so that a node started with another key stops at once.
-- The values stored in clear by earlier versions are encrypted by the same migration (in Java,
-- Migrations.encryptClearSecrets), in the same transaction.

CREATE TABLE secrets_key_check (
    id          INTEGER NOT NULL PRIMARY KEY,
    check_value TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
