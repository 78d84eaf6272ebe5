-- The stakeholder graph on SQLite: actors, ties, their history, users and API tokens.
-- JSON columns hold lists/objects; *_folded columns hold fold()ed text for accent-insensitive search.
CREATE TABLE actors (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_folded     TEXT NOT NULL,
    aliases_folded  TEXT NOT NULL DEFAULT '[]',
    kind            TEXT NOT NULL,
    aliases         TEXT NOT NULL DEFAULT '[]',
    description     TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]',
    country         TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    contact_details TEXT NOT NULL DEFAULT '[]',
    attributes      TEXT NOT NULL DEFAULT '{}',
    source          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX actors_name_folded ON actors (name_folded);
CREATE INDEX actors_kind ON actors (kind);

CREATE TABLE ties (
    id           TEXT PRIMARY KEY,
    source_id    TEXT NOT NULL REFERENCES actors (id),
    target_id    TEXT NOT NULL REFERENCES actors (id),
    type         TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    directed     INTEGER NOT NULL DEFAULT 1 CHECK (directed IN (0, 1)),
    strength     INTEGER CHECK (strength BETWEEN 1 AND 5),
    since        TEXT,
    until        TEXT,
    last_contact TEXT,
    source       TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX ties_source ON ties (source_id);
CREATE INDEX ties_target ON ties (target_id);
CREATE INDEX ties_type ON ties (type);

CREATE TABLE history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    before      TEXT,
    after       TEXT
);
CREATE INDEX history_entity ON history (entity_id, seq);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT
);
