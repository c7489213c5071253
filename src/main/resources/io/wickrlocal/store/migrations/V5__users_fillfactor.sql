-- Wickr Local schema, version 5: on PostgreSQL, users' pages keep a fifth of their room free.
-- A suspension changes one column that no index holds; with room on the row's own page PostgreSQL
-- writes the new row version there and leaves the seven indexes alone (a heap-only update). In pages
-- filled to the brim by BatchCreateUser, the first suspension of each user moved the row to another
-- page and added an entry to every index: a 50-user toggle in a freshly filled network of a million
-- cost three times the one in a small network. Pages written from now on follow the setting.

/* postgresql only */ ALTER TABLE users SET (fillfactor = 80);
