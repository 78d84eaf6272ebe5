-- Spreadsheet sync: which source (a file, or a name the user gave) last said what about which record.
-- sync_sources: one row per source, with its last sync.
-- sync_records: one row per (source, actor or tie): where it was (file, sheet, row), when first and
--   last seen, since when it is missing from the source (NULL while present), and what the source
--   provided for multi-valued fields (JSON: aliases, tags, contact_details, attribute keys), so a
--   later sync removes only values this source had given. A record missing from every source that
--   had it is inactive (never deleted by a sync).
-- actor_merges: actor B merged into actor A; imports naming B find A.
CREATE TABLE sync_sources (
    name          TEXT PRIMARY KEY,
    format        TEXT NOT NULL DEFAULT '',
    files         TEXT NOT NULL DEFAULT '[]',
    first_sync_at TEXT NOT NULL,
    last_sync_at  TEXT NOT NULL,
    last_sync_by  TEXT NOT NULL,
    syncs         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sync_records (
    source         TEXT NOT NULL REFERENCES sync_sources (name),
    entity_type    TEXT NOT NULL CHECK (entity_type IN ('actor', 'tie')),
    entity_id      TEXT NOT NULL,
    file           TEXT,
    sheet          TEXT,
    row            INTEGER,
    first_seen_at  TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    last_seen_by   TEXT NOT NULL,
    missing_since  TEXT,
    data           TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (source, entity_type, entity_id)
) WITHOUT ROWID;
CREATE INDEX sync_records_entity ON sync_records (entity_id);

CREATE TABLE actor_merges (
    merged_id  TEXT PRIMARY KEY,
    into_id    TEXT NOT NULL,
    at         TEXT NOT NULL,
    by         TEXT NOT NULL
);
CREATE INDEX actor_merges_into ON actor_merges (into_id);
